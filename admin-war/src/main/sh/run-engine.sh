#!/usr/bin/env bash
# Starts the loyalty engine on Payara Micro and tells the user where it is.
#
# Called by `mvn -Prun` with the paths below; can be called directly once the WAR is built:
#   LOYALTY_DATA_DIR  folder of the engine's state (embedded Derby, signing key)   default ./data
#   LOYALTY_PORT      HTTP port                                                     default 8080
#   LOYALTY_DB_LOG_DIR  Derby only: the folder of the database's transaction log, best on another disk than the
#                     data folder (the log of an existing database is moved there at this start; README, "Backups")
#   LOYALTY_DB_KIND   derby (default) or postgresql (then LOYALTY_DB_URL, LOYALTY_DB_USER, LOYALTY_DB_PASSWORD,
#                     LOYALTY_DB_SOCKET_TIMEOUT: the longest a read waits, in seconds, default 120)
#   PAYARA_MICRO_JAR, LOYALTY_WAR   what to run (admin-war/target/payara-micro.jar, admin-war/target/loyalty.war)
#   LOYALTY_JAVA_OPTS extra JVM options                      default -Xmx512m -XX:+UseParallelGC
#     (the parallel collector: on two cores a sale costs less CPU than under G1, the default, and the JIT has
#     less to compile; 408 against 271-286 sales/s at 16 terminals, benchmarks/HISTORY.md). The JVM is always
#     started with -XX:+ExitOnOutOfMemoryError before them: an engine that runs out of memory stops (this script
#     exits non-zero, for whatever supervises it to start it again) rather than answer 500 to every sale while
#     /health/ready says UP, as it did once Payara's Hazelcast had died of it. -XX:-ExitOnOutOfMemoryError in
#     LOYALTY_JAVA_OPTS turns that off. It also runs in UTC (-Duser.timezone=UTC): the engine refuses a JVM time zone
#     whose clocks change (times in the hour skipped in spring would be stored an hour off); each programme has its
#     own time zone all the same.
#   LOYALTY_DEMO_SEED  false: no demo programme (its accounts, known passwords and till keys) on an empty database
#   LOYALTY_ADMIN_EMAIL, LOYALTY_ADMIN_PASSWORD  the first administrator, created at a start when none can sign in
#                     (read by the engine from its environment; README, "Staff")
#   LOYALTY_BENCH_ENDPOINT  true to open POST /api/v1/pos/bench/insert (the load benchmark's yardstick)
#   LOYALTY_CLUSTER   the name of a Payara cluster to join (PostgreSQL only); unset: not clustered
#     LOYALTY_INSTANCE          this instance's name in the cluster                  default <host>-<port>
#     LOYALTY_CLUSTER_MEMBERS   Hazelcast members to find (host:port,...)            default 127.0.0.1:5900,127.0.0.1:5901,127.0.0.1:5902
#     LOYALTY_CLUSTER_PORT      this instance's Hazelcast port                       default 5900 (the next free one)
#     LOYALTY_CLUSTER_INTERFACES  the interface Hazelcast binds                      default 127.0.0.1
#     LOYALTY_SIGNING_KEY_FILE  the token signing key every instance shares          default <data>/keys/token-signing.key
#     LOYALTY_CLUSTER_MERGE_SECONDS  how often the cluster looks for instances it lost   default 30 (Hazelcast: 120,
#                               and 300 after the start): an instance that paused longer than the heartbeat time-out
#                               (60 s) comes back as a cluster of its own, until the two are merged
#
# The data folder is locked for as long as the engine runs: a second engine pointed at it stops at once with a
# clear message. The script waits until the engine reports ready, then prints the URLs and demo credentials;
# if the application fails to deploy, it stops Payara (which would otherwise answer 404s) and exits non-zero.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
data_dir="$(mkdir -p "${LOYALTY_DATA_DIR:-data}" && cd "${LOYALTY_DATA_DIR:-data}" && pwd)"
port="${LOYALTY_PORT:-8080}"
db_kind="${LOYALTY_DB_KIND:-derby}"
micro="${PAYARA_MICRO_JAR:-$here/target/payara-micro.jar}"
war="${LOYALTY_WAR:-$here/target/loyalty.war}"

