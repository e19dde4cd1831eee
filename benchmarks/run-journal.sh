#!/usr/bin/env bash
# What a till online pays at each sale to look at its journal, after an outage (JMH, one thread);
# results in benchmarks/results/journal.txt.
#   benchmarks/run-journal.sh          # after: mvn -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl pos-adapter,benchmarks -am
mkdir -p benchmarks/results
java -jar "$jar" JournalBenchmark -t 1 -f 1 | tee benchmarks/results/journal.txt
