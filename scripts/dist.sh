#!/usr/bin/env bash
# Builds target/warden-VERSION.tar.gz, Warden's self-contained distribution, from the shaded jar: bin/warden,
# lib/warden.jar, a Java runtime linked with jlink from the building JDK (when it can link one) and, for JDK 25
# runtimes, an AOT start-up cache trained on that runtime with every command's workload, so the first run in a fresh
# CI job starts as fast as the hundredth. (One cache for all: measured on the linked runtime, a command's own cache
# starts it no faster than the shared one, and nine of them weigh 200 MB.) Run by `mvn package`; skipped with
# -Ddist.skip=true, as ./warden does when it builds itself.
# Usage: scripts/dist.sh VERSION JAVA_HOME
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="$1" java_home="$2"
. "$repo/scripts/jdk.sh"
name="warden-$version"
dist="$repo/target/dist/$name"
rm -rf "$repo/target/dist" && mkdir -p "$dist/bin" "$dist/lib"
cp "$repo/target/warden.jar" "$dist/lib/warden.jar"
cp "$repo/src/dist/warden" "$dist/bin/warden" && chmod 755 "$dist/bin/warden"
cp "$repo/scripts/jdk.sh" "$dist/lib/jdk.sh"
cp "$repo/src/dist/LICENSES.md" "$dist/LICENSES.md"
cp "$repo/src/main/advisories/README.md" "$dist/lib/ADVISORY-DATA.md"

# The modules Warden uses (jdeps on the shaded jar), plus the ones libraries reach by reflection or for TLS.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql
modules="$modules,java.compiler,jdk.crypto.ec,jdk.httpserver,jdk.net,jdk.unsupported,jdk.zipfs"
# Compressed modules and stripped native symbols: a fresh CI job unpacks the runtime on every run, and the start-up
# cache maps the classes it needs without reading them from the module image.
link=(--add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-6)
command -v objcopy >/dev/null 2>&1 && link+=(--strip-native-debug-symbols=objcopy="$(command -v objcopy)")
if "$java_home/bin/jlink" "${link[@]}" --output "$dist/runtime" >/dev/null 2>&1; then
  if [ "$(jdk_major "$dist/runtime")" -ge 25 ]; then
    mkdir -p "$dist/lib/aot"
    scratch="$(mktemp -d)"
    trap 'rm -rf "$scratch"' EXIT
    cp -r "$repo/examples" "$scratch/examples"
    "$dist/runtime/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData \
      --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput="$dist/lib/aot/warden.aot" \
      -Xlog:aot*=off -Xlog:cds=off -cp "$dist/lib/warden.jar" dev.warden.cli.Training \
      "$scratch/examples/ripgrep" >/dev/null 2>&1 || rm -f "$dist/lib/aot/warden.aot"
  fi
else
  echo "dist: $java_home cannot link a runtime; the distribution will use a JDK >= 21 from the machine" >&2
  rm -rf "$dist/runtime"
fi
tar -czf "$repo/target/$name.tar.gz" -C "$repo/target/dist" "$name"
