#!/usr/bin/env bash
# Scale-out on one machine: starts several Parley instances (`./parley serve`, loopback) behind nginx, waits until
# they are healthy, runs the load test through nginx, shows how the sessions were spread across the instances, then
# stops everything (also on Ctrl-C or an error).
#
#   deploy/nginx/scaleout.sh [--sessions N] [--duration S] [--instances K] [--engines M] [--base-port P]
#
# Options (or the environment variables in brackets):
#   --sessions N     concurrent load-test sessions [SESSIONS, default 8]
#   --duration S     load-test duration in seconds [DURATION, default 20]
#   --instances K    Parley instances [INSTANCES, default 2]
#   --base-port P    nginx listens on P, instance i (1..K) on P+i [BASE_PORT, default 18080]
#   --drain-s S      each instance's --drain-s when it is stopped [DRAIN_S, default 5]
#   --engines M      the split layout [ENGINES, default 0: none]: M engine instances (`serve` with a random token,
#                    on P+101..P+100+M) behind a second nginx on P+100 (engines.conf.template), and the K front
#                    instances hold the conversations with `--preset openai` and OPENAI_BASE_URL pointing at it, so
#                    every transcription, reply and voice of theirs is a REST call to an engine
# Also: NGINX (the nginx binary, default: nginx on PATH, else /usr/sbin/nginx), PARLEY_CMD (the command that runs
# Parley, default the ./parley launcher, which builds first when needed), PARLEY_SERVE_ARGS (more `serve`
# options, e.g. "--brain rules"), PARLEY_ENGINE_ARGS (more `serve` options of the engine instances), LOADTEST (a command run instead of `./parley loadtest`, with the same arguments),
# STARTUP_S (how long instances may take to become healthy, default 240), KEEP_TMP=1 (keep the temporary directory
# with the logs and nginx.conf).
#
# Output: stdout has the load test's JSON line, then one JSON line with the spread, e.g.
#   {"spread":[{"instance":1,"port":18081,"sessions":4},{"instance":2,"port":18082,"sessions":4}]}
# and with --engines, one more with the REST requests each engine served (from the engines' nginx access log), e.g.
#   {"engines":[{"instance":1,"port":18181,"requests":57,"errors":0}]}
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
engines="${ENGINES:-0}"

usage() { sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; }
fail() { echo "scaleout: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --sessions) sessions="${2:?--sessions needs a value}"; shift 2 ;;
    --duration) duration="${2:?--duration needs a value}"; shift 2 ;;
    --instances) instances="${2:?--instances needs a value}"; shift 2 ;;
    --base-port) base_port="${2:?--base-port needs a value}"; shift 2 ;;
    --drain-s) drain_s="${2:?--drain-s needs a value}"; shift 2 ;;
    --engines) engines="${2:?--engines needs a value}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage; fail "unknown option: $1" ;;
  esac
done
for v in sessions duration instances base_port drain_s startup_s engines; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || fail "$v must be a whole number, not '${!v}'"
done
[ "$instances" -ge 1 ] || fail "instances must be at least 1"
[ "$sessions" -ge 1 ] || fail "sessions must be at least 1"
[ $((base_port + instances)) -le 65535 ] && [ "$base_port" -ge 1 ] || fail "ports $base_port..$((base_port + instances)) are out of range"
[ "$engines" -eq 0 ] || [ "$instances" -le 99 ] || fail "with --engines, at most 99 front instances (their ports end below P+100)"
engines_port=$((base_port + 100))
[ "$engines" -eq 0 ] || [ $((engines_port + engines)) -le 65535 ] || fail "ports $engines_port..$((engines_port + engines)) are out of range"

nginx_bin="${NGINX:-$(command -v nginx || true)}"
[ -n "$nginx_bin" ] || nginx_bin=/usr/sbin/nginx
[ -x "$nginx_bin" ] || fail "nginx is not installed (Debian/Ubuntu: apt-get install nginx-light, or set NGINX=/path/to/nginx)"
command -v curl >/dev/null || fail "curl is not installed (apt-get install curl)"

. "$root/bin/jdk.sh" # a JDK >= 21, as ./parley finds it (exits with advice if there is none)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/parley-scaleout.XXXXXX")"
chmod 755 "$tmp" # nginx workers run as another user when started by root
pids=()
nginx_pid=""
engines_nginx_pid=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local p
  for p in $nginx_pid $engines_nginx_pid; do
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; fi
  done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done # each drains, then exits
  local deadline=$((SECONDS + drain_s + 15))
  for p in "${pids[@]}" $nginx_pid $engines_nginx_pid; do
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
if [ "$engines" -gt 0 ]; then
  for j in $(seq 0 "$engines"); do
    port_free $((engines_port + j)) || fail "port $((engines_port + j)) is in use (choose another --base-port)"
  done
fi

# Renders an nginx template (TEMPLATE PREFIX LISTEN FIRST_PORT COUNT) into PREFIX/nginx.conf.
render() {
  local servers="" k
  for k in $(seq 1 "$5"); do
    servers+="        server 127.0.0.1:$(($4 + k - 1)) max_fails=1 fail_timeout=5s;"$'\n'
  done
  mkdir -p "$2"
  awk -v prefix="$2" -v listen="$3" -v servers="${servers%$'\n'}" '
    { gsub(/@PREFIX@/, prefix); gsub(/@LISTEN@/, listen) }
    /^@UPSTREAM_SERVERS@$/ { print servers; next }
    { print }' "$1" >"$2/nginx.conf"
}

