#!/usr/bin/env bash
# The cost of shipping the log to the backups under load (README "Backups"):
#   benchmarks/log-shipping-ab.sh <label> <LOYALTY_BACKUP_SHIP_LOG_EVERY>     e.g. on PT1M, then off PT0S
# One engine on a fresh data folder (/tmp/ab-<label>) on port 8095, a backup taken first (the log is archived from
# then on), then 16 terminals selling for 90 s after the warm-up. The driver's figures are appended to
# benchmarks/results/log-shipping.txt. Run the two in turns, more than once: the machine's own noise is large.
set -u
cd "$(dirname "$0")/.."
dir=/tmp/ab-$1
rm -rf "$dir"; mkdir -p "$dir"
LOYALTY_BACKUP_SHIP_LOG_EVERY=$2 LOYALTY_DATA_DIR=$dir/data LOYALTY_PORT=8095 \
  admin-war/src/main/sh/run-engine.sh > "$dir/engine.out" 2>&1 &
for _ in $(seq 1 120); do grep -q "Stop with Ctrl-C" "$dir/engine.out" && break; sleep 1; done
token=$(curl -s -H 'Content-Type: application/json' -d '{"email":"admin@demo.local","password":"admin-demo"}' \
  http://127.0.0.1:8095/api/v1/auth/login | sed 's/.*"token":"\([^"]*\)".*/\1/')
curl -s -X POST -H "Authorization: Bearer $token" http://127.0.0.1:8095/api/v1/admin/backups; echo
java -cp benchmarks/target/benchmarks.jar org.loyaltyengine.benchmarks.load.LoadDriver \
  --targets http://127.0.0.1:8095 --terminals 16 --seconds 90 --warmup 60 --warmup-max 150 --members 2000 \
  --phases sales --pids "$(cat "$dir/data/engine.pid")" --label "log shipping every $2" --results "$dir/load.txt" \
  > "$dir/driver.out" 2>&1
cat "$dir/load.txt" >> benchmarks/results/log-shipping.txt
grep -E "SALE|mix" "$dir/load.txt"
du -sh "$dir"/data/backups/*/log-since 2>/dev/null
kill "$(cat "$dir/data/engine.pid")"; sleep 5
