#!/usr/bin/env bash
# The load benchmark on a database of realistic size, one engine on embedded Derby: SyntheticData generates a
# programme of 100,000 members with 1,000,000 purchases (lines, ledger entries, points lots) into a fresh Derby
# folder, an engine starts on it, and the load driver's tills sell to the first 20,000 of those members (the
# mix of benchmarks/load.sh, their real purchase histories in the rules' sums) at 32, then 16, then 1
# terminal(s), each followed by the bare-insert yardstick. Results appended to benchmarks/results/load.txt.
#   benchmarks/sales-on-generated.sh                   # 100,000 members, 1,000,000 sales (about 6 minutes to generate)
#   benchmarks/sales-on-generated.sh 1000000 20000000  # retail scale (about 2 hours on Derby)
#   SKIP_GENERATE=1 benchmarks/sales-on-generated.sh   # again on the data generated before (grown by the last run)
# A database that starts empty measures Derby compiling its plans again as its tables grow (every 10 % or so),
# each time new classes for the JIT; on a database of realistic size the plans stay put.
# Environment: DATA (target/sales-on-generated), PORT (8096), CARDS (20000), RUN_SECONDS (60), WARMUP (200, for
# the first run; 30 for the next).
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-100000}
sales=${2:-1000000}
data=${DATA:-target/sales-on-generated}
port=${PORT:-8096}
cards=${CARDS:-20000}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] && [ -f admin-war/target/loyalty.war ] || mvn -B -q -DskipTests install
if [ -z "${SKIP_GENERATE:-}" ]; then
  rm -rf "$data"; mkdir -p "$data"
  java -Xmx2g -cp "$jar" org.loyaltyengine.benchmarks.data.SyntheticData \
    --url "jdbc:derby:$(cd "$data" && pwd)/database;create=true" --members "$members" --sales "$sales"
fi
LOYALTY_BENCH_ENDPOINT=true LOYALTY_DATA_DIR="$data" LOYALTY_PORT="$port" \
  admin-war/src/main/sh/run-engine.sh > "$data/engine.out" 2>&1 &
trap 'kill -TERM "$(cat "$data/engine.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do grep -q "Loyalty engine ready" "$data/engine.out" && break; sleep 1; done
grep -q "Loyalty engine ready" "$data/engine.out" || { tail -30 "$data/engine.out"; exit 1; }
label="1 instance, Derby, database of $members generated members and $sales sales (cards: the first $cards)"
warmup=${WARMUP:-200}
for terminals in 32 16 1; do
  java -cp "$jar" org.loyaltyengine.benchmarks.load.LoadDriver --targets "http://127.0.0.1:$port" \
    --terminals "$terminals" --seconds "${RUN_SECONDS:-60}" --warmup "$warmup" --warmup-max "$warmup" \
    --cards "synthetic:$cards" --key "bench-pos-BENCH" --pids "$(cat "$data/engine.pid")" --label "$label" \
    --results benchmarks/results/load.txt
  warmup=30; label="same engine and database, then"
done