# Waits until URL answers, or fails naming WHAT (its log LOG, its pid PID).
await_healthy() {
  local url="$1" what="$2" log="$3" pid="$4"
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2
      fail "$what stopped before it was healthy (log above)"
    fi
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$log" >&2; fail "$what was not healthy within ${startup_s} s"; }
    sleep 0.5
  done
}

# shellcheck disable=SC2206 # PARLEY_CMD is a command line
parley=(${PARLEY_CMD:-"$root/parley"})
# Build once (./parley builds when sources changed), so the instances do not all build at the same time.
echo "scaleout: building Parley if needed…" >&2
"${parley[@]}" --version >/dev/null || fail "${parley[*]} --version failed"

deadline=$((SECONDS + startup_s))
front_env=()
front_args=()
if [ "$engines" -gt 0 ]; then
  # The engines: the embedded STT, brain and TTS as REST services, behind their own nginx and a token of this run.
  engine_token="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
  for j in $(seq 1 "$engines"); do
    port=$((engines_port + j))
    # shellcheck disable=SC2086 # PARLEY_ENGINE_ARGS is a list of options
    PARLEY_AUTH_TOKEN="$engine_token" "${parley[@]}" serve --host 127.0.0.1 --port "$port" --drain-s "$drain_s" \
      ${PARLEY_ENGINE_ARGS:-} >"$tmp/engine-$j.log" 2>&1 &
    pids+=("$!")
    echo "scaleout: engine $j on 127.0.0.1:$port (pid $!, log $tmp/engine-$j.log)" >&2
  done
  render "$here/engines.conf.template" "$tmp/engines" "127.0.0.1:$engines_port" $((engines_port + 1)) "$engines"
  "$nginx_bin" -p "$tmp/engines" -c "$tmp/engines/nginx.conf" -e "$tmp/engines/error.log" -t -q \
    || fail "nginx rejected $tmp/engines/nginx.conf"
  "$nginx_bin" -p "$tmp/engines" -c "$tmp/engines/nginx.conf" -e "$tmp/engines/error.log" &
  engines_nginx_pid=$!
  echo "scaleout: engines' nginx on 127.0.0.1:$engines_port (pid $engines_nginx_pid)" >&2
  for j in $(seq 1 "$engines"); do
    await_healthy "http://127.0.0.1:$((engines_port + j))/healthz" "engine $j" "$tmp/engine-$j.log" "${pids[$((j - 1))]}"
  done
  await_healthy "http://127.0.0.1:$engines_port/healthz" "the engines' nginx" "$tmp/engines/error.log" "$engines_nginx_pid"
  echo "scaleout: $engines engine(s) healthy behind nginx" >&2
  # The fronts hold the conversations (VAD, turn taking) and call the engines as their OpenAI provider.
  front_env=(OPENAI_BASE_URL="http://127.0.0.1:$engines_port/v1" OPENAI_API_KEY="$engine_token")
  front_args=(--preset openai)
fi
first_front=${#pids[@]}

for i in $(seq 1 "$instances"); do
  port="$(port_of "$i")"
  # shellcheck disable=SC2086 # PARLEY_SERVE_ARGS is a list of options
  env "${front_env[@]}" "${parley[@]}" serve --host 127.0.0.1 --port "$port" --drain-s "$drain_s" "${front_args[@]}" \
    ${PARLEY_SERVE_ARGS:-} >"$tmp/parley-$i.log" 2>&1 &
  pids+=("$!")
  echo "scaleout: instance $i on 127.0.0.1:$port (pid $!, log $tmp/parley-$i.log)" >&2
done

listen="127.0.0.1:$base_port"
render "$here/parley.conf.template" "$tmp" "$listen" $((base_port + 1)) "$instances"
"$nginx_bin" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" -t -q || fail "nginx rejected $tmp/nginx.conf"
"$nginx_bin" -p "$tmp" -c "$tmp/nginx.conf" -e "$tmp/error.log" &
nginx_pid=$!
echo "scaleout: nginx on $listen (pid $nginx_pid, config $tmp/nginx.conf)" >&2

# Wait until every instance answers /healthz, then nginx does too.
for i in $(seq 1 "$instances"); do
  await_healthy "http://127.0.0.1:$(port_of "$i")/healthz" "instance $i" "$tmp/parley-$i.log" "${pids[$((first_front + i - 1))]}"
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
if [ "$engines" -gt 0 ]; then
  # REST requests per engine, from the engines' nginx access log ("UPSTREAM STATUS METHOD URI TIME"; a request passed
  # on to a second engine lists both, "A, B").
  served=""
  for j in $(seq 1 "$engines"); do
    port=$((engines_port + j))
    read -r n e < <(awk -v addr="127.0.0.1:$port" '$4 ~ /^\/v1\// && $1 == addr { n++; if ($2 >= 500) e++ }
      END { printf "%d %d\n", n, e }' "$tmp/engines/access.log")
    echo "scaleout: engine $j (127.0.0.1:$port): $n request(s), $e error(s)" >&2
    served+="${served:+,}{\"instance\":$j,\"port\":$port,\"requests\":$n,\"errors\":$e}"
  done
  echo "{\"engines\":[$served]}"
fi
exit "$status"
