#!/usr/bin/env bash
# Runs several engine instances on this machine as one Payara cluster (Payara Micro's Hazelcast, on loopback)
# over one PostgreSQL database. Put any HTTP load balancer in front of the ports, or point tills at any of them.
#
#   admin-war/src/main/sh/run-cluster.sh start [N]   start N instances (default 2) on ports 8081, 8082, ...
#   admin-war/src/main/sh/run-cluster.sh stop [I]    stop them, or instance I alone (each shuts down cleanly, waited for)
#   admin-war/src/main/sh/run-cluster.sh status      which are up, and the cluster's size as each sees it
#   admin-war/src/main/sh/run-cluster.sh kill I      kill -9 instance I (for the reliability checks)
#   admin-war/src/main/sh/run-cluster.sh restart I   start instance I again: it rejoins the cluster
#
# Environment: LOYALTY_DB_URL (default jdbc:postgresql://127.0.0.1:5432/loyalty_cluster, created if missing),
# LOYALTY_DB_USER (postgres), LOYALTY_DB_PASSWORD, LOYALTY_CLUSTER_DIR (data/cluster), LOYALTY_BASE_PORT (8080),
# LOYALTY_HAZELCAST_BASE_PORT (5900: instance I's Hazelcast listens on base + I), LOYALTY_JAVA_OPTS,
# LOYALTY_BENCH_ENDPOINT. The instances share the signing key file in LOYALTY_CLUSTER_DIR, so a token signed by one is
# accepted by all. The first instance starts alone (it migrates the schema and seeds the demo), then the others.
# `start` writes the ports, the database and its user into LOYALTY_CLUSTER_DIR/cluster.env: the other commands take
# them from there, whatever the environment says (give them LOYALTY_CLUSTER_DIR when it is not the default), so that
# `restart I` never starts an instance on other ports or another database than its cluster's.
# The database is created if missing only on a PostgreSQL at 127.0.0.1, default port, no password (psql): on
# another server, create it first. Each instance's Hazelcast binds to the interface it announces
# (LOYALTY_CLUSTER_INTERFACES, 127.0.0.1 here), not to every interface.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${LOYALTY_CLUSTER_DIR:-data/cluster}"
base_port="${LOYALTY_BASE_PORT:-8080}"
hazelcast_base="${LOYALTY_HAZELCAST_BASE_PORT:-5900}"
url="${LOYALTY_DB_URL:-jdbc:postgresql://127.0.0.1:5432/loyalty_cluster}"
if [ "${1:-}" != start ] && [ -f "$dir/cluster.env" ]; then
  # The cluster's own settings, over whatever the environment holds (a single engine's LOYALTY_DB_URL, say).
  # shellcheck source=/dev/null
  . "$dir/cluster.env"
  base_port="$cluster_base_port"; hazelcast_base="$cluster_hazelcast_base"; url="$cluster_url"
  export LOYALTY_DB_USER="${cluster_db_user:-${LOYALTY_DB_USER:-postgres}}"
fi

members() {
  local n="$1" list=""
  for i in $(seq 1 "$n"); do list="${list:+$list,}127.0.0.1:$((hazelcast_base + i))"; done
  echo "$list"
}

start_one() {
  local i="$1" n="$2"
  mkdir -p "$dir/node-$i"
  # Before the launch: the wait below must not read the previous run's "ready". The previous run's log is kept
  # beside it (a restarted instance's log of what happened before it was killed).
  [ ! -s "$dir/node-$i.out" ] || mv "$dir/node-$i.out" "$dir/node-$i.previous.out"
  : > "$dir/node-$i.out"
  LOYALTY_DATA_DIR="$dir/node-$i" LOYALTY_PORT=$((base_port + i)) LOYALTY_DB_KIND=postgresql LOYALTY_DB_URL="$url" \
  LOYALTY_CLUSTER=loyalty LOYALTY_INSTANCE="node-$i" LOYALTY_CLUSTER_MEMBERS="$(members "$n")" \
  LOYALTY_CLUSTER_PORT=$((hazelcast_base + i)) LOYALTY_SIGNING_KEY_FILE="$(cd "$dir" && pwd)/token-signing.key" \
    nohup "$here/run-engine.sh" > "$dir/node-$i.out" 2>&1 &
  echo $! > "$dir/node-$i.launcher"
  for _ in $(seq 1 240); do
    if grep -q "Loyalty engine ready" "$dir/node-$i.out" 2>/dev/null; then
      echo "node-$i ready on http://localhost:$((base_port + i))/"; return 0
    fi
    if ! kill -0 "$(cat "$dir/node-$i.launcher")" 2>/dev/null; then
      echo "ERROR: node-$i did not start; see $dir/node-$i.out" >&2; tail -20 "$dir/node-$i.out" >&2; return 1
    fi
    sleep 1
  done
  echo "ERROR: node-$i was not ready after 240 s; see $dir/node-$i.out" >&2; return 1
}

create_database() {
  case "$url" in
    jdbc:postgresql://*)
      local name="${url##*/}"; name="${name%%\?*}"
      if ! psql -h 127.0.0.1 -U "${LOYALTY_DB_USER:-postgres}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1; then
        psql -h 127.0.0.1 -U "${LOYALTY_DB_USER:-postgres}" -d postgres -qc "CREATE DATABASE $name" && echo "Created database $name"
      fi ;;
  esac
}

# stop_one PIDFILE: asks the instance to shut down and waits for it (60 s, then kill -9).
stop_one() {
  local pid
  [ -f "$1" ] || return 0
  pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  echo "$(basename "$(dirname "$1")") did not stop in 60 s: killed" >&2; kill -9 "$pid" 2>/dev/null || true
}

instances() {
  compgen -G "$dir/node-*/engine.pid" > /dev/null || { echo "no instances in $dir (LOYALTY_CLUSTER_DIR)"; exit 0; }
}

case "${1:-}" in
  start)
    mkdir -p "$dir"
    n="${2:-2}"; echo "$n" > "$dir/size"
    printf 'cluster_base_port=%q\ncluster_hazelcast_base=%q\ncluster_url=%q\ncluster_db_user=%q\n' "$base_port" \
      "$hazelcast_base" "$url" "${LOYALTY_DB_USER:-postgres}" > "$dir/cluster.env"
    create_database
    for i in $(seq 1 "$n"); do start_one "$i" "$n"; done ;;
  restart)
    [ -f "$dir/size" ] || { echo "no cluster was started in $dir (LOYALTY_CLUSTER_DIR)" >&2; exit 1; }
    start_one "$2" "$(cat "$dir/size")" ;;
  kill)
    pid="$(cat "$dir/node-$2/engine.pid")"; kill -9 "$pid"; echo "node-$2 (process $pid) killed" ;;
  stop)
    instances
    if [ -n "${2:-}" ]; then
      [ -f "$dir/node-$2/engine.pid" ] || { echo "no instance node-$2 in $dir" >&2; exit 1; }
      stop_one "$dir/node-$2/engine.pid"; echo "node-$2 stopped"
    else
      for pidfile in "$dir"/node-*/engine.pid; do stop_one "$pidfile" & done
      wait; echo "stopped"
    fi ;;
  status)
    instances
    for out in "$dir"/node-*/engine.pid; do
      node="$(basename "$(dirname "$out")")"; i="${node#node-}"
      health="$(curl -s --max-time 2 "http://127.0.0.1:$((base_port + i))/health/ready" || echo down)"
      echo "$node port $((base_port + i)): $health"
    done ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
