#!/usr/bin/env bash
# Measures the engine's start-to-ready time (fresh data folder, then restart) and resident memory after start.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
for run in first-start restart; do
  [ "$run" = first-start ] && rm -rf /tmp/measure-data
  start=$(date +%s.%N)
  LOYALTY_DATA_DIR=/tmp/measure-data LOYALTY_PORT=8191 bash admin-war/src/main/sh/run-engine.sh > /tmp/measure-$run.log 2>&1 &
  pid=$!
  until grep -q "Stop with Ctrl-C\|Demo credentials\|demo credentials" /tmp/measure-$run.log 2>/dev/null; do sleep 0.2; done
  end=$(date +%s.%N)
  sleep 5
  rss=$(ps -o rss= -p "$(pgrep -f 'payara-micro.jar.*8191' | head -1)")
  printf '%s: ready after %.1f s, RSS %d MiB\n' "$run" "$(echo "$end - $start" | bc)" $((rss / 1024))
  pkill -TERM -f 'payara-micro.jar.*8191'; wait $pid || true
done
