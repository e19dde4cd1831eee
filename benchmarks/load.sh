#!/usr/bin/env bash
# The load benchmark: many tills at once against running engine instances, then the bare-insert yardstick, with the
# servers' CPU and memory. Start the engine(s) with LOYALTY_BENCH_ENDPOINT=true first, e.g.
#   LOYALTY_BENCH_ENDPOINT=true LOYALTY_DATA_DIR=/tmp/bench admin-war/src/main/sh/run-engine.sh &
#   LOYALTY_BENCH_ENDPOINT=true admin-war/src/main/sh/run-cluster.sh start 2      (two instances on PostgreSQL)
# then:
#   benchmarks/load.sh "1 instance, Derby" 32 60 http://127.0.0.1:8080 /tmp/bench/engine.pid
#   benchmarks/load.sh "2 instances, PostgreSQL" 32 60 http://127.0.0.1:8081,http://127.0.0.1:8082 data/cluster/node-*/engine.pid
# Arguments: label, terminals, seconds, targets (comma-separated), pid files of the engine processes.
# ADAPTER_TILLS=N adds N tills running the POS adapter (one sale a second each) whose round trip is reported as
# ADAPTER_SALE. Each phase is measured once the servers' JIT compilers rest (WARMUP seconds at least, WARMUP_MAX
# at most). Results appended to benchmarks/results/load.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: benchmarks/load.sh <label> [terminals] [seconds] [targets] [engine pid files...] (examples at the top of this script)" >&2
  exit 2
fi
label="$1"; terminals="${2:-32}"; seconds="${3:-60}"; targets="${4:-http://127.0.0.1:8080}"; shift 4 || true
pids=""
for file in "$@"; do pids="${pids:+$pids,}$(cat "$file")"; done
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl rules,engine,benchmarks -am
java -cp "$jar" org.loyaltyengine.benchmarks.load.LoadDriver --targets "$targets" --terminals "$terminals" \
  --seconds "$seconds" --warmup "${WARMUP:-60}" --warmup-max "${WARMUP_MAX:-600}" --members "${MEMBERS:-2000}" --pids "$pids" --label "$label" \
  --adapter-tills "${ADAPTER_TILLS:-0}" \
  --results benchmarks/results/load.txt
