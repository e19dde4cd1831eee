#!/usr/bin/env bash
# Restores an engine on embedded Derby from one of its backups, the engine stopped (README, "Backups"):
#   admin-war/src/main/sh/restore-engine.sh <backup folder, or its name> [--to-backup]
# With the database's transaction log still in place (the database's files damaged, say), the backup is brought
# forward to the last commit by replaying the log written since it: nothing is lost. Without it (the database
# folder lost), or with --to-backup, the database is the backup as it is. The database found is kept as
# <data>/database.before-restore-<time>; the token signing key is put back from the backup if it is missing.
#   LOYALTY_DATA_DIR   the engine's data folder                                     default ./data
#   LOYALTY_BACKUP_DIR where a backup given by its name is looked up              default <data>/backups
#   LOYALTY_SIGNING_KEY_FILE  the key file the engine uses                        default <data>/keys/token-signing.key
#   LOYALTY_DB_LOG_DIR the folder of Derby's transaction log, if the engine keeps it apart (run-engine.sh)
#   LOYALTY_WAR        the engine's WAR, whose Derby restores it                    default admin-war/target/loyalty.war
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
[ $# -ge 1 ] || { echo "Usage: $0 <backup folder or name> [--to-backup]" >&2; exit 2; }
data_dir="$(mkdir -p "${LOYALTY_DATA_DIR:-data}" && cd "${LOYALTY_DATA_DIR:-data}" && pwd)"
war="${LOYALTY_WAR:-$here/target/loyalty.war}"

# The engine holds this lock for as long as it runs (run-engine.sh): never restore under a running engine.
exec 9>"$data_dir/engine.lock"
if ! flock -n 9; then
  echo "ERROR: the engine is running on $data_dir (process $(cat "$data_dir/engine.pid" 2>/dev/null || echo '?')): stop it first." >&2
  exit 3
fi

DERBY_LOG="$data_dir/derby.log" "$here/src/main/sh/engine-tool.sh" "$war" \
  org.loyaltyengine.engine.infrastructure.persistence.BackupRestore "$data_dir" "$@"
