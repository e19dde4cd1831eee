#!/usr/bin/env bash
# The reliability suite in one command: starts the engine, runs the checks against it through the HTTP contract,
# kills it with -9 in the middle of a load and starts it again, stops it, and fails on any loss.
#
#   benchmarks/reliability.sh [--short] derby|postgresql|both        (default: both)
#
#   derby       one engine on embedded Derby (durable commits), in a fresh data folder; the whole engine is killed
#   postgresql  two instances clustered by Payara's Hazelcast over PostgreSQL (127.0.0.1:5432, user postgres), on a
#               fresh database loyalty_reliability; instance 1 is killed while instance 2 keeps serving
#   --short     the CI size (a few minutes per mode; no freeze check); without it: 10,000 sales sent 2-5 times
#               each, 1,000 concurrent redemptions, 3,000 hostile requests, 90 s of load around the kill
#
# Checks (ReliabilitySuite): bad input, sign-in locks, key revocation (a till's key revoked on one instance is refused
# by it at once and by the others as soon as the cluster tells them), duplicates, over-redemption, crash (with the POS
# adapter's offline journal),
# and on PostgreSQL connection drops (PostgreSQL ends every connection of the instances, several times, under load;
# then, where this user may signal PostgreSQL's processes, stops those of the instances' connections for 45 s),
# freeze (instance 1 stopped with SIGSTOP for 45-60 s under load, then woken up with SIGCONT) and rule publication
# (a rule set published on one instance, rolled back on the other: the next sale on each is decided by the live one),
# and last, scheduled jobs: the engines run the expiry and the tier reviews every 10 s here (LOYALTY_JOBS_*), and
# each period must have been run once, by one instance, through the kill and the freeze.
# Figures are printed and appended to benchmarks/results/reliability.txt (short runs: target/reliability/results.txt).
# Environment: LOYALTY_RELIABILITY_CHECKS (some of bad-input,duplicates,redemptions,rule-publication,crash,connection-drops,freeze,scheduled-jobs,sign-in-locks), LOYALTY_RELIABILITY_PORT (8190; the cluster uses the next ports), LOYALTY_RELIABILITY_DIR
# (target/reliability).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
short=""
restart_only=""
modes=()
for arg in "$@"; do
  case "$arg" in
    --short) short="--short" ;;
    derby|postgresql) modes+=("$arg") ;;
    both) modes+=(derby postgresql) ;;
    __start-derby) restart_only=1 ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
  esac
