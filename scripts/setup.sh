#!/usr/bin/env bash
# Installs what building (and, with --test, testing) Countersign needs, skipping whatever is
# already there. Safe to run again and again. The first run takes 20–40 minutes on 2 cores
# (compiling cargo-leptos and wasm-bindgen-cli); later runs take seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10      # 0.3.11 needs rustc 1.96
WASM_BINDGEN_VERSION=0.2.130     # must equal the wasm-bindgen pin in Cargo.toml
step() { printf '\n==> %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

CARGO_FUZZ_VERSION=0.13.2
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS_VERSION" ]; then
  step "Installing cargo-leptos $CARGO_LEPTOS_VERSION (compiles from source: 15–30 min the first time)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  step "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (compiles from source: ~5 min the first time)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x tools/node_modules/.bin/wasm-opt ]; then
  step "Installing wasm-opt (npm binaryen) into tools/"
  (cd tools && npm install --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null; then
    step "Installing Chromium (Debian package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  fi
  if ! command -v sqlite3 >/dev/null; then
    step "Installing the sqlite3 shell (browser tests tamper with a database through it)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3
  fi
  if ! command -v gdb >/dev/null; then
    step "Installing gdb (scripts/watchdog.sh prints a hung test's stacks with it)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdb
  fi
  if [ "$(cargo fuzz --version 2>/dev/null | cut -d' ' -f2)" != "$CARGO_FUZZ_VERSION" ]; then
    step "Installing cargo-fuzz $CARGO_FUZZ_VERSION (~2 min the first time)"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
  fi
  if [ ! -d end2end/node_modules/playwright-core ]; then
    step "Installing the browser test dependencies (npm)"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
