#!/usr/bin/env python3
"""`signpost serve` as an editor meets it: from saving a file to the reload
message reaching the browser, for each kind of edit (SPEC §9, issue 13).

For each N: copy the shared synthetic guide (../shared/bench/gen_corpus.py,
as benches/run.py generates it) to a temporary folder, add a site
`templates/partials/page_list.html` (the theme's own) and an
`i18n/en.yaml` (one UI string) so those can be edited, start
`signpost --verbose serve` on it, listen to its live-reload stream
(`/__signpost/events`, what an open tab listens to) and make EDITS edits of
each kind, one at a time:

  body        a sentence added to a policy page (en)
  title       a policy page's title (it shows in the policies list)
  new page    a new policy page (en)
  delete      one of those new pages deleted
  facility    a facility's English name
  UI string   a string of i18n/en.yaml (nav.search)
  template    the partial templates/partials/page_list.html

Each sample is the time from just before the file is written to the reload
event's arrival (the watcher's 30 ms debounce included). The script waits
for serve's log line of the edit (and for the search index that follows it)
before the next edit, and prints per kind the median, the smallest and
largest sample, the pages re-rendered (serve's log line) and the median time
serve took to bring the search index up to date after the reload.

Usage: serve_edits.py SIGNPOST WORKDIR N [N ...]
Environment: BENCH_EDITS (default 5 per kind), BENCH_CORPUS (gen_corpus.py's path),
BENCH_LOG (write serve's log, with --verbose's stage times, to BENCH_LOG.n<N>).
"""
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

EDITS = int(os.environ.get("BENCH_EDITS", "5"))
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.environ.get("BENCH_CORPUS", os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
KINDS = ["body", "title", "new page", "delete", "facility", "UI string", "template"]


def corpus(work, n):
    """The synthetic guide of N items (generated once, as benches/run.py does)."""
    path = os.path.join(work, f"n{n}-signpost")
    if not os.path.isdir(path):
        subprocess.run([sys.executable, CORPUS, "--items", str(n), "--format", "signpost", "--out", path],
                       check=True, stdout=subprocess.DEVNULL)
    return path


class Serve:
    """A running `signpost --verbose serve`: its log lines and reload events, timed on arrival."""

    def __init__(self, signpost, site):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen([signpost, "--verbose", "serve", "--root", site, "--port", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        self.lines, self.events = [], []
        self.cond = threading.Condition()
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self):
        for line in self.proc.stderr:
            with self.cond:
                self.lines.append((time.perf_counter(), line.rstrip("\n")))
                self.cond.notify_all()

    def _read_events(self, sock):
        buffer = b""
        while True:
            data = sock.recv(4096)
            if not data:
                return
            buffer += data
            while b"\n\n" in buffer:
                event, buffer = buffer.split(b"\n\n", 1)
                if any(line.startswith(b"data:") for line in event.split(b"\n")):
                    with self.cond:
                        self.events.append(time.perf_counter())
                        self.cond.notify_all()

    def wait_line(self, pattern, after, timeout, required=True):
        """The first log line matching `pattern` among those after index `after`: (index, time, match);
        `None` after `timeout` seconds when not `required`."""
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for i in range(after, len(self.lines)):
                    found = re.search(pattern, self.lines[i][1])
                    if found:
                        return i, self.lines[i][0], found
                left = deadline - time.time()
                if left <= 0 and not required:
                    return None
                if left <= 0 or self.proc.poll() is not None:
                    tail = "\n".join(l for _, l in self.lines[-20:])
                    sys.exit(f"no log line /{pattern}/ in {timeout} s:\n{tail}")
                self.cond.wait(left)

    def start(self):
        self.wait_line(r"serving .* at http", 0, 3600)
        sock = socket.create_connection(("127.0.0.1", self.port))
        sock.sendall(b"GET /__signpost/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        threading.Thread(target=self._read_events, args=(sock,), daemon=True).start()
        time.sleep(1.0)

    def wait_event(self, count, timeout=600):
        deadline = time.time() + timeout
        with self.cond:
            while len(self.events) <= count:
                left = deadline - time.time()
                if left <= 0:
                    sys.exit("no reload event")
                self.cond.wait(left)
            return self.events[count]

    def stop(self):
        os.killpg(self.proc.pid, 15)
        self.proc.wait()


def set_title(text, title):
    return re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.M)


def edit(site, kind, i, stamp):
    """Makes edit number `i` of `kind` in `site`: the file written."""
    policies = os.path.join(site, "content", "policies")
    if kind == "body":
        path = os.path.join(policies, f"policy-{10 + i:05d}.en.md")
        return path, open(path, encoding="utf-8").read() + f"\nA sentence added by edit {stamp}.\n"
    if kind == "title":
        path = os.path.join(policies, f"policy-{20 + i:05d}.en.md")
        return path, set_title(open(path, encoding="utf-8").read(), f"Retitled policy {stamp}")
    if kind == "new page":
        path = os.path.join(policies, f"bench-new-{i}.en.md")
        return path, f"---\ntitle: \"New policy {stamp}\"\ndate: 2025-01-02\n---\n\nA new page.\n"
    if kind == "delete":
        return os.path.join(policies, f"bench-new-{i}.en.md"), None
    if kind == "facility":
        folder = os.path.join(site, "content", "facilities")
        name = sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))[i]
        path = os.path.join(folder, name)
        text = open(path, encoding="utf-8").read()
        return path, re.sub(r'(name:\n(?:  .*\n)*?  en: ")[^"]*', lambda m: m.group(1) + f"Renamed {stamp}", text,
                            count=1)
    if kind == "UI string":
        return os.path.join(site, "i18n", "en.yaml"), f"nav:\n  search: Search {stamp}\n"
    if kind == "template":
        path = os.path.join(site, "templates", "partials", "page_list.html")
        text = open(os.path.join(ROOT, "themes", "signage", "templates", "partials", "page_list.html"),
                    encoding="utf-8").read()
        return path, text + f"{{# edit {stamp} #}}\n"
    raise ValueError(kind)


