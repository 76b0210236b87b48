# Shared start-up for the load scripts under bench/ (sourced, not run): builds the release
# server if it is missing (BUILD=1 forces it), makes a fresh database (SQLite in a temp dir,
# or the PostgreSQL database named by DATABASE_URL, dropped and made again), and offers
# `start_server`, `sign_in` and `rss`. Only the pids recorded in `pids` are killed on exit
# (never `kill 0`: that is the whole process group, the caller's shell included).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${BIN:-target/release/countersign}"
if [ ! -x "$BIN" ] || [ "${BUILD:-0}" = 1 ]; then
  PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH" cargo leptos build --release --split
fi
command -v oha > /dev/null || { echo "needs oha: cargo install oha --locked" >&2; exit 1; }
tmp="$(mktemp -d)"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null || true; done; cp "$tmp/server.log" /tmp/bench-server.log 2>/dev/null; rm -rf "$tmp"' EXIT
export COUNTERSIGN_DATABASE_URL="${DATABASE_URL:-sqlite://$tmp/bench.db}"
export LEPTOS_SITE_ROOT=target/site COUNTERSIGN_ADMIN_PASSWORD='bench-admin-plum-orbit-42' RUST_LOG=warn
if [[ "$COUNTERSIGN_DATABASE_URL" == postgres* ]]; then
  db="${COUNTERSIGN_DATABASE_URL##*/}"
  psql -q "${COUNTERSIGN_DATABASE_URL%/*}/postgres" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
fi
"$BIN" migrate
echo 'bench-reviewer-plum-orbit-42' | "$BIN" user add bench-reviewer --role reviewer --password-stdin
base="http://127.0.0.1:$PORT"

# start_server [extra serve flags…]: starts it in the background and waits for /healthz.
start_server() {
  "$BIN" serve --addr "127.0.0.1:$PORT" "$@" > "$tmp/server.log" 2>&1 &
  server=$!
  pids="$pids $server"
  for _ in $(seq 1 100); do curl -fs "$base/healthz" > /dev/null && return 0; sleep 0.1; done
  echo "the server did not start; its log:" >&2; cat "$tmp/server.log" >&2; exit 1
}

# sign_in: the bench reviewer's session cookie (name=value), signed in through the form.
sign_in() {
  local action
  action="$(curl -fs "$base/login" | grep -o 'action="/rpc/[^"]*"' | head -n1 | cut -d'"' -f2)"
  curl -fs -o /dev/null -c "$tmp/jar" -H "Origin: $base" -H 'Accept: text/html' \
    --data-urlencode username=bench-reviewer --data-urlencode password=bench-reviewer-plum-orbit-42 "$base$action"
  awk '$6 ~ /countersign/ {print $6"="$7}' "$tmp/jar"
}

# The server's resident memory now, and again after 3 s idle: jemalloc hands freed pages
# back to the system within about a second (server/src/main.rs), so the second figure is
# what the server holds, the first what it held at the end of the load.
rss() {
  local now; now="$(( $(ps -o rss= -p "$server") / 1024 ))"
  sleep 3
  echo "$now MiB at the end, $(( $(ps -o rss= -p "$server") / 1024 )) MiB 3 s later"
}
