# Sourced by ./parley, ./test and .ci/run: sets JAVA_HOME to a JDK >= 21, or explains what to install and exits.
# Looks at $PARLEY_JAVA_HOME, $JAVA_HOME, the java on PATH, then every JDK under /usr/lib/jvm and /opt.

# The major version from the JDK's release file (no JVM started: a JVM launch costs 0.3-1.5 s, more on a busy
# machine, and ./parley starts every command through this file); the JVM's own answer only when there is no file.
_parley_java_major() {
  local v=""
  [ -f "$1/release" ] && v="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9.]*\).*/\1/p' "$1/release" | head -n 1)"
  [ -n "$v" ] || v="$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  v="${v#1.}"   # 1.8 -> 8
  echo "${v%%.*}"
}

_parley_find_jdk() {
  local c v seen=""
  local onpath=""
  if command -v javac >/dev/null 2>&1; then onpath="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"; fi
  for c in "${PARLEY_JAVA_HOME:-}" "${JAVA_HOME:-}" "$onpath" /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v="$(_parley_java_major "$c")"
    seen="$seen $c (Java ${v:-?})"
    if [ -n "$v" ] && [ "$v" -ge 21 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  echo "$seen"
  return 1
}

if _found="$(_parley_find_jdk)"; then
  export JAVA_HOME="$_found"
else
  {
    echo "Parley needs a JDK 21 or newer, and none was found."
    [ -n "${_found// /}" ] && echo "Found only:$_found"
    echo "Install one, for example:"
    echo "  Debian 13 / Ubuntu 24.04:  sudo apt-get install openjdk-21-jdk"
    echo "  any system:                Eclipse Temurin 21 or 25 (then set JAVA_HOME to it)"
  } >&2
  exit 3
fi
unset _found

if ! command -v mvn >/dev/null 2>&1; then
  echo "Parley builds with Apache Maven 3.8 or newer, which is not installed (e.g. sudo apt-get install maven)." >&2
  exit 3
fi
# Maven's own libraries touch sun.misc.Unsafe, which JDK 24+ warns about on every run.
if [ "$(_parley_java_major "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
