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
of each, and the ratios. Then one signpost run with --verbose for the
stage profile. At the largest N also: the serve edit latency, the search index
size and what one query downloads, with signpost and with Pagefind over Hugo's
output (benches/query_size.mjs).

Usage: run.py SIGNPOST HUGO PAGEFIND WORKDIR N [N ...]
Environment: BENCH_RUNS (default 3), BENCH_CORPUS (gen_corpus.py's path),
BENCH_NAV_QUERY=1 also times Hugo with `--nav query` (a labelled
illustration of a slow Hugo pattern, never the baseline), BENCH_KEEP_UP_TO
(default 10000) and BENCH_SETTLE (default 65 s): see `fresh`. BENCH_CACHE=1
then times, for each N, a cold build against a rebuild with `--cache` after a
one-page change (benches/cache_rebuild.py).
"""
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import cache_rebuild

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.environ.get("BENCH_CORPUS", os.path.join(HERE, "..", "..", "shared", "bench", "gen_corpus.py"))


# ext4 without a journal (this machine's disk) skips, on every file it
# creates, each inode freed in the last minute or still unwritten: deleting
# the previous run's 100 000 files just before a build makes that build pay
# for the deletion. So no output is deleted right before a timed run: up to
# KEEP_UP_TO items every run writes into a new folder and all are deleted
# after the last run; above it (the outputs would not fit on the disk), the
# old output is deleted, then synced, a minute before the next run.
KEEP_UP_TO = int(os.environ.get("BENCH_KEEP_UP_TO", "10000"))
SETTLE_SECONDS = int(os.environ.get("BENCH_SETTLE", "65"))
runs_made = 0


def fresh(out, n):
    """A new empty folder for one run's output, named after `out`."""
    global runs_made
    runs_made += 1
    if n <= KEEP_UP_TO:
        return f"{out}-{runs_made}"
    if os.path.exists(out):
        shutil.rmtree(out)
        os.sync()
        time.sleep(SETTLE_SECONDS)
    return out


def clean(work):
    """Deletes every output folder of `work`, then waits for the deleted inodes to settle."""
    if os.environ.get("BENCH_CACHE") == "1":
        for n in sizes:
            cache_rebuild.measure(signpost, work, n)
    for name in os.listdir(work):
        if name.startswith("out-"):
            shutil.rmtree(os.path.join(work, name), ignore_errors=True)
    os.sync()
    time.sleep(SETTLE_SECONDS)


def measure(argvs, out):
    """Runs each argv in turn (they write into the folder `out`, which does
    not exist yet); returns (wall s, cpu s, peak RSS MiB)."""
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
    """The site folder and, per tool, a function from an output folder to the commands of one build."""
    sp, hg = corpus(work, n, "signpost"), corpus(work, n, "hugo")
    hugo_build = lambda source, out: [hugo, "--source", source, "--destination", out, "--quiet", "--minify"]
    runs = {
        "signpost": lambda out: [[signpost, "build", "--root", sp, "--output", out]],
        "hugo": lambda out: [hugo_build(hg, out)],
        "hugo+pagefind": lambda out: [hugo_build(hg, out), [pagefind, "--site", out, "--silent"]],
    }
    if os.environ.get("BENCH_NAV_QUERY") == "1":
        slow = corpus(work, n, "hugo", ("--nav", "query"))
        runs["hugo --nav query (illustration)"] = lambda out: [hugo_build(slow, out)]
    return sp, runs


def compare(signpost, hugo, pagefind, work, n):
    site, runs = commands(signpost, hugo, pagefind, work, n)
    results = {name: [] for name in runs}
    clean(work)
    slug = lambda name: os.path.join(work, "out-" + "".join(c if c.isalnum() else "-" for c in name))
    for name, argvs in runs.items():
        out = fresh(slug(name), n)
        measure(argvs(out), out)  # warm-up: the file cache
    signpost_out = None
    for _ in range(RUNS):
        for name, argvs in runs.items():
            out = fresh(slug(name), n)
            results[name].append(measure(argvs(out), out))
            if name == "signpost":
                signpost_out = out
    rows = {name: tuple(statistics.median(s[i] for s in samples) for i in range(3))
            for name, samples in results.items()}
    pages = sum(1 for _, _, files in os.walk(signpost_out) for f in files if f.endswith(".html"))
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
    profile(signpost, site, fresh(slug("signpost"), n))
    return site


def profile(signpost, site, out):
    """One signpost build with --verbose: where the time goes (each stage span's time)."""
    done = subprocess.run([signpost, "--verbose", "build", "--root", site, "--output", out],
                          capture_output=True, text=True, check=True)
    print("stage profile (signpost --verbose build):")
    for line in done.stderr.splitlines():
        found = re.search(r".*stage\{name=([^}]*)\}: close time\.busy=(\S+)", line)
        if found:
            print(f"    {found.group(2):>10}  {found.group(1)}")


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


def html_weight(folder):
    """Number of HTML pages in `folder` and their mean size, raw and gzipped."""
    count = raw = packed = 0
    for root, _, files in os.walk(folder):
        for f in files:
            if f.endswith(".html"):
                data = open(os.path.join(root, f), "rb").read()
                count += 1
                raw += len(data)
                packed += len(gzip.compress(data))
    return count, raw / max(count, 1), packed / max(count, 1)


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
        out = os.path.join(work, "out-signpost-sizes")
        shutil.rmtree(out, ignore_errors=True)
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
        # Pagefind over Hugo's output of the same guide: what its queries download.
        pagefind_out = os.path.join(work, "out-hugo-pagefind-sizes")
        shutil.rmtree(pagefind_out, ignore_errors=True)
        hugo_site = corpus(work, sizes[-1], "hugo")
        subprocess.run([hugo, "--source", hugo_site, "--destination", pagefind_out, "--quiet", "--minify"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([pagefind, "--site", pagefind_out, "--silent"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["node", os.path.join(HERE, "query_size.mjs"), out, "--pagefind", pagefind_out], check=True)
        for name, folder in [("signpost", out), ("Hugo --minify", pagefind_out)]:
            count, raw, packed = html_weight(folder)
            print(f"HTML pages of {name}: {count}, {raw / 1024:.1f} KiB each on average, {packed / 1024:.1f} KiB gzipped")
    for name in os.listdir(work):
        if name.startswith("out-"):
            shutil.rmtree(os.path.join(work, name), ignore_errors=True)


if __name__ == "__main__":
    main()