for file in "$micro" "$war"; do
  [ -f "$file" ] || { echo "ERROR: $file is missing; build first with: mvn -Prun (or mvn -DskipTests package)" >&2; exit 2; }
done

exec 9>"$data_dir/engine.lock"
if ! flock -n 9; then
  echo "ERROR: the data folder $data_dir is in use by another running engine (process $(cat "$data_dir/engine.pid" 2>/dev/null || echo '?'))." >&2
  echo "       Stop that engine, or start this one with LOYALTY_DATA_DIR set to another folder." >&2
  exit 3
fi

if [ "$db_kind" = derby ] && [ -f "$data_dir/RESTORE-FAILED" ]; then
  echo "ERROR: the last restore of $data_dir failed; the engine is not started on what it left:" >&2
  cat "$data_dir/RESTORE-FAILED" >&2
  echo "       Restore again (restore-engine.sh), or delete $data_dir/RESTORE-FAILED to start anyway." >&2
  exit 4
fi
if [ "$db_kind" = derby ] && [ -n "${LOYALTY_DB_LOG_DIR:-}" ]; then
  DERBY_LOG="$data_dir/derby.log" "$here/src/main/sh/engine-tool.sh" "$war" \
    org.loyaltyengine.engine.infrastructure.persistence.DerbyLog "$data_dir/database" "$LOYALTY_DB_LOG_DIR"
fi

# Payara Micro's runtime folder is kept out of /tmp (STACK.md, T12) but rebuilt at every start: Payara remembers
# the applications deployed in it and would deploy the WAR a second time, booting Derby twice in one JVM.
rm -rf "$data_dir/payara"

cluster_args=(--nocluster)
cluster_jvm=()
if [ -n "${LOYALTY_CLUSTER:-}" ]; then
  if [ "$db_kind" != postgresql ]; then
    echo "ERROR: the instances of a cluster share one PostgreSQL database: set LOYALTY_DB_KIND=postgresql" >&2
    exit 2
  fi
  cluster_args=(--clustername "$LOYALTY_CLUSTER" --name "${LOYALTY_INSTANCE:-$(hostname)-$port}"
    --clustermode "tcpip:${LOYALTY_CLUSTER_MEMBERS:-127.0.0.1:5900,127.0.0.1:5901,127.0.0.1:5902}"
    --startport "${LOYALTY_CLUSTER_PORT:-5900}" --interfaces "${LOYALTY_CLUSTER_INTERFACES:-127.0.0.1}" --nohostaware)
  # Hazelcast listens on the interface it announces only (LOYALTY_CLUSTER_INTERFACES), not on every interface of the
  # machine: a cluster on loopback is not reachable from the network (LOYALTY_CLUSTER_BIND_ANY=true: every one).
  cluster_jvm=(-Dhazelcast.merge.first.run.delay.seconds="${LOYALTY_CLUSTER_MERGE_SECONDS:-30}"
    -Dhazelcast.merge.next.run.delay.seconds="${LOYALTY_CLUSTER_MERGE_SECONDS:-30}"
    -Dhazelcast.socket.bind.any="${LOYALTY_CLUSTER_BIND_ANY:-false}")
fi

