# Shared by ./warden and scripts/test: locate a JDK >= 21 without starting a JVM.
# Usage: source this file, then `jdk_home` prints the newest suitable JDK home (or fails).

# The major version of a JDK home, read from its `release` file.
jdk_major() {
  local v
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || true)"
  echo "${v:-0}"
}

jdk_home() {
  local candidates=() home best="" best_major=0 major
  [ -n "${WARDEN_JAVA_HOME:-}" ] && candidates+=("$WARDEN_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    major="$(jdk_major "$home")"
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$home"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "warden: no JDK 21 or newer found; install one or set WARDEN_JAVA_HOME" >&2
    return 1
  fi
  echo "$best"
}
