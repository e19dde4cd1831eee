#!/usr/bin/env bash
# Runs one of the engine's command-line tools, a main class of the engine's jar, with the Derby of the WAR the
# engine runs (restore-engine.sh, and run-engine.sh's placing of Derby's log):
#   engine-tool.sh <war> <main class> [arguments...]
set -euo pipefail
war="$1"; shift
[ -f "$war" ] || { echo "ERROR: $war is missing; build first with: mvn -DskipTests package" >&2; exit 2; }
command -v unzip >/dev/null || { echo "ERROR: unzip is needed (apt-get install unzip)" >&2; exit 2; }
libs="$(mktemp -d)"
trap 'rm -rf "$libs"' EXIT
(cd "$libs" && unzip -q -j "$war" 'WEB-INF/lib/derby*.jar' 'WEB-INF/lib/loyalty-engine-*.jar')
java -cp "$libs/*" -Dderby.stream.error.file="${DERBY_LOG:-/dev/null}" -Dderby.infolog.append=true "$@"
