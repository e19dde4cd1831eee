#!/usr/bin/env bash
# One run of an A/B comparison of the sale path: a fresh database, one engine built from the given checkout, the
# load driver's sales mix, the engine stopped again. Interleave the two builds (A, B, B, A) and compare several runs
# of each: on two cores identical runs differ by 10-30 %.
#   git worktree add /tmp/base <commit> && (cd /tmp/base && mvn -B -q -DskipTests package)
#   benchmarks/ab-run.sh /tmp/base "A/B PG 32t: base" postgresql 32
#   benchmarks/ab-run.sh . "A/B PG 32t: this build" postgresql 32
#   benchmarks/ab-run.sh . "A/B Derby 16t: this build" derby 16
# Arguments: checkout (its admin-war/target holds the WAR), label, derby | postgresql, terminals. The load driver is
# this checkout's. Environment: RESULTS (benchmarks/results/load.txt), SECONDS_RUN (60), WARMUP (60), WARMUP_MAX (120).
# PostgreSQL: database loyalty_ab at 127.0.0.1:5432, dropped before and after. Stops every Payara Micro of this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
tree="$(cd "$1" && pwd)"; label="$2"; kind="${3:-derby}"; terminals="${4:-32}"
results="${RESULTS:-benchmarks/results/load.txt}"
jar="$(pwd)/benchmarks/target/benchmarks.jar"
data="$(mktemp -d /tmp/ab-run.XXXXXX)"
drop() { psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS loyalty_ab" > /dev/null 2>&1 || true; }
stop() { pkill -f "java.*payara-micro" || true; sleep 3; drop; rm -rf "$data"; }
pkill -f "java.*payara-micro" || true; sleep 3; drop
trap stop EXIT
if [ "$kind" = postgresql ]; then
  (cd "$tree" && LOYALTY_CLUSTER_DIR="$data" LOYALTY_DB_URL=jdbc:postgresql://127.0.0.1:5432/loyalty_ab \
    LOYALTY_BENCH_ENDPOINT=true admin-war/src/main/sh/run-cluster.sh start 1 > "$data/start.out" 2>&1)
  port=8081; pidfile="$data/node-1/engine.pid"
else
  (cd "$tree" && LOYALTY_BENCH_ENDPOINT=true LOYALTY_DATA_DIR="$data" LOYALTY_PORT=8096 \
    nohup admin-war/src/main/sh/run-engine.sh > "$data/engine.out" 2>&1 &)
  for _ in $(seq 1 240); do grep -q "Loyalty engine ready" "$data/engine.out" 2>/dev/null && break; sleep 1; done
  port=8096; pidfile="$data/engine.pid"
fi
java -cp "$jar" org.loyaltyengine.benchmarks.load.LoadDriver --targets "http://127.0.0.1:$port" \
  --terminals "$terminals" --seconds "${SECONDS_RUN:-60}" --warmup "${WARMUP:-60}" --warmup-max "${WARMUP_MAX:-120}" \
  --members 2000 --pids "$(cat "$pidfile")" --label "$label" --phases sales --results "$results"