log="$data_dir/engine.log"
# The last run's log is kept beside the new one (what happened before a crash or a restore, who took a backup).
[ ! -s "$log" ] || mv "$log" "$data_dir/engine.previous.log"
: > "$log"
# shellcheck disable=SC2086
java -XX:+ExitOnOutOfMemoryError -Duser.timezone=UTC ${LOYALTY_JAVA_OPTS:--Xmx512m -XX:+UseParallelGC} \
  ${cluster_jvm[@]+"${cluster_jvm[@]}"} \
  -Dloyalty.data.dir="$data_dir" -Dloyalty.db.kind="$db_kind" -Dloyalty.port="$port" \
  -Dloyalty.db.url="${LOYALTY_DB_URL:-jdbc:postgresql://127.0.0.1:5432/loyalty}" \
  -Dloyalty.db.user="${LOYALTY_DB_USER:-postgres}" -Dloyalty.db.password="${LOYALTY_DB_PASSWORD:-}" \
  -Dloyalty.db.socket-timeout="${LOYALTY_DB_SOCKET_TIMEOUT:-120}" \
  -Dderby.stream.error.file="$data_dir/derby.log" -Dderby.language.sequence.preallocator=1000 \
  -Dderby.language.statementCacheSize=1000 \
  -Dloyalty.signing.key.file="${LOYALTY_SIGNING_KEY_FILE:-}" \
  -Dloyalty.bench.endpoint="${LOYALTY_BENCH_ENDPOINT:-false}" \
  -jar "$micro" "${cluster_args[@]}" --rootdir "$data_dir/payara" --port "$port" --contextroot / --deploy "$war" \
  > >(tee -a "$log") 2>&1 &
engine=$!
echo "$engine" > "$data_dir/engine.pid"
trap 'kill -TERM "$engine" 2>/dev/null; wait "$engine"' INT TERM

ready=""
for _ in $(seq 1 180); do
  if ! kill -0 "$engine" 2>/dev/null; then
    wait "$engine" || exit $?
    exit 1
  fi
  health="$(curl -s --max-time 2 "http://127.0.0.1:$port/health/ready" || true)"
  case "$health" in
    *'"status":"UP"'*)
      # Ready, and the API itself answers (an unauthenticated call is refused by the engine, not by Payara).
      if [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/me" || true)" = 401 ]; then
        ready=yes; break
      fi ;;
  esac
  # Payara Micro has finished booting but the application is not ready: it failed to deploy (STACK.md, T1).
  if grep -q "Payara Micro .* ready in" "$log"; then
    sleep 2
    case "$(curl -s --max-time 2 "http://127.0.0.1:$port/health/ready" || true)" in
      *'"status":"UP"'*) ready=yes; break ;;
    esac
    echo "ERROR: the engine did not deploy; the reason is in the log above ($log). Stopping." >&2
    kill -TERM "$engine"; wait "$engine" || true; exit 1
  fi
  sleep 1
done
if [ -z "$ready" ]; then
  echo "ERROR: the engine was not ready after 180 s. Stopping." >&2
  kill -TERM "$engine"; wait "$engine" || true; exit 1
fi

base="http://localhost:$port"
cat <<BANNER

==================================================================
 Loyalty engine ready: $base/
   customers  $base/account/    back office: $base/backoffice/
   API        $base/api/v1      contract: $base/openapi
   health     $base/health      metrics:  $base/metrics
   data       $data_dir ($db_kind)
BANNER
demo_check="$(curl -s --max-time 30 -w " HTTP%{http_code}" -H "X-Api-Key: demo-pos-S001" "http://127.0.0.1:$port/api/v1/pos/cards/2900000000018" || true)"
if [[ "$demo_check" == *HTTP200 ]]; then
  cat <<DEMO
 Demo programme DEMO:
   POS keys   X-Api-Key: demo-pos-S001 (store S001), demo-pos-S002 (store S002)
   manager    manager@demo.local / manager-demo    admin: admin@demo.local / admin-demo
   auditor    auditor@demo.local / auditor-demo
   customers  claire@demo.local / claire-demo   card 2900000000018 (SILVER)
              marc@demo.local / marc-demo       card 2900000000025 (BRONZE)
              lina@demo.local / lina-demo       card 2900000000032 (GOLD)
DEMO
fi
if [ -n "${LOYALTY_ADMIN_EMAIL:-}" ]; then
  admin_email="${LOYALTY_ADMIN_EMAIL,,}"
  echo " administrator  ${admin_email// /} (LOYALTY_ADMIN_EMAIL: created at a start when no administrator could sign in)"
fi
echo "=================================================================="
echo " Stop with Ctrl-C."
wait "$engine"
