// What one search query downloads, and how long it takes with files in memory.
// Usage: node query_size.mjs PUBLIC [--pagefind SITE]
//
// signpost runs in Node on the files of PUBLIC: the bytes are those of the
// files the query loads (the module itself not counted), each gzipped.
// With --pagefind, the same queries go through Pagefind over SITE (a site
// Pagefind has indexed, such as Hugo's output of the same guide), in headless
// Chromium (playwright-core from tests/browser) on the language's home page:
// the bytes are those of every file under /pagefind/ the page requests for
// the query and the data of its first 10 results, as they travel gzipped
// (Pagefind's index files are gzipped already), with and without Pagefind's
// runtime (its JavaScript and WebAssembly, which a page loads once).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { serveFolder } from "./static-server.mjs";

const args = process.argv.slice(2);
const publicDir = args[0];
const pagefindSite = args.includes("--pagefind") ? args[args.indexOf("--pagefind") + 1] : null;
const queries = [["zh-Hans", "国际 学校"], ["zh-Hans", "wangjing"], ["en", "international hospitals"], ["ru", "больницы"]];
const gzipped = (bytes) => (bytes[0] === 0x1f && bytes[1] === 0x8b ? bytes.length : gzipSync(bytes).length);
const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];

const module = await import(pathToFileURL(path.join(publicDir, "search/signpost-search.js")));
for (const [lang, query] of queries) {
  const seen = new Map();
  const search = module.createSearch(async (p) => {
    const bytes = await readFile(path.join(publicDir, "search", p));
    seen.set(p, bytes);
    return JSON.parse(bytes.toString("utf8"));
  });
  const hits = await search(query, { lang, limit: 10 });
  const gz = [...seen.values()].reduce((n, b) => n + gzipped(b), 0);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await search(query, { lang, limit: 10 });
    times.push(performance.now() - t);
  }
  console.log(`search ${lang} "${query}": ${hits.length} hits, ${seen.size} files, ${(gz / 1024).toFixed(1)} KiB gzipped, ${median(times).toFixed(1)} ms warm`);
}

if (pagefindSite) {
  let requested = [];
  const { server, base } = await serveFolder(pagefindSite, (pathname, body) => {
    if (pathname.startsWith("/pagefind/")) requested.push([pathname, gzipped(body)]);
  });
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const { chromium } = createRequire(path.join(repo, "tests/browser/package.json"))("playwright-core");
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
  try {
    for (const [lang, query] of queries) {
      const page = await browser.newPage();
      await page.goto(`${base}/${lang.toLowerCase()}/`);
      requested = [];
      const result = await page.evaluate(async (q) => {
        const pagefind = await import("/pagefind/pagefind.js");
        const run = async () => {
          const found = await pagefind.search(q);
          return Promise.all(found.results.slice(0, 10).map((r) => r.data()));
        };
        const hits = (await run()).length;
        const times = [];
        for (let i = 0; i < 5; i++) {
          const t = performance.now();
          await run();
          times.push(performance.now() - t);
        }
        return { hits, times };
      }, query);
      const runtime = (p) => p.endsWith(".js") || p.includes("/wasm.");
      const total = requested.reduce((n, [, size]) => n + size, 0);
      const data = requested.filter(([p]) => !runtime(p)).reduce((n, [, size]) => n + size, 0);
      console.log(`pagefind ${lang} "${query}": ${result.hits} hits, ${requested.length} files, ${(total / 1024).toFixed(1)} KiB gzipped (${(data / 1024).toFixed(1)} KiB without its JS and WebAssembly), ${median(result.times).toFixed(1)} ms warm`);
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
}
