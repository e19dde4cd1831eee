#!/usr/bin/env bash
# Balance look-ups at retail scale: 1,000,000 members with 20,000,000 sales, their 20,000,000 ledger entries and
# points lots (SyntheticData) in a fresh PostgreSQL database, an engine started on it, and the load driver's tills
# looking cards up at random (GET /api/v1/pos/cards/{card}: balance, tier, offers). Results appended to
# benchmarks/results/lookups.txt.
#   benchmarks/lookups.sh                      # 1,000,000 members, 20,000,000 sales (about 15 minutes to generate)
#   benchmarks/lookups.sh 100000 2000000       # a tenth of it
#   SKIP_GENERATE=1 benchmarks/lookups.sh      # again on the data already generated
# Environment: TERMINALS (32), RUN_SECONDS (60), WARMUP (30), PORT (8095), DB_URL (jdbc:postgresql://127.0.0.1:5432/loyalty_bench).
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000000}
sales=${2:-20000000}
url=${DB_URL:-jdbc:postgresql://127.0.0.1:5432/loyalty_bench}
port=${PORT:-8095}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] && [ -f admin-war/target/loyalty.war ] || mvn -B -q -DskipTests install
if [ -z "${SKIP_GENERATE:-}" ]; then
  java -Xmx2g -cp "$jar" org.loyaltyengine.benchmarks.data.SyntheticData --url "$url" --user postgres --fresh \
    --members "$members" --sales "$sales"
fi
data=target/lookups
mkdir -p "$data"
LOYALTY_DATA_DIR="$data" LOYALTY_PORT="$port" LOYALTY_DB_KIND=postgresql LOYALTY_DB_URL="$url" \
  admin-war/src/main/sh/run-engine.sh > "$data/engine.out" 2>&1 &
trap 'kill -TERM "$(cat "$data/engine.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do grep -q "Loyalty engine ready" "$data/engine.out" && break; sleep 1; done
grep -q "Loyalty engine ready" "$data/engine.out" || { tail -30 "$data/engine.out"; exit 1; }
java -cp "$jar" org.loyaltyengine.benchmarks.load.LoadDriver --targets "http://127.0.0.1:$port" \
  --terminals "${TERMINALS:-32}" --seconds "${RUN_SECONDS:-60}" --warmup "${WARMUP:-30}" \
  --cards "synthetic:$members" --mix lookups --phases sales --key "bench-pos-BENCH" \
  --pids "$(cat "$data/engine.pid")" --label "balance look-ups, $members members, $sales ledger entries, PostgreSQL" \
  --results benchmarks/results/lookups.txt
