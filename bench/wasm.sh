#!/usr/bin/env bash
# The browser's download (issue 8's wasm target): the entry module every page loads first,
# and for each lazily loaded page (and the log verifier) what a first visit fetches in
# all — its chunks from `__wasm_split_manifest.json` plus the entry module — each file
# compressed on its own with brotli -q 11, as a browser would receive them.
# Reads the release site (`cargo leptos build --release --split`; BUILD=1 rebuilds it).
# Needs the `brotli` command (Debian package `brotli`).
#
#   bench/wasm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=target/site/pkg
if [ ! -f "$pkg/__wasm_split_manifest.json" ] || [ "${BUILD:-0}" = 1 ]; then
  PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH" cargo leptos build --release --split
fi
command -v brotli > /dev/null || { echo "needs brotli: apt-get install brotli" >&2; exit 1; }
sizes="$(mktemp)"
trap 'rm -f "$sizes"' EXIT
for f in "$pkg"/*.wasm; do
  echo "$(basename "$f" .wasm) $(wc -c < "$f") $(brotli -c -q 11 "$f" | wc -c)"
done > "$sizes"
python3 - "$pkg/__wasm_split_manifest.json" "$sizes" <<'PY'
import json, re, sys
manifest = json.load(open(sys.argv[1]))
size = {name: (int(raw), int(br)) for name, raw, br in (l.split() for l in open(sys.argv[2]))}
entry_raw, entry_br = size["countersign"]
print(f"entry module: {entry_raw:,} B raw, {entry_br:,} B brotli")
print(f"{'loaded with':<34} {'files':>5} {'chunks, brotli':>15} {'with the entry':>15}")
for name, chunks in sorted(manifest.items()):
    label = re.sub(r"^__|_\d+$", "", name)
    br = sum(size[c][1] for c in chunks if c in size)
    print(f"{label:<34} {len(chunks):>5} {br:>15,} {br + entry_br:>15,}")
PY