def prepare(site):
    """The files the UI string and template edits change, in place before serve starts."""
    os.makedirs(os.path.join(site, "i18n"), exist_ok=True)
    with open(os.path.join(site, "i18n", "en.yaml"), "w", encoding="utf-8") as f:
        f.write("nav:\n  search: Search\n")
    partials = os.path.join(site, "templates", "partials")
    os.makedirs(partials, exist_ok=True)
    shutil.copy(os.path.join(ROOT, "themes", "signage", "templates", "partials", "page_list.html"), partials)


def run(signpost, work, n):
    with tempfile.TemporaryDirectory(prefix=f"serve-n{n}-") as temp:
        site = os.path.join(temp, "site")
        shutil.copytree(corpus(work, n), site)
        prepare(site)
        serve = Serve(signpost, site)
        try:
            started = time.perf_counter()
            serve.start()
            print(f"\nN = {n}: serve's first build {time.perf_counter() - started:.1f} s; "
                  f"load before edits: {open('/proc/loadavg').read().split()[:3]}")
            results = {}
            for kind in KINDS:
                samples, pages, search = [], [], []
                for i in range(EDITS):
                    stamp = f"{i}-{time.time_ns()}"
                    path, text = edit(site, kind, i, stamp)
                    seen, line_at = len(serve.events), len(serve.lines)
                    start = time.perf_counter()
                    if text is None:
                        os.remove(path)
                    else:
                        with open(path, "w", encoding="utf-8") as f:
                            f.write(text)
                    arrived = serve.wait_event(seen)
                    samples.append((arrived - start) * 1000)
                    at, _, found = serve.wait_line(r"signpost: (.*re-rendered (\d+) pages|rebuilt (\d+) files)",
                                                   line_at, 600)
                    pages.append(found.group(2) or f"all ({found.group(3)} files)")
                    # The search index follows the reload; wait for it before the next edit.
                    if kind in ("body", "title", "new page", "delete", "facility"):
                        done = serve.wait_line(r"search index of .* updated in (\d+) ms", at, 120, required=False)
                        if done:
                            search.append(int(done[2].group(1)))
                    time.sleep(0.3)
                results[kind] = (samples, pages, search)
            load = open("/proc/loadavg").read().split()[:3]
            print(f"median of {EDITS} edits per kind; load average after: {' '.join(load)}")
            print(f"| {'edit':10} | {'median ms':>9} | {'min':>6} | {'max':>6} | {'pages re-rendered':>22} | {'search after, ms':>16} |")
            print(f"|{'-' * 12}|{'-' * 11}|{'-' * 8}|{'-' * 8}|{'-' * 24}|{'-' * 18}|")
            for kind, (samples, pages, search) in results.items():
                rendered = "/".join(sorted(set(pages), key=pages.index))
                after = f"{statistics.median(search):.0f}" if search else "-"
                print(f"| {kind:10} | {statistics.median(samples):9.0f} | {min(samples):6.0f} | {max(samples):6.0f} "
                      f"| {rendered:>22} | {after:>16} |")
        finally:
            serve.stop()
            if os.environ.get("BENCH_LOG"):
                with open(f"{os.environ['BENCH_LOG']}.n{n}", "w", encoding="utf-8") as f:
                    f.write("\n".join(line for _, line in serve.lines) + "\n")


def main():
    signpost, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    for n in [int(n) for n in sys.argv[3:]]:
        run(signpost, work, n)


if __name__ == "__main__":
    main()
