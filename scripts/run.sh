#!/usr/bin/env bash
# Builds a release and starts the console at http://127.0.0.1:3000 on SQLite
# (./data/countersign.db, created and migrated on start). Installs what is missing first:
# the very first run takes 30–45 minutes on 2 cores, later runs start in seconds.
# Extra arguments go to `countersign serve` (for example --addr 0.0.0.0:3000).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
printf '\n==> Building a release (about 7 minutes the first time)\n'
cargo leptos build --release --split
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec ./target/release/countersign serve "$@"
