#!/usr/bin/env bash
# The review queue under load (issue 8's first target): a release server with CHANGES
# seeded changes, a signed-in reviewer's queue page (`/`) hammered by `oha` with
# CONNECTIONS concurrent connections for DURATION. Prints oha's summary (p99 included) and
# the server's RSS afterwards. Needs `oha` (`cargo install oha --locked`).
#
#   bench/queue.sh                      # SQLite in a temp dir, 100,000 changes
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cs_bench bench/queue.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CHANGES="${CHANGES:-100000}" CONNECTIONS="${CONNECTIONS:-50}" DURATION="${DURATION:-30s}"
PORT="${PORT:-3900}"
BIN=target/release/countersign
if [ ! -x "$BIN" ] || [ "${BUILD:-0}" = 1 ]; then
  PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH" cargo leptos build --release
fi
tmp="$(mktemp -d)"
trap 'if [ -n "${server:-}" ]; then kill "$server" 2>/dev/null || true; fi; rm -rf "$tmp"' EXIT
export COUNTERSIGN_DATABASE_URL="${DATABASE_URL:-sqlite://$tmp/bench.db}"
export LEPTOS_SITE_ROOT=target/site COUNTERSIGN_ADMIN_PASSWORD='bench-admin-plum-orbit-42' RUST_LOG=warn
if [[ "$COUNTERSIGN_DATABASE_URL" == postgres* ]]; then
  db="${COUNTERSIGN_DATABASE_URL##*/}"
  psql -q "${COUNTERSIGN_DATABASE_URL%/*}/postgres" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
fi
"$BIN" migrate
echo 'bench-reviewer-plum-orbit-42' | "$BIN" user add bench-reviewer --role reviewer --password-stdin
"$BIN" dev seed --changes "$CHANGES"
"$BIN" serve --addr "127.0.0.1:$PORT" > "$tmp/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$base/healthz" > /dev/null && break; sleep 0.1; done
action="$(curl -fs "$base/login" | grep -o 'action="/rpc/[^"]*"' | head -n1 | cut -d'"' -f2)"
curl -fs -o /dev/null -c "$tmp/jar" -H "Origin: $base" -H 'Accept: text/html' \
  --data-urlencode username=bench-reviewer --data-urlencode password=bench-reviewer-plum-orbit-42 "$base$action"
cookie="$(awk '$6 ~ /countersign/ {print $6"="$7}' "$tmp/jar")"
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
curl -fs -H "Cookie: $cookie" "$base/" | grep -q 'Review queue' || { echo "the queue did not render" >&2; exit 1; }
oha -c "$CONNECTIONS" -z "$DURATION" --no-tui -H "Cookie: $cookie" "$base/"
echo "server RSS after the run: $(( $(ps -o rss= -p "$server") / 1024 )) MiB"
