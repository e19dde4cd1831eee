#!/usr/bin/env bash
# The hourly tier review at retail scale: a synthetic programme (SyntheticData: members who joined over the last
# two years, so a few thousand have their anniversary today) in a fresh PostgreSQL database, an engine started on it
# with the tier review every minute instead of every hour, and the journal's first runs read back: the day's first
# run reviews the members whose anniversary it is, the next ones find them done. Results appended to
# benchmarks/results/tier-review.txt.
#   benchmarks/tier-review.sh                  # 1,000,000 members, 2,000,000 sales (about 2 minutes to generate)
#   benchmarks/tier-review.sh 100000 200000    # a tenth of it
#   SKIP_GENERATE=1 benchmarks/tier-review.sh  # again on the data already generated (the day's members are then
#                                              # reviewed already, unless the day changed)
# Environment: RUNS (4), PORT (8095), DB (loyalty_tier), LABEL.
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000000}
sales=${2:-2000000}
database=${DB:-loyalty_tier}
url="jdbc:postgresql://127.0.0.1:5432/$database"
port=${PORT:-8095}
runs=${RUNS:-4}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] && [ -f admin-war/target/loyalty.war ] || mvn -B -q -DskipTests install
if [ -z "${SKIP_GENERATE:-}" ]; then
  java -Xmx2g -cp "$jar" org.loyaltyengine.benchmarks.data.SyntheticData --url "$url" --user postgres --fresh \
    --members "$members" --sales "$sales"
fi
sql() { psql -h 127.0.0.1 -U postgres -d "$database" -Atqc "$1"; }
first=$(sql "SELECT COALESCE(MAX(id), 0) FROM job_run")
data=target/tier-review
rm -rf "$data" && mkdir -p "$data"
LOYALTY_DATA_DIR="$data" LOYALTY_PORT="$port" LOYALTY_DB_KIND=postgresql LOYALTY_DB_URL="$url" \
  LOYALTY_INSTANCE=tier-review-bench LOYALTY_JOBS_TIER_REVIEW_EVERY=PT1M LOYALTY_JOBS_TIER_REVIEW_AT=PT0S \
  LOYALTY_JOBS_EXPIRY_EVERY=P1D LOYALTY_JOBS_EXPIRY_AT=PT23H59M \
  admin-war/src/main/sh/run-engine.sh > "$data/engine.out" 2>&1 &
trap 'kill -TERM "$(cat "$data/engine.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do grep -q "Loyalty engine ready" "$data/engine.out" && break; sleep 1; done
grep -q "Loyalty engine ready" "$data/engine.out" || { tail -30 "$data/engine.out"; exit 1; }
echo "Engine ready; waiting for $runs tier review runs (one a minute)"
for _ in $(seq 1 $((runs * 70 + 60))); do
  [ "$(sql "SELECT COUNT(*) FROM job_run WHERE id > $first AND job = 'tier-review' AND outcome <> 'RUNNING'")" \
    -ge "$runs" ] && break
  sleep 1
done
{
  printf '\n== %s  tier review, %s members, %s sales, PostgreSQL%s\n' "$(date -u +%FT%TZ)" "$members" "$sales" \
    "${LABEL:+  ($LABEL)}"
  sql "SELECT 'run of ' || to_char(period_start, 'HH24:MI') || ': '
         || to_char(EXTRACT(EPOCH FROM finished_at - started_at), 'FM990.000') || ' s, ' || outcome || ', ' || detail
       FROM job_run WHERE id > $first AND job = 'tier-review' ORDER BY id"
} | tee -a benchmarks/results/tier-review.txt
