#!/usr/bin/env bash
# Scale-out on one machine: starts several Parley instances (`./parley serve`, loopback) behind nginx, waits until
# they are healthy, runs the load test through nginx, shows how the sessions were spread across the instances, then
# stops everything (also on Ctrl-C or an error).
#
#   deploy/nginx/scaleout.sh [--sessions N] [--duration S] [--instances K] [--base-port P]
#
# Options (or the environment variables in brackets):
#   --sessions N     concurrent load-test sessions [SESSIONS, default 8]
#   --duration S     load-test duration in seconds [DURATION, default 20]
#   --instances K    Parley instances [INSTANCES, default 2]
#   --base-port P    nginx listens on P, instance i (1..K) on P+i [BASE_PORT, default 18080]
#   --drain-s S      each instance's --drain-s when it is stopped [DRAIN_S, default 5]
# Also: NGINX (the nginx binary, default: nginx on PATH, else /usr/sbin/nginx), PARLEY_CMD (the command that runs
# Parley, default the ./parley launcher, which builds first when needed), PARLEY_SERVE_ARGS (more `serve`
# options, e.g. "--brain rules"), LOADTEST (a command run instead of `./parley loadtest`, with the same arguments),
# STARTUP_S (how long instances may take to become healthy, default 240), KEEP_TMP=1 (keep the temporary directory
# with the logs and nginx.conf).
#
# Output: stdout has the load test's JSON line, then one JSON line with the spread, e.g.
#   {"spread":[{"instance":1,"port":18081,"sessions":4},{"instance":2,"port":18082,"sessions":4}]}
# Progress and logs go to stderr. Exit status: the load test's, or 1 when setting up failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

sessions="${SESSIONS:-8}"
duration="${DURATION:-20}"
instances="${INSTANCES:-2}"
base_port="${BASE_PORT:-18080}"
drain_s="${DRAIN_S:-5}"
startup_s="${STARTUP_S:-240}"

usage() { sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; }
fail() { echo "scaleout: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions="${2:?--sessions needs a value}"; shift 2 ;;
    --duration) duration="${2:?--duration needs a value}"; shift 2 ;;
    --instances) instances="${2:?--instances needs a value}"; shift 2 ;;
    --base-port) base_port="${2:?--base-port needs a value}"; shift 2 ;;
    --drain-s) drain_s="${2:?--drain-s needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; fail "unknown option: $1" ;;
  esac
done
for v in sessions duration instances base_port drain_s startup_s; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || fail "$v must be a whole number, not '${!v}'"
done
[ "$instances" -ge 1 ] || fail "instances must be at least 1"
[ "$sessions" -ge 1 ] || fail "sessions must be at least 1"
[ $((base_port + instances)) -le 65535 ] && [ "$base_port" -ge 1 ] || fail "ports $base_port..$((base_port + instances)) are out of range"

nginx_bin="${NGINX:-$(command -v nginx || true)}"
[ -n "$nginx_bin" ] || nginx_bin=/usr/sbin/nginx
[ -x "$nginx_bin" ] || fail "nginx is not installed (Debian/Ubuntu: apt-get install nginx-light, or set NGINX=/path/to/nginx)"
command -v curl >/dev/null || fail "curl is not installed (apt-get install curl)"

. "$root/bin/jdk.sh" # a JDK >= 21, as ./parley finds it (exits with advice if there is none)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-scaleout.XXXXXX")"
chmod 755 "$tmp" # nginx workers run as another user when started by root
pids=()
nginx_pid=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
    kill -TERM "$nginx_pid" 2>/dev/null || true
  fi
  local p
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done # each drains, then exits
  local deadline=$((SECONDS + drain_s + 15))
  for p in "${pids[@]}" $nginx_pid; do
    while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$p" 2>/dev/null; then
      echo "scaleout: process $p did not stop in time; killing it" >&2
      kill -KILL "$p" 2>/dev/null || true
    fi
    wait "$p" 2>/dev/null || true
  done
  if [ "${KEEP_TMP:-0}" = 1 ]; then
    echo "scaleout: logs and nginx.conf kept in $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_of() { echo $((base_port + $1)); }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for i in $(seq 0 "$instances"); do
  port_free "$(port_of "$i")" || fail "port $(port_of "$i") is in use (choose another --base-port)"
