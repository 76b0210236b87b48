#!/usr/bin/env bash
# The agent API and sign-in under load (issue 8), against a release server on loopback:
#   1. submissions of a 10 KB diff with evals: oha, CONNECTIONS connections for DURATION;
#   2. 1,000 idle long-poll waiters: the server's CPU time while they wait 10 s;
#   3. 200 simultaneous sign-ins (argon2id, bounded to 4 at once): latency and RSS;
#   4. the server's RSS after all of it.
# Needs `oha` (`cargo install oha --locked`).
#
#   bench/api.sh                       # SQLite in a temp dir
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cs_bench bench/api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS="${CONNECTIONS:-50}" DURATION="${DURATION:-20s}" PORT="${PORT:-3901}"
BIN=target/release/countersign
if [ ! -x "$BIN" ] || [ "${BUILD:-0}" = 1 ]; then
  PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH" cargo leptos build --release
fi
tmp="$(mktemp -d)"
# Only the pids this script started (never `kill 0`: that is the whole process group).
trap 'for p in ${server:-} ${waiters:-}; do kill "$p" 2>/dev/null || true; done; cp "$tmp/server.log" /tmp/bench-server.log 2>/dev/null; rm -rf "$tmp"' EXIT
export COUNTERSIGN_DATABASE_URL="${DATABASE_URL:-sqlite://$tmp/bench.db}"
export LEPTOS_SITE_ROOT=target/site COUNTERSIGN_ADMIN_PASSWORD='bench-admin-plum-orbit-42' RUST_LOG=warn
if [[ "$COUNTERSIGN_DATABASE_URL" == postgres* ]]; then
  db="${COUNTERSIGN_DATABASE_URL##*/}"
  psql -q "${COUNTERSIGN_DATABASE_URL%/*}/postgres" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\""
fi
"$BIN" migrate
echo 'bench-reviewer-plum-orbit-42' | "$BIN" user add bench-reviewer --role reviewer --password-stdin
token="$("$BIN" agent add bench-bot)"
"$BIN" serve --addr "127.0.0.1:$PORT" --max-body-bytes 4194304 > "$tmp/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$base/healthz" > /dev/null && break; sleep 0.1; done
rss() { echo "$(( $(ps -o rss= -p "$server") / 1024 )) MiB"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }

# 1. Submissions: a 10 KB diff (one file, ~250 changed lines) and three evals.
python3 - "$tmp/body.json" <<'PY'
import json, sys
lines = "".join(f"+let value_{i} = compute_something_reasonably_long({i}, {i * 7});\n" for i in range(160))
diff = f"--- a/src/gen.rs\n+++ b/src/gen.rs\n@@ -0,0 +1,160 @@\n{lines}"
body = {"title": "Generated change", "repository": "acme/bench", "stakes": "medium", "diff": diff,
        "evals": [{"name": f"suite-{i}", "status": "pass", "score": 0.99, "threshold": 0.9} for i in range(3)]}
open(sys.argv[1], "w").write(json.dumps(body))
print(f"submission body: {len(json.dumps(body))} bytes, diff {len(diff)} bytes", file=sys.stderr)
PY
echo "== submissions, $CONNECTIONS connections, $DURATION"
oha -c "$CONNECTIONS" -z "$DURATION" --no-tui -m POST -T application/json -D "$tmp/body.json" \
  -H "Authorization: Bearer $token" "$base/api/v1/changes" | sed -n '1,25p'
echo "RSS after submissions: $(rss)"

# 2. 1,000 idle long-poll waiters on one pending change.
python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); b["title"]="waited on"; open(sys.argv[1],"w").write(json.dumps(b))' "$tmp/body.json"
curl -s -o "$tmp/created.json" -w '%{http_code}\n' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  --data-binary @"$tmp/body.json" "$base/api/v1/changes"
id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$tmp/created.json")"
oha -c 1000 -n 1000 --no-tui -t 90s -H "Authorization: Bearer $token" "$base/api/v1/changes/$id/decision?wait=60" > "$tmp/waiters.txt" 2>&1 &
waiters=$!
sleep 5
before="$(cpu_ticks)"; sleep 10; after="$(cpu_ticks)"
hz="$(getconf CLK_TCK)"
echo "== 1,000 idle waiters: server CPU over 10 s = $(( (after - before) * 1000 / hz )) ms; RSS $(rss); open connections $(ss -tn state established "( sport = :$PORT )" | tail -n +2 | wc -l)"
kill "$waiters" 2>/dev/null || true; wait "$waiters" 2>/dev/null || true

# 3. 200 simultaneous sign-ins (the throttle allows 30 per address in a burst; the rest are
#    answered 429 quickly — the hashing is what is bounded).
action="$(curl -fs "$base/login" | grep -o 'action="/rpc/[^"]*"' | head -n1 | cut -d'"' -f2)"
echo "== 200 simultaneous sign-ins"
oha -c 200 -n 200 --no-tui -m POST -T application/x-www-form-urlencoded -H "Origin: $base" -H 'Accept: text/html' \
  -d 'username=bench-reviewer&password=bench-reviewer-plum-orbit-42' "$base$action" | sed -n '1,30p'
echo "RSS after sign-ins (and everything above): $(rss)"
