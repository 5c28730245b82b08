#!/usr/bin/env python3
"""The build cache: a cold build against a cached rebuild after a one-page change.

For each N: copy the shared synthetic guide (../shared/bench/gen_corpus.py)
to a scratch folder, fill a cache with one `signpost build --cache DIR`
(timed: what the first CI run pays), then RUNS times: append a sentence to
one policy's English body, build cold (no cache) and build with the cache,
each into a new empty folder, and check the two outputs are byte for byte
the same. Prints the median wall time of each, their ratio (the target of
issue 13 is at most 0.10 at N = 10 000), CPU time and peak memory, and the
cache's size.

Usage: cache_rebuild.py SIGNPOST WORKDIR N [N ...]
  (or BENCH_CACHE=1 scripts/bench.sh N ..., which runs it after the comparison with Hugo)
Environment: BENCH_RUNS (default 3), BENCH_CORPUS (gen_corpus.py's path).
"""
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get("BENCH_CORPUS", os.path.join(HERE, "..", "..", "shared", "bench", "gen_corpus.py"))


def run(argv):
    """Runs one build; returns (wall s, cpu s, peak RSS MiB)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        log.seek(0)
        err = log.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{err[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def same_tree(a, b):
    """Whether two folders hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(os.path.join(a, d), os.path.join(b, d)) for d in cmp.common_dirs)


def size_of(folder):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, files in os.walk(folder) for f in files)


def measure(signpost, work, n):
    source = os.path.join(work, f"n{n}-signpost")
    if not os.path.isdir(source):
        subprocess.run([sys.executable, CORPUS, "--items", str(n), "--format", "signpost", "--out", source],
                       check=True, stdout=subprocess.DEVNULL)
    site = os.path.join(work, f"cache-site-n{n}")
    cache = os.path.join(work, f"cache-n{n}")
    for folder in (site, cache):
        shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(source, site)
    outs = []

    def out():
        outs.append(os.path.join(work, f"out-cache-{n}-{len(outs)}"))
        return outs[-1]

    build = [signpost, "build", "--root", site]
    fill = run(build + ["--output", out(), "--cache", cache])
    page = os.path.join(site, "content", "policies", "policy-00001.en.md")
    original = open(page, encoding="utf-8").read()
    cold, cached = [], []
    identical = True
    for i in range(RUNS):
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + f"\nA sentence added by edit {i} of the cache benchmark.\n")
        cold_out, cached_out = out(), out()
        cold.append(run(build + ["--output", cold_out]))
        cached.append(run(build + ["--output", cached_out, "--cache", cache]))
        identical = identical and same_tree(cold_out, cached_out)
    median = lambda samples, i: statistics.median(s[i] for s in samples)
    print(f"\nbuild cache, N = {n} items x 4 languages: one policy's body edited, median of {RUNS} runs")
    print(f"| {'':40} | {'wall s':>8} | {'CPU s':>8} | {'peak MiB':>9} |")
    print(f"|{'-' * 42}|{'-' * 10}|{'-' * 10}|{'-' * 11}|")
    rows = [("cold build (no cache)", cold), ("rebuild with the cache", cached)]
    for name, samples in rows:
        print(f"| {name:40} | {median(samples, 0):8.2f} | {median(samples, 1):8.2f} | {median(samples, 2):9.0f} |")
    print(f"| {'first build, filling the cache':40} | {fill[0]:8.2f} | {fill[1]:8.2f} | {fill[2]:9.0f} |")
    print(f"cached / cold wall time: {median(cached, 0) / median(cold, 0):.3f} (target at N = 10 000: <= 0.10)")
    print(f"cache size: {size_of(cache) / 1048576:.0f} MiB; outputs byte-identical: {'yes' if identical else 'NO'}")
    for folder in outs + [site, cache]:
        shutil.rmtree(folder, ignore_errors=True)
    if not identical:
        sys.exit("the cached rebuild's output differs from the cold build's")


def main():
    signpost, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    for n in [int(n) for n in sys.argv[3:]]:
        measure(signpost, work, n)


if __name__ == "__main__":
    main()
