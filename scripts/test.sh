#!/usr/bin/env bash
# Runs every check: formatting, clippy (server and wasm), unit and integration tests on
# SQLite and PostgreSQL, and the Playwright suite in Chromium with JavaScript on and off.
# Installs what is missing first (see scripts/setup.sh). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
step() { printf '\n==> %s\n' "$*"; }
# A one-off build (CI) gains nothing from incremental artifacts but gigabytes of disk.
if [ "${CI:-}" = "true" ]; then export CARGO_INCREMENTAL=0; fi

PG_ADMIN_URL="${COUNTERSIGN_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  step "Starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
fi
# Each test makes (and drops) its own database; clear any left by a killed run.
psql -q "$PG_ADMIN_URL" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'cs\_test\_%'" |
  while read -r db; do psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"; done

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (server side, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (browser side, wasm)"
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown --locked -- -D warnings

step "unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace --locked --no-run
# The tests take 2-4 minutes once built; a hang is stopped with every thread's stack.
./scripts/watchdog.sh "${TEST_SECONDS:-900}" cargo test --workspace --locked

step "fuzzing the diff and JUnit readers briefly (seeded with the fixtures)"
# cargo-fuzz needs nightly-only flags (sanitizers, coverage); RUSTC_BOOTSTRAP lets the
# stable toolchain accept them for this build only.
corpus="$(mktemp -d)"
cp ../shared/fixtures/diffs/*.diff ../shared/fixtures/diffs/public/*/*.diff "$corpus/" 2>/dev/null || true
(cd crates/core/fuzz &&
  RUSTC_BOOTSTRAP=1 cargo fuzz run parse_diff "$corpus" -- -max_total_time="${FUZZ_SECONDS:-20}" -max_len=65536 &&
  RUSTC_BOOTSTRAP=1 cargo fuzz run read_junit -- -max_total_time="${FUZZ_SECONDS:-20}")
rm -rf "$corpus"

step "building the console for the browser tests"
cargo leptos build --split

step "browser tests (Chromium, JavaScript on and off)"
(cd end2end && ../scripts/watchdog.sh "${BROWSER_TEST_SECONDS:-1200}" npm test)
