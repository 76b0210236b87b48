#!/usr/bin/env bash
# The review queue under load (issue 8's first target): a release server with CHANGES
# seeded changes, a signed-in reviewer's queue page (`/`) hammered by `oha` with
# CONNECTIONS concurrent connections for DURATION. Prints oha's summary (p99 included) and
# the server's RSS afterwards. Needs `oha` (`cargo install oha --locked`).
#
#   bench/queue.sh                      # SQLite in a temp dir, 100,000 changes
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/cs_bench bench/queue.sh
CHANGES="${CHANGES:-100000}" CONNECTIONS="${CONNECTIONS:-50}" DURATION="${DURATION:-30s}"
PORT="${PORT:-3900}"
source "$(dirname "$0")/lib.sh"
"$BIN" dev seed --changes "$CHANGES"
start_server
cookie="$(sign_in)"
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
curl -fs -H "Cookie: $cookie" "$base/" | grep -q 'Review queue' || { echo "the queue did not render" >&2; exit 1; }
oha -c "$CONNECTIONS" -z "$DURATION" --no-tui -H "Cookie: $cookie" "$base/"
echo "server RSS after the run: $(rss)"
