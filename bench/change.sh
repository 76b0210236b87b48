#!/usr/bin/env bash
# The change page for the 10,000-line diff (issue 8): whole-page server time for
# `fixtures/diffs/13-generated-10k-lines.diff`, unified and split, on a release server.
#   - first view: each of RUNS changes carries the diff plus one small file of its own, so
#     its digest is new and nothing is cached — parse, highlight, render, serialize;
#   - later views: the same page again (the rendered diff is kept by digest), oha, one
#     connection, 50 requests;
#   - the page's size as sent, raw and brotli.
# Needs `oha` (`cargo install oha --locked`) and ../shared/fixtures beside the clone.
#
#   bench/change.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cs_bench bench/change.sh
RUNS="${RUNS:-5}" PORT="${PORT:-3902}"
FIXTURE="$(cd "$(dirname "$0")/.." && pwd)/../shared/fixtures/diffs/13-generated-10k-lines.diff"
source "$(dirname "$0")/lib.sh"
[ -f "$FIXTURE" ] || { echo "missing $FIXTURE" >&2; exit 1; }
token="$("$BIN" agent add bench-bot)"
start_server --max-body-bytes 8388608
cookie="$(sign_in)"
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }

# submit N: a change with the 10k diff plus bench/N.txt; prints its id.
submit() {
  python3 - "$FIXTURE" "$1" > "$tmp/body.json" <<'PY'
import json, sys
diff = open(sys.argv[1]).read()
n = sys.argv[2]
diff += f"diff --git a/bench/{n}.txt b/bench/{n}.txt\nnew file mode 100644\n--- /dev/null\n+++ b/bench/{n}.txt\n@@ -0,0 +1 @@\n+run {n}\n"
print(json.dumps({"title": f"10k-line change {n}", "repository": "acme/bench", "stakes": "medium", "diff": diff}))
PY
  curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data-binary @"$tmp/body.json" "$base/api/v1/changes" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

for layout in unified split; do
  echo "== $layout"
  times=""
  for n in $(seq 1 "$RUNS"); do
    id="$(submit "$layout-$n")"
    t="$(curl -fs -o "$tmp/page.html" -w '%{time_total}' -H "Cookie: $cookie; cs_diff_layout=$layout" "$base/changes/$id")"
    times="$times $(python3 -c "print(round($t * 1000))")"
  done
  grep -q 'data-layout\|diff' "$tmp/page.html" || { echo "the change page did not render a diff" >&2; exit 1; }
  echo "first view of a new diff (ms, $RUNS runs):$times"
  oha -c 1 -n 50 --no-tui -H "Cookie: $cookie; cs_diff_layout=$layout" "$base/changes/$id" \
    | grep -E 'Slowest|Fastest|Average|99.00%|50.00%|Success rate' | sed 's/^/  later views: /'
  raw="$(curl -fs -H "Cookie: $cookie; cs_diff_layout=$layout" "$base/changes/$id" | wc -c)"
  br="$(curl -fs -H 'Accept-Encoding: br' -H "Cookie: $cookie; cs_diff_layout=$layout" "$base/changes/$id" | wc -c)"
  echo "page size: $raw bytes raw, $br bytes brotli"
done
echo "server RSS after the run: $(rss)"
