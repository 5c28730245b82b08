// Relevance of search over the built guide: success@3 and MRR@10 per language
// and per kind of query, for signpost and, with --pagefind, for Pagefind over
// the same build.
//
//   node benches/relevance.mjs PUBLIC tests/relevance/queries.tsv [--pagefind] [--min-success 0.95] [--verbose]
//
// signpost runs in Node on the files of PUBLIC. Pagefind (`pip install
// 'pagefind[extended]'`) indexes a copy of PUBLIC without the fallback pages
// (those marked noindex), reading <main> only, and is queried in headless
// Chromium (playwright-core from tests/browser) on the same pages.
// --min-success makes the exit status 1 when signpost's success@3 is lower.
import { readFile, readdir, rm, cp, mkdtemp } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serveFolder } from "./static-server.mjs";

const args = process.argv.slice(2);
const [publicDir, queriesFile] = args;
const flag = (name) => args.includes(name);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const queries = (await readFile(queriesFile, "utf8"))
  .split("\n")
  .filter((line) => line.trim() && !line.startsWith("#"))
  .map((line) => {
    const [prefix, kind, query, answers] = line.split("\t");
    return { prefix, kind, query, answers: answers.trim().split(/\s+/) };
  });

/** Rank (1-based) of the first answer among `urls`, or 0. */
function rankOf(urls, answers) {
  const i = urls.findIndex((url) => answers.includes(url));
  return i < 0 ? 0 : i + 1;
}

async function signpostRanks() {
  const module = await import(pathToFileURL(path.join(publicDir, "search/signpost-search.js")));
  const search = module.createSearch(async (p) => JSON.parse(await readFile(path.join(publicDir, "search", p), "utf8")));
  const langs = {};
  for (const prefix of new Set(queries.map((q) => q.prefix))) {
    const manifest = JSON.parse(await readFile(path.join(publicDir, "search", prefix, "manifest.json"), "utf8"));
    langs[prefix] = manifest.lang;
  }
  const out = [];
  for (const q of queries) {
    const hits = await search(q.query, { lang: langs[q.prefix], limit: 10 });
    out.push({ urls: hits.map((h) => h.url), didYouMean: hits.didYouMean });
  }
  return out;
}

async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await htmlFiles(full)));
    else if (entry.name.endsWith(".html")) out.push(full);
  }
  return out;
}

async function pagefindRanks() {
  const site = await mkdtemp(path.join(os.tmpdir(), "relevance-pagefind-"));
  await cp(publicDir, site, { recursive: true });
  for (const file of await htmlFiles(site)) {
    const html = await readFile(file, "utf8");
    if (/<meta name="?robots"? content="?noindex/.test(html)) await rm(file);
  }
  const run = spawnSync("python3", ["-m", "pagefind", "--site", site, "--root-selector", "main"], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`pagefind failed: ${run.stderr || run.stdout}`);
  const { server, base } = await serveFolder(site);
  const require = createRequire(path.join(repo, "tests/browser/package.json"));
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
  const out = [];
  try {
    const pages = {};
    for (const q of queries) {
      if (!pages[q.prefix]) {
        pages[q.prefix] = await browser.newPage();
        await pages[q.prefix].goto(`${base}/${q.prefix}/`);
      }
      const urls = await pages[q.prefix].evaluate(async (query) => {
        const pagefind = await import("/pagefind/pagefind.js");
        const found = await pagefind.search(query);
        const data = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
        return data.map((d) => d.url.replace(/index\.html$/, ""));
      }, q.query);
      out.push({ urls });
    }
  } finally {
    await browser.close();
    server.close();
    await rm(site, { recursive: true, force: true });
  }
  return out;
}

function table(engines) {
  const rows = [];
  const groups = [["all", () => true]];
  for (const prefix of new Set(queries.map((q) => q.prefix))) groups.push([prefix, (q) => q.prefix === prefix]);
  for (const kind of new Set(queries.map((q) => q.kind))) groups.push([kind, (q) => q.kind === kind]);
  const header = ["queries", "n", ...Object.keys(engines).flatMap((e) => [`${e} success@3`, `${e} MRR@10`])];
  rows.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
  for (const [name, test] of groups) {
    const picked = queries.map((q, i) => [q, i]).filter(([q]) => test(q));
    const cells = [name, String(picked.length)];
    for (const ranks of Object.values(engines)) {
      const success = picked.filter(([, i]) => ranks[i] >= 1 && ranks[i] <= 3).length / picked.length;
      const mrr = picked.reduce((sum, [, i]) => sum + (ranks[i] >= 1 ? 1 / ranks[i] : 0), 0) / picked.length;
      cells.push(`${(success * 100).toFixed(1)} %`, mrr.toFixed(3));
    }
    rows.push(`| ${cells.join(" | ")} |`);
  }
  return rows.join("\n");
}

const signpost = await signpostRanks();
const engines = { signpost: signpost.map((r, i) => rankOf(r.urls, queries[i].answers)) };
if (flag("--pagefind")) {
  const pagefind = await pagefindRanks();
  engines.Pagefind = pagefind.map((r, i) => rankOf(r.urls, queries[i].answers));
}
for (let i = 0; i < queries.length; i++) {
  const rank = engines.signpost[i];
  if (flag("--verbose") || rank < 1 || rank > 3) {
    const q = queries[i];
    const others = Object.entries(engines).map(([e, r]) => `${e} ${r[i] || "-"}`).join(", ");
    console.log(`${rank >= 1 && rank <= 3 ? "ok  " : "MISS"} ${q.prefix} ${q.kind} "${q.query}" (${others}) → ${signpost[i].urls.slice(0, 3).join(" ")}${signpost[i].didYouMean ? ` [did you mean ${signpost[i].didYouMean}]` : ""}`);
  }
}
console.log(table(engines));
const success = engines.signpost.filter((r) => r >= 1 && r <= 3).length / queries.length;
console.log(`signpost success@3 ${(success * 100).toFixed(1)} % over ${queries.length} queries`);
const minimum = option("--min-success");
if (minimum !== null && success < Number(minimum)) {
  console.log(`below the threshold ${Number(minimum) * 100} %`);
  process.exit(1);
}
