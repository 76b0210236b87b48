#!/usr/bin/env bash
# The agent API and sign-in under load (issue 8), against a release server on loopback:
#   1. submissions of a 10 KB diff with evals: oha, CONNECTIONS connections for DURATION;
#   2. 1,000 idle long-poll waiters: the server's CPU time while they wait 10 s;
#   3. 200 simultaneous sign-ins from 200 addresses (argon2id, one hash per core at once):
#      latency and RSS;
#   4. the server's RSS after all of it.
# Needs `oha` (`cargo install oha --locked`).
#
#   bench/api.sh                       # SQLite in a temp dir
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cs_bench bench/api.sh
CONNECTIONS="${CONNECTIONS:-50}" DURATION="${DURATION:-20s}" PORT="${PORT:-3901}"
source "$(dirname "$0")/lib.sh"
token="$("$BIN" agent add bench-bot)"
start_server --max-body-bytes 4194304
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
pids="$pids $waiters"
sleep 5
before="$(cpu_ticks)"; sleep 10; after="$(cpu_ticks)"
hz="$(getconf CLK_TCK)"
echo "== 1,000 idle waiters: server CPU over 10 s = $(( (after - before) * 1000 / hz )) ms; RSS $(rss); open connections $(ss -tn state established "( sport = :$PORT )" | tail -n +2 | wc -l)"
kill "$waiters" 2>/dev/null || true; wait "$waiters" 2>/dev/null || true

# 3. 200 simultaneous sign-ins, each from its own loopback address (127.0.1.1–200), so the
#    per-address throttle lets every one through and all 200 are hashed: what bounds the
#    memory is the hashing pool (one thread per core), not the throttle.
action="$(curl -fs "$base/login" | grep -o 'action="/rpc/[^"]*"' | head -n1 | cut -d'"' -f2)"
echo "== 200 simultaneous sign-ins from 200 addresses"
start_ns="$(date +%s%N)"
seq 1 200 | xargs -P 200 -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --interface 127.0.1.{} \
  -H "Origin: $base" -H 'Accept: text/html' \
  --data-urlencode username=bench-reviewer --data-urlencode password=bench-reviewer-plum-orbit-42 \
  "$base$action" > "$tmp/signins.txt"
echo "all answered in $(( ($(date +%s%N) - start_ns) / 1000000 )) ms; status codes: $(cut -d' ' -f1 "$tmp/signins.txt" | sort | uniq -c | tr '\n' ' ')"
sort -n -k2 "$tmp/signins.txt" | awk '{t[NR]=$2} END {printf "latency p50 %.0f ms, p99 %.0f ms, max %.0f ms\n", t[int(NR*0.5)]*1000, t[int(NR*0.99)]*1000, t[NR]*1000}'
echo "RSS after sign-ins (and everything above): $(rss)"