done
[ ${#modes[@]} -gt 0 ] || modes=(derby postgresql)

work="${LOYALTY_RELIABILITY_DIR:-$root/target/reliability}"
port="${LOYALTY_RELIABILITY_PORT:-8190}"
jar="$root/benchmarks/target/benchmarks.jar"
results="$root/benchmarks/results/reliability.txt"
[ -z "$short" ] || results="$work/results.txt"
if [ -z "$restart_only" ] && { [ ! -f "$jar" ] || [ ! -f "$root/admin-war/target/loyalty.war" ]; }; then
  mvn -B -q -DskipTests install
fi
mkdir -p "$work"

# The jobs every 10 s in place of every hour, so that the run sees many periods go by (the scheduled-jobs check).
job_every=PT10S
export LOYALTY_JOBS_EXPIRY_EVERY=$job_every LOYALTY_JOBS_EXPIRY_AT=PT0S
export LOYALTY_JOBS_TIER_REVIEW_EVERY=$job_every LOYALTY_JOBS_TIER_REVIEW_AT=PT5S

# suite CHECKS ARGS...: the checks (unless LOYALTY_RELIABILITY_CHECKS names others) against the engine(s) up now.
suite() {
  local checks="${LOYALTY_RELIABILITY_CHECKS:-$1}"; shift
  java -Xmx1g -cp "$jar" org.loyaltyengine.benchmarks.reliability.ReliabilitySuite $short --results "$results" \
    --checks "$checks" --job-every "$job_every" "$@"
}

# The engine's account of every 500 it answered (the caller got only the incident id): the exception and what
# caused it, with the first frames of each, so that a failed run (in CI too) says why without its logs.
incidents() {
  local log
  for log in "$@"; do
    [ -f "$log" ] || continue
    grep -q "Incident " "$log" || continue
    echo "incidents in $log:"
    # From each "Incident <id>" to the end of its log record ("]]" or the next record's "[20..." header): every
    # exception's message (the SQL statements cut to 200 characters) and the first 4 frames under each.
    awk '/Incident [0-9a-f-]+/ { inside = 1; frames = 0; print "  " $0; next }
         inside && (/^\]\]/ || /^\[20[0-9][0-9]-/) { inside = 0; next }
         !inside { next }
         /^[ \t]+at / { if (frames++ < 4) print "      " $0; next }
         /^[ \t]+\.\.\. [0-9]+ more/ { next }
         { frames = 0; print "    " substr($0, 1, 200) }' "$log" | head -600 || true
  done
}

# ---- one engine on embedded Derby -------------------------------------------------------------------------------
derby_dir="$work/derby"

start_derby() {
  local before
  # grep -c prints nothing for a file not there yet (the first start): counted as 0.
  before="$(grep -c "Loyalty engine ready" "$derby_dir.out" 2>/dev/null || true)"
  before="${before:-0}"
  LOYALTY_DATA_DIR="$derby_dir" LOYALTY_PORT="$port" nohup "$root/admin-war/src/main/sh/run-engine.sh" \
    >> "$derby_dir.out" 2>&1 &
  for _ in $(seq 1 240); do
    local ready
    ready="$(grep -c "Loyalty engine ready" "$derby_dir.out" 2>/dev/null || true)"
    if [ "${ready:-0}" -gt "$before" ]; then
      echo "engine up on http://127.0.0.1:$port (Derby in $derby_dir)"; return 0
    fi
    sleep 1
  done
  echo "ERROR: the engine did not start; see $derby_dir.out" >&2; tail -30 "$derby_dir.out" >&2; return 1
}

stop_derby() {
  if [ -f "$derby_dir/engine.pid" ] && kill -0 "$(cat "$derby_dir/engine.pid")" 2>/dev/null; then
    kill -TERM "$(cat "$derby_dir/engine.pid")" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$(cat "$derby_dir/engine.pid")" 2>/dev/null || return 0; sleep 1; done
    kill -9 "$(cat "$derby_dir/engine.pid")" 2>/dev/null || true
  fi
}

run_derby() {
  rm -rf "$derby_dir" "$derby_dir.out"
  trap stop_derby EXIT
  start_derby
  local status=0
  suite bad-input,sign-in-locks,key-revocation,duplicates,redemptions,crash,scheduled-jobs --label "1 engine, embedded Derby" --targets "http://127.0.0.1:$port" \
    --kill "kill -9 \$(cat '$derby_dir/engine.pid')" --restart "$0 __start-derby" \
    --dump "jcmd \$(cat '$derby_dir/engine.pid') Thread.print > '$work/derby-threads-when-the-till-waits.txt'" \
    --key-file "$derby_dir/keys/token-signing.key" || status=$?
  stop_derby
  [ "$status" = 0 ] || incidents "$derby_dir.out"
  trap - EXIT
  return $status
}

# ---- two instances on PostgreSQL ----------------------------------------------------------------------------------
export LOYALTY_CLUSTER_DIR="$work/cluster" LOYALTY_BASE_PORT="$port"
database=loyalty_reliability
export LOYALTY_DB_URL="jdbc:postgresql://127.0.0.1:5432/$database"
cluster="$root/admin-war/src/main/sh/run-cluster.sh"

# The command that restarts the PostgreSQL server at 127.0.0.1:5432, for the full connection-drops check: Debian's
# pg_ctlcluster when this user may run it (LOYALTY_RELIABILITY_DB_RESTART overrides; empty: no restart). The short
# (CI) run only has PostgreSQL end the connections, never restarts the server.
db_restart() {
  if [ -n "${LOYALTY_RELIABILITY_DB_RESTART+set}" ]; then echo "$LOYALTY_RELIABILITY_DB_RESTART"; return; fi
  [ -z "$short" ] && command -v pg_lsclusters > /dev/null && [ "$(id -u)" = 0 ] || return 0
  pg_lsclusters -h | awk '$3 == 5432 && $4 == "online" { print "pg_ctlcluster " $1 " " $2 " restart"; exit }'
}

# The connection-drops check also stalls the database (its server processes stopped with SIGSTOP) when this user may
# signal them; the engines give up a read after 10 s here (120 s by default).
db_stall() {
  local server
  server=$(pgrep -o -x postgres 2> /dev/null || true)
  if [ -n "$server" ] && kill -0 "$server" 2> /dev/null; then
    echo "--db-stall $LOYALTY_DB_SOCKET_TIMEOUT"
  else
    echo "  database stall: left out, this user may not signal PostgreSQL's processes" >&2
  fi
}
export LOYALTY_DB_SOCKET_TIMEOUT=10

run_postgresql() {
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc "SELECT 1" > /dev/null; then
    echo "ERROR: PostgreSQL is not reachable at 127.0.0.1:5432 as user postgres" >&2; return 1
  fi
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)"
  rm -rf "$LOYALTY_CLUSTER_DIR"
  trap '"$cluster" stop > /dev/null' EXIT
  "$cluster" start 2
  local status=0
  # The freeze check (2.5 minutes, its criterion a rate that a busy machine moves) runs in the full suite only: CI's
  # whole build stays well under 30 minutes on two cores.
  local checks=bad-input,sign-in-locks,key-revocation,duplicates,redemptions,rule-publication,crash,connection-drops,freeze,scheduled-jobs
  [ -z "$short" ] || checks="${checks/,freeze/}"
  suite "$checks" --label "2 instances, PostgreSQL" --targets "http://127.0.0.1:$((port + 1)),http://127.0.0.1:$((port + 2))" \
    --kill "'$cluster' kill 1" --restart "'$cluster' restart 1" \
    --freeze "kill -STOP \$(cat '$LOYALTY_CLUSTER_DIR/node-1/engine.pid')" \
    --thaw "kill -CONT \$(cat '$LOYALTY_CLUSTER_DIR/node-1/engine.pid')" \
    --dump "jcmd \$(cat '$LOYALTY_CLUSTER_DIR/node-1/engine.pid') Thread.print > '$work/node-1-threads-when-the-till-waits.txt';
            psql -h 127.0.0.1 -U postgres -d $database -c 'SELECT pid, state, wait_event_type, wait_event,
            now() - xact_start AS in_transaction, left(query, 120) AS query FROM pg_stat_activity
            WHERE datname = current_database()' > '$work/database-when-the-till-waits.txt'" \
    --key-file "$LOYALTY_CLUSTER_DIR/token-signing.key" --jdbc "$LOYALTY_DB_URL" --db-restart "$(db_restart)" \
    $(db_stall) || status=$?
  # How often the instances ran a transaction again after losing its connection (connection drops, the kill).
  echo "  transactions run again after a lost database connection, by instance: $(grep -c "database connection was lost" \
    "$LOYALTY_CLUSTER_DIR"/node-*.out | tr '\n' ' ')" | tee -a "$results"
  # How often the database's journal refused a period the instance had claimed in the grid: the two halves of a
  # cluster that lost sight of each other (the freeze) each claim the same period.
  echo "  scheduled runs refused by the journal (the period was run by the other instance), by instance: $(grep -c \
    "was begun already" "$LOYALTY_CLUSTER_DIR"/node-*.out | tr '\n' ' ')" | tee -a "$results"
  "$cluster" stop > /dev/null
  [ "$status" = 0 ] || incidents "$LOYALTY_CLUSTER_DIR"/node-*.out   # node-1.previous.out: before the kill
  trap - EXIT
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" || true
  return $status
}

if [ -n "$restart_only" ]; then
  start_derby; exit $?
fi

failed=0
for mode in "${modes[@]}"; do
  echo "== reliability suite on $mode ${short:+(short)}"
  "run_$mode" || failed=1
done
[ "$failed" = 0 ] && echo "reliability: every check passed" || echo "reliability: FAILED (see above)"
exit $failed
