#!/usr/bin/env python3
"""signpost against Hugo on the same machine, in the same run (SPEC §9).

For each N: generate the synthetic guide (benches/synth.py), then build it with
signpost and with Hugo, alternating, RUNS times each after one warm-up, and
print the median wall time, CPU time and peak memory (from wait4) of each and
the ratio signpost / Hugo. At the largest N also: the time from a one-file edit
to the rebuilt page in `signpost serve`, the search index size, and what one
query downloads. Usage: run.py SIGNPOST HUGO WORKDIR N [N ...]
"""
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))


def measure(argv):
    """Runs argv; returns (wall seconds, cpu seconds, peak RSS MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{err[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def compare(signpost, hugo, work, n):
    site = os.path.join(work, f"n{n}")
    if not os.path.isdir(site):
        subprocess.run([sys.executable, os.path.join(HERE, "synth.py"), str(n), site], check=True)
    commands = {
        "signpost": [signpost, "build", "--root", os.path.join(site, "signpost"), "--output", os.path.join(work, "out-signpost")],
        "hugo": [hugo, "--source", os.path.join(site, "hugo"), "--destination", os.path.join(work, "out-hugo"), "--quiet", "--minify"],
    }
    results = {name: [] for name in commands}
    for name, argv in commands.items():
        measure(argv)  # warm-up: file cache
    for _ in range(RUNS):
        for name, argv in commands.items():
            results[name].append(measure(argv))
    rows = {}
    for name, samples in results.items():
        rows[name] = tuple(statistics.median(s[i] for s in samples) for i in range(3))
    pages = {name: sum(1 for root, _, files in os.walk(os.path.join(work, f"out-{name}")) for f in files if f.endswith(".html"))
             for name in commands}
    print(f"\nN = {n} items x 4 languages")
    print(f"{'':10} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'html files':>11}")
    for name, (wall, cpu, rss) in rows.items():
        print(f"{name:10} {wall:8.2f} {cpu:8.2f} {rss:9.0f} {pages[name]:11}")
    s, h = rows["signpost"], rows["hugo"]
    print(f"{'ratio':10} {s[0] / h[0]:8.2f} {s[1] / h[1]:8.2f} {s[2] / h[2]:9.2f}   (signpost / Hugo; below 1.00 is better)")
    return site


def serve_latency(signpost, site):
    root = os.path.join(site, "signpost")
    port = 18000 + os.getpid() % 1000
    proc = subprocess.Popen([signpost, "serve", "--root", root, "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/en/policies/p1/"
    try:
        for _ in range(1200):
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.25)
        path = os.path.join(root, "content", "policies", "p1.en.md")
        original = open(path, encoding="utf-8").read()
        samples = []
        for i in range(3):
            marker = f"edit-marker-{i}-{time.time_ns()}"
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            while marker not in urllib.request.urlopen(url, timeout=30).read().decode():
                time.sleep(0.01)
            samples.append(time.perf_counter() - start)
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        print(f"serve: one-file edit visible after {statistics.median(samples) * 1000:.0f} ms (median of 3)")
    finally:
        os.killpg(proc.pid, 15)


def search_sizes(work):
    out = os.path.join(work, "out-signpost", "search")
    for prefix in ["zh-hans", "en", "ru"]:
        total = raw = 0
        for root, _, files in os.walk(os.path.join(out, prefix)):
            for f in files:
                data = open(os.path.join(root, f), "rb").read()
                raw += len(data)
                total += len(gzip.compress(data))
        print(f"search index {prefix}: {raw / 1024 / 1024:.1f} MiB raw, {total / 1024 / 1024:.1f} MiB gzipped file by file")
    script = os.path.join(HERE, "query_size.mjs")
    subprocess.run(["node", script, os.path.join(work, "out-signpost")], check=True)


def main():
    signpost, hugo, work = sys.argv[1:4]
    sizes = [int(n) for n in sys.argv[4:]]
    os.makedirs(work, exist_ok=True)
    print(subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())
    site = None
    for n in sizes:
        site = compare(signpost, hugo, work, n)
    if site:
        serve_latency(signpost, site)
        search_sizes(work)


if __name__ == "__main__":
    main()
