#!/usr/bin/env bash
# Runs the JMH benchmarks (in-process figures for bench/RESULTS.md). Extra arguments go to JMH,
# e.g. bench/run-jmh.sh LockfileBench -f 1
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$repo/scripts/jdk.sh"
JAVA_HOME="$(jdk_home)"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH" MAVEN_OPTS="${MAVEN_OPTS:---enable-native-access=ALL-UNNAMED}"
cd "$repo"
mvn -q -B -ntp -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/bench-classpath.txt
exec java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" org.openjdk.jmh.Main "$@"