done

# shellcheck disable=SC2206 # PARLEY_CMD is a command line
parley=(${PARLEY_CMD:-"$root/parley"})
# Build once (./parley builds when sources changed), so the instances do not all build at the same time.
echo "scaleout: building Parley if needed…" >&2
"${parley[@]}" --version >/dev/null || fail "${parley[*]} --version failed"

for i in $(seq 1 "$instances"); do
  port="$(port_of "$i")"
  # shellcheck disable=SC2086 # PARLEY_SERVE_ARGS is a list of options
  "${parley[@]}" serve --host 127.0.0.1 --port "$port" --drain-s "$drain_s" ${PARLEY_SERVE_ARGS:-} \
    >"$tmp/parley-$i.log" 2>&1 &
  pids+=("$!")
  echo "scaleout: instance $i on 127.0.0.1:$port (pid $!, log $tmp/parley-$i.log)" >&2
done

listen="127.0.0.1:$base_port"
upstreams=""
for i in $(seq 1 "$instances"); do
  upstreams+="        server 127.0.0.1:$(port_of "$i") max_fails=1 fail_timeout=5s;"$'\n'
done
awk -v prefix="$tmp" -v listen="$listen" -v servers="${upstreams%$'\n'}" '
  { gsub(/@PREFIX@/, prefix); gsub(/@LISTEN@/, listen) }
  /^@UPSTREAM_SERVERS@$/ { print servers; next }
  { print }' "$here/parley.conf.template" >"$tmp/nginx.conf"
"$nginx_bin" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" -t -q || fail "nginx rejected $tmp/nginx.conf"
"$nginx_bin" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" &
nginx_pid=$!
echo "scaleout: nginx on $listen (pid $nginx_pid, config $tmp/nginx.conf)" >&2

# Wait until every instance answers /healthz, then nginx does too.
deadline=$((SECONDS + startup_s))
for i in $(seq 1 "$instances"); do
  port="$(port_of "$i")"
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; do
    if ! kill -0 "${pids[$((i - 1))]}" 2>/dev/null; then
      tail -n 20 "$tmp/parley-$i.log" >&2
      fail "instance $i stopped before it was healthy (log above)"
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$tmp/parley-$i.log" >&2; fail "instance $i was not healthy within ${startup_s} s"; }
    sleep 0.5
  done
done
until curl -fsS -o /dev/null "http://$listen/healthz" 2>/dev/null; do
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/error.log" >&2; fail "nginx stopped"; }
  [ $SECONDS -lt $deadline ] || fail "nginx did not answer on $listen within ${startup_s} s"
  sleep 0.2
done
echo "scaleout: $instances instance(s) healthy behind nginx" >&2

# Sessions opened so far, per instance (the counter parley_sessions_total of ServerMetrics).
opened() {
  curl -fsS "http://127.0.0.1:$(port_of "$1")/metrics" | awk '$1 == "parley_sessions_total" { printf "%d\n", $2; found = 1 } END { if (!found) print 0 }'
}
before=()
for i in $(seq 1 "$instances"); do before+=("$(opened "$i")"); done

url="ws://$listen/v1/realtime"
echo "scaleout: load test: $sessions session(s) for $duration s through $url" >&2
status=0
if [ -n "${LOADTEST:-}" ]; then
  # shellcheck disable=SC2086 # LOADTEST is a command line
  $LOADTEST --url "$url" --sessions "$sessions" --duration "$duration" --json || status=$?
else
  "${parley[@]}" loadtest --url "$url" --sessions "$sessions" --duration "$duration" --json || status=$?
fi
[ "$status" -eq 0 ] || echo "scaleout: the load test failed (exit $status)" >&2

spread=""
empty=0
for i in $(seq 1 "$instances"); do
  n=$(( $(opened "$i") - before[i - 1] ))
  [ "$n" -gt 0 ] || empty=$((empty + 1))
  echo "scaleout: instance $i (127.0.0.1:$(port_of "$i")): $n session(s)" >&2
  spread+="${spread:+,}{\"instance\":$i,\"port\":$(port_of "$i"),\"sessions\":$n}"
done
echo "{\"spread\":[$spread]}"
[ "$empty" -eq 0 ] || echo "scaleout: $empty instance(s) got no session" >&2
exit "$status"
