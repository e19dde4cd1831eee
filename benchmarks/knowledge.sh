#!/usr/bin/env bash
# Customer knowledge at retail scale: generates a synthetic programme (members, cards, sales, sale lines) into a
# fresh PostgreSQL database with the engine's migrations, then times the engine's recomputation of every
# member's scores, segment and attrition risk on it. Results appended to benchmarks/results/knowledge-recompute.txt.
#   benchmarks/knowledge.sh                       # 1,000,000 members, 20,000,000 sales (about 8 + 4 minutes)
#   benchmarks/knowledge.sh 100000 2000000        # a tenth of it
#   DB_URL=jdbc:derby:/tmp/bench-derby;create=true benchmarks/knowledge.sh 100000 2000000   # embedded Derby
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000000}
sales=${2:-20000000}
url=${DB_URL:-jdbc:postgresql://127.0.0.1:5432/loyalty_bench}
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl rules,engine,benchmarks -am
fresh=""
case "$url" in jdbc:postgresql:*) fresh="--fresh" ;; esac
java -Xmx2g -cp "$jar" org.loyaltyengine.benchmarks.data.SyntheticData --url "$url" --user "${DB_USER:-postgres}" \
  $fresh --members "$members" --sales "$sales"
/usr/bin/time -f "recompute process: %e s wall, %M KiB max resident" \
  java -Xmx2g -cp "$jar" org.loyaltyengine.benchmarks.data.KnowledgeBenchmark --url "$url" \
  --user "${DB_USER:-postgres}" --results benchmarks/results/knowledge-recompute.txt
