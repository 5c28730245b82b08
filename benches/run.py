#!/usr/bin/env python3
"""signpost against Hugo, and Hugo + Pagefind, on one machine in one run (SPEC §9).

For each N: generate the shared synthetic guide (../shared/bench/gen_corpus.py:
the same text for every tool; Hugo's site written as Hugo's documentation
recommends), then build it with
  - signpost (its search index included),
  - Hugo alone (`hugo --minify`, no search),
  - Hugo + Pagefind (Pagefind 1.5 over Hugo's output: what a searchable Hugo
    site costs),
alternating, RUNS times each after one warm-up, every tool writing into an
empty folder, and print the median wall time, CPU time and peak memory (wait4)
of each, and the ratios. Then one signpost run with SIGNPOST_TIMINGS=1 for the
stage profile. At the largest N also: the serve edit latency, the search index
size and what one query downloads.

Usage: run.py SIGNPOST HUGO PAGEFIND WORKDIR N [N ...]
Environment: BENCH_RUNS (default 3), BENCH_CORPUS (gen_corpus.py's path),
BENCH_NAV_QUERY=1 also times Hugo with `--nav query` (a labelled
illustration of a slow Hugo pattern, never the baseline).
"""
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get("BENCH_CORPUS", os.path.join(HERE, "..", "..", "shared", "bench", "gen_corpus.py"))


def measure(argvs, out):
    """Empties `out`, runs each argv in turn; returns (wall s, cpu s, peak RSS MiB)."""
    shutil.rmtree(out, ignore_errors=True)
    wall = cpu = peak = 0.0
    for argv in argvs:
        start = time.perf_counter()
        # stderr goes to a file: a pipe read only at the end would fill up
        # and stall a build that prints many warnings.
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log)
            _, status, usage = os.wait4(proc.pid, 0)
            wall += time.perf_counter() - start
            log.seek(0)
            err = log.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"failed: {' '.join(argv)}\n{err[-3000:]}")
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)
    return wall, cpu, peak


def corpus(work, n, fmt, extra=()):
    path = os.path.join(work, f"n{n}-{fmt}{''.join(extra).replace('-', '')}")
    if not os.path.isdir(path):
        subprocess.run([sys.executable, CORPUS, "--items", str(n), "--format", fmt, "--out", path, *extra],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def commands(signpost, hugo, pagefind, work, n):
    sp, hg = corpus(work, n, "signpost"), corpus(work, n, "hugo")
    out = lambda name: os.path.join(work, f"out-{name}")
    hugo_build = [hugo, "--source", hg, "--destination", out("hugo"), "--quiet", "--minify"]
    runs = {
        "signpost": ([[signpost, "build", "--root", sp, "--output", out("signpost")]], out("signpost")),
        "hugo": ([hugo_build], out("hugo")),
        "hugo+pagefind": ([[*hugo_build[:4], out("hugo+pagefind"), *hugo_build[5:]],
                           [pagefind, "--site", out("hugo+pagefind"), "--silent"]], out("hugo+pagefind")),
    }
    if os.environ.get("BENCH_NAV_QUERY") == "1":
        slow = corpus(work, n, "hugo", ("--nav", "query"))
        runs["hugo --nav query (illustration)"] = (
            [[hugo, "--source", slow, "--destination", out("hugo-slow"), "--quiet", "--minify"]], out("hugo-slow"))
    return sp, runs


def compare(signpost, hugo, pagefind, work, n):
    site, runs = commands(signpost, hugo, pagefind, work, n)
    results = {name: [] for name in runs}
    for argvs, out in runs.values():
        measure(argvs, out)  # warm-up: the file cache
    for _ in range(RUNS):
        for name, (argvs, out) in runs.items():
            results[name].append(measure(argvs, out))
    rows = {name: tuple(statistics.median(s[i] for s in samples) for i in range(3))
            for name, samples in results.items()}
    pages = sum(1 for _, _, files in os.walk(runs["signpost"][1]) for f in files if f.endswith(".html"))
    print(f"\nN = {n} items x 4 languages ({pages} signpost HTML files); median of {RUNS} alternating runs")
    print(f"| {'':32} | {'wall s':>8} | {'CPU s':>8} | {'peak MiB':>9} |")
    print(f"|{'-' * 34}|{'-' * 10}|{'-' * 10}|{'-' * 11}|")
    for name, (wall, cpu, rss) in rows.items():
        print(f"| {name:32} | {wall:8.2f} | {cpu:8.2f} | {rss:9.0f} |")
    s = rows["signpost"]
    for peer in ("hugo", "hugo+pagefind"):
        p = rows[peer]
        print(f"| {'signpost / ' + peer:32} | {s[0] / p[0]:8.2f} | {s[1] / p[1]:8.2f} | {s[2] / p[2]:9.2f} |")
    print(f"signpost per page: {s[0] / max(pages, 1) * 1000:.3f} ms wall")
    profile(signpost, site, os.path.join(work, "out-signpost"))
    return site


def profile(signpost, site, out):
    """One signpost build with SIGNPOST_TIMINGS=1: where the time goes."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, SIGNPOST_TIMINGS="1")
    done = subprocess.run([signpost, "build", "--root", site, "--output", out], env=env,
                          capture_output=True, text=True, check=True)
    print("stage profile (SIGNPOST_TIMINGS=1):")
    for line in done.stderr.splitlines():
        if line.startswith("timing:"):
            print("   ", line.removeprefix("timing:").strip())


def serve_latency(signpost, site):
    port = 18000 + os.getpid() % 1000
    proc = subprocess.Popen([signpost, "serve", "--root", site, "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/en/policies/policy-00001/"
    path = os.path.join(site, "content", "policies", "policy-00001.en.md")
    original = open(path, encoding="utf-8").read()
    try:
        for _ in range(2400):
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.25)
        samples = []
        for i in range(5):
            marker = f"edit-marker-{i}-{time.time_ns()}"
            start = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            while marker not in urllib.request.urlopen(url, timeout=60).read().decode():
                time.sleep(0.005)
            samples.append(time.perf_counter() - start)
        print(f"serve: a body edit visible after {statistics.median(samples) * 1000:.0f} ms (median of 5)")
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        os.killpg(proc.pid, 15)


def main():
    signpost, hugo, pagefind, work = sys.argv[1:5]
    sizes = [int(n) for n in sys.argv[5:]]
    os.makedirs(work, exist_ok=True)
    print(subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())
    print(subprocess.run([pagefind, "--version"], capture_output=True, text=True).stdout.strip())
    site = None
    for n in sizes:
        site = compare(signpost, hugo, pagefind, work, n)
    if site and os.environ.get("BENCH_SERVE", "1") == "1":
        serve_latency(signpost, site)
        out = os.path.join(work, "out-signpost")
        subprocess.run([signpost, "build", "--root", site, "--output", out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for prefix in ["zh-hans", "en", "ru"]:
            total = raw = 0
            for root, _, files in os.walk(os.path.join(out, "search", prefix)):
                for f in files:
                    data = open(os.path.join(root, f), "rb").read()
                    raw += len(data)
                    total += len(gzip.compress(data))
            print(f"search index {prefix}: {raw / 1048576:.1f} MiB raw, {total / 1048576:.1f} MiB gzipped")
        subprocess.run(["node", os.path.join(HERE, "query_size.mjs"), out], check=True)


if __name__ == "__main__":
    main()
