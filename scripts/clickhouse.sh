#!/usr/bin/env bash
# A private ClickHouse server on loopback, for the collector's tests and
# benchmarks: Debian's clickhouse-server (18.16), with its own config, data,
# logs and pid under DIR, listening on 127.0.0.1 only.
#   bash scripts/clickhouse.sh start DIR PORT   # HTTP on PORT, native TCP on PORT+1,
#                                               # interserver HTTP on PORT+2
#   bash scripts/clickhouse.sh stop DIR
# The user is `default`, without password, from 127.0.0.1/::1 only; e.g.
#   curl -s http://127.0.0.1:PORT/ --data-binary 'SELECT 1'
#   clickhouse-client --port $((PORT+1)) --query 'SELECT 1'
# Two instances with PORTs at least 3 apart don't clash.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Debian puts the server in /usr/sbin; upstream's packages ship /usr/bin/clickhouse
# (one binary, `clickhouse server`) and a /usr/bin/clickhouse-server link.
server_cmd() {
  local p
  for p in /usr/bin/clickhouse-server /usr/sbin/clickhouse-server; do
    if [ -x "$p" ]; then echo "$p"; return; fi
  done
  if [ -x /usr/bin/clickhouse ]; then echo "/usr/bin/clickhouse server"; return; fi
  return 1
}

install_server() {
  if server_cmd >/dev/null; then
    say "clickhouse-server is installed ($(server_cmd))"
    return
  fi
  [ "$(id -u)" = 0 ] || die "clickhouse-server is not installed; as root: apt-get install -y clickhouse-server clickhouse-client"
  say "installing clickhouse-server and clickhouse-client (apt-get)"
  # The package's own service would listen on 8123/9000: policy-rc.d keeps it
  # from starting where there is one, and there is no systemd here anyway.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q clickhouse-server clickhouse-client >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q clickhouse-server clickhouse-client >/dev/null; } \
    || die "apt-get install clickhouse-server failed"
  server_cmd >/dev/null || die "clickhouse-server installed but no server binary found"
}

write_config() { # DIR PORT
  local dir="$1" port="$2"
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas" "$dir/log"
  cat > "$dir/config.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/clickhouse.sh; rewritten at every start. -->
<yandex>
  <logger>
    <level>warning</level>
    <log>$dir/log/server.log</log>
    <errorlog>$dir/log/server.err.log</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$port</http_port>
  <tcp_port>$((port + 1))</tcp_port>
  <interserver_http_port>$((port + 2))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mark_cache_size>536870912</mark_cache_size>
  <uncompressed_cache_size>536870912</uncompressed_cache_size>
</yandex>
EOF
  cat > "$dir/users.xml" <<'EOF'
<?xml version="1.0"?>
<!-- Written by scripts/clickhouse.sh; rewritten at every start. -->
<yandex>
  <profiles>
    <default>
      <max_memory_usage>8000000000</max_memory_usage>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks>
        <ip>127.0.0.1</ip>
        <ip>::1</ip>
      </networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
EOF
}

running() { # DIR: the pid in DIR/pid is alive
  [ -s "$1/pid" ] && kill -0 "$(cat "$1/pid")" 2>/dev/null
}

start() { # DIR PORT
  local dir port
  [ $# = 2 ] || die "usage: clickhouse.sh start DIR PORT"
  mkdir -p "$1"
  dir="$(cd "$1" && pwd)"
  port="$2"
  [[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65533 ] || die "bad PORT: $port"
  if running "$dir"; then
    die "a clickhouse-server from $dir is already running (pid $(cat "$dir/pid")); stop it first"
  fi
  install_server
  local p
  for p in "$port" $((port + 1)) $((port + 2)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      die "port $p on 127.0.0.1 is already in use"
    fi
  done
  say "writing the config to $dir (http $port, tcp $((port + 1)), interserver $((port + 2)), 127.0.0.1 only)"
  write_config "$dir" "$port"
  # 18.16 runs as root as well as any other user (it doesn't refuse root),
  # so the server runs as whoever runs this script, and DIR stays theirs.
  local cmd
  cmd="$(server_cmd)"
  say "starting clickhouse-server (log in $dir/log)"
  # setsid: out of this shell's process group, so a ^C here doesn't reach it.
  # shellcheck disable=SC2086
  setsid $cmd --config-file="$dir/config.xml" </dev/null >"$dir/log/stdout.log" 2>&1 &
  echo $! > "$dir/pid"
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if [ "$(curl -s --max-time 1 "http://127.0.0.1:$port/ping" || true)" = "Ok." ]; then
      # The server's own word on its pid (DIR/data/status), should setsid have forked.
      local status_pid
      status_pid="$(sed -n 's/^PID: *//p' "$dir/data/status" 2>/dev/null || true)"
      [ -n "$status_pid" ] && echo "$status_pid" > "$dir/pid"
      say "clickhouse-server is up: http://127.0.0.1:$port/ (pid $(cat "$dir/pid"))"
      return
    fi
    running "$dir" || break
    sleep 0.1
  done
  {
    if running "$dir"; then
      echo "clickhouse-server did not answer /ping on port $port within 60 s; the logs end:"
    else
      echo "clickhouse-server exited before answering /ping on port $port; the logs end:"
    fi
    tail -n 20 "$dir/log/stdout.log" "$dir/log/server.err.log" 2>/dev/null || true
  } >&2
  stop "$dir" || true
  exit 1
}

stop() { # DIR
  local dir pid i
  [ $# = 1 ] || die "usage: clickhouse.sh stop DIR"
  dir="$1"
  if ! running "$dir"; then
    say "no clickhouse-server running from $dir"
    rm -f "$dir/pid"
    return
  fi
  pid="$(cat "$dir/pid")"
  say "stopping clickhouse-server (pid $pid)"
  kill -TERM "$pid"
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after 30 s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$dir/pid"
  say "clickhouse-server stopped"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: bash scripts/clickhouse.sh start DIR PORT | stop DIR" ;;
esac
