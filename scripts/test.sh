#!/usr/bin/env bash
# The one test command: installs what the tests need when it is missing
# (Chromium, CJK fonts and Java from Debian; playwright-core, axe-core and
# vnu-jar from npm), then runs the Rust unit and integration tests and the
# headless-browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=""
command -v chromium >/dev/null 2>&1 || packages="$packages chromium"
[ -d /usr/share/fonts/opentype/noto ] || packages="$packages fonts-noto-cjk"
command -v java >/dev/null 2>&1 || packages="$packages default-jre-headless"  # the Nu HTML Checker
if [ -n "$packages" ]; then
  echo "== installing$packages (Debian packages)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $packages >/dev/null
fi

if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ] \
  || [ ! -d tests/browser/node_modules/vnu-jar ]; then
  echo "== installing playwright-core, axe-core and vnu-jar (npm; the Debian Chromium and Java are used, no browser download)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

# Snapshot tests (insta, tests/site/snapshots/) fail on any difference and never
# accept one by themselves: under CI nothing is written, elsewhere a changed
# snapshot is written beside the old one as `.snap.new` for `cargo insta
# review`. An INSTA_UPDATE=always or INSTA_FORCE_PASS left in the environment
# does not apply here; to accept changes on purpose, see README's "Tests".
if [ -n "${CI:-}" ] && [ "${CI}" != false ] && [ "${CI}" != 0 ]; then
  export INSTA_UPDATE=no
else
  export INSTA_UPDATE=new
fi
unset INSTA_FORCE_PASS INSTA_FORCE_UPDATE_SNAPSHOTS

echo "== Rust tests"
cargo test --all-targets

echo "== browser tests (headless Chromium)"
cargo build --bin signpost
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
case "$target_dir" in /*) ;; *) target_dir="$PWD/$target_dir" ;; esac
(cd tests/browser && SIGNPOST_BIN="$target_dir/debug/signpost" node --test --test-concurrency=1)
