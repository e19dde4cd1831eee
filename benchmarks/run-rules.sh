#!/usr/bin/env bash
# Rule evaluation (JMH, one thread) and rule set build times; results in benchmarks/results/.
#   benchmarks/run-rules.sh            # after: mvn -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl rules,benchmarks -am
mkdir -p benchmarks/results
java -jar "$jar" RuleEvaluationBenchmark -t 1 -f 1 -bm thrpt,sample -tu us \
  -rf json -rff benchmarks/results/rule-evaluation.json | tee benchmarks/results/rule-evaluation.txt
java -cp "$jar" org.loyaltyengine.benchmarks.RuleBuildBenchmark benchmarks/results/rule-build.txt
