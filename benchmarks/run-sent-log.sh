#!/usr/bin/env bash
# What a till pays at each sale for its sent log once it holds weeks of sales (JMH, one thread);
# results in benchmarks/results/sent-log.txt.
#   benchmarks/run-sent-log.sh          # after: mvn -B -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
[ -f "$jar" ] || mvn -B -q -DskipTests package -pl pos-adapter,benchmarks -am
mkdir -p benchmarks/results
java -jar "$jar" SentLogBenchmark -t 1 -f 1 | tee benchmarks/results/sent-log.txt
