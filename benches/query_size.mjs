// What one search query downloads, and how long it takes with files in memory.
// Usage: node query_size.mjs PUBLIC
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

const publicDir = process.argv[2];
const module = await import(pathToFileURL(path.join(publicDir, "search/signpost-search.js")));
const queries = [["zh-Hans", "国际 学校"], ["zh-Hans", "wangjing"], ["en", "international hospitals"], ["ru", "больницы"]];
for (const [lang, query] of queries) {
  const seen = new Map();
  const search = module.createSearch(async (p) => {
    const bytes = await readFile(path.join(publicDir, "search", p));
    seen.set(p, bytes);
    return JSON.parse(bytes.toString("utf8"));
  });
  const hits = await search(query, { lang, limit: 10 });
  const gz = [...seen.values()].reduce((n, b) => n + gzipSync(b).length, 0);
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await search(query, { lang, limit: 10 });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`search ${lang} "${query}": ${hits.length} hits, ${seen.size} files, ${(gz / 1024).toFixed(1)} KiB gzipped, ${times[2].toFixed(1)} ms warm`);
}
