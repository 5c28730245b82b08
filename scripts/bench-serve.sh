#!/usr/bin/env bash
# The dev server's edit latency: from saving a file to the reload message,
# for each kind of edit (body, a title seen in a list, a new page, a deleted
# page, a facility field, a UI string, a partial template), on the shared
# synthetic guide (../shared/bench/gen_corpus.py), on this machine.
# Usage: scripts/bench-serve.sh [N ...]   (default: 1000 10000)
# BENCH_EDITS (default 5) sets the edits per kind; SIGNPOST_BIN uses that
# binary instead of a release build. Each N's guide is copied to a temporary
# folder before it is edited; see benches/serve_edits.py.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${SIGNPOST_BIN:-}" ]; then
  cargo build --release --quiet
  SIGNPOST_BIN="$target_dir/release/signpost"
fi
work="${BENCH_DIR:-$target_dir/bench}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
BENCH_CORPUS="${BENCH_CORPUS:-$PWD/../shared/bench/gen_corpus.py}" \
  python3 benches/serve_edits.py "$SIGNPOST_BIN" "$work" "${sizes[@]}"
