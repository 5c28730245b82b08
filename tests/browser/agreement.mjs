// The query side must agree with the index side. Reads vectors written by the
// Rust test (tests/site/search.rs): for each text, Rust's normalization and
// runs and spelling folds; checks that the shipped signpost-search.js
// normalizes, splits and folds the same way, and resolves every word of the built index (surface forms and
// stems) to the term the index stored. Usage: node agreement.mjs PUBLIC VECTORS
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [publicDir, vectorsFile] = process.argv.slice(2);
const module = await import(pathToFileURL(path.join(publicDir, "search/signpost-search.js")));
const search = module.createSearch(async (p) => JSON.parse(await readFile(path.join(publicDir, "search", p), "utf8")));
const vectors = JSON.parse(await readFile(vectorsFile, "utf8"));
const t2sFile = JSON.parse(await readFile(path.join(publicDir, "search/zh-hans/manifest.json"), "utf8")).t2s;
const pairs = Array.from(JSON.parse(await readFile(path.join(publicDir, "search", t2sFile), "utf8")));
const t2s = new Map();
for (let i = 0; i + 1 < pairs.length; i += 2) t2s.set(pairs[i], pairs[i + 1]);

let problems = 0;
let checked = 0;
const report = (message) => {
  problems += 1;
  if (problems <= 20) console.error(message);
};
for (const { text, normalized, runs, folded } of vectors.texts) {
  const js = module.normalize(text, t2s);
  checked += 1;
  if (js !== normalized) {
    report(`normalize differs for ${JSON.stringify(text.slice(0, 60))}`);
    continue;
  }
  const jsRuns = module.runs(js).map((r) => [r.text, r.han]);
  if (JSON.stringify(jsRuns) !== JSON.stringify(runs)) report(`runs differ for ${JSON.stringify(text.slice(0, 60))}`);
  const jsFolded = jsRuns.map(([run]) => module.foldSpelling(run));
  if (JSON.stringify(jsFolded) !== JSON.stringify(folded)) report(`spelling folds differ for ${JSON.stringify(text.slice(0, 60))}: ${jsFolded} / ${folded}`);
  if (module.normalize(js, t2s) !== js) report(`normalize is not idempotent for ${JSON.stringify(text.slice(0, 60))}`);
}
// Stop words: the module drops the words of the list the index side wrote, unless they are all the query has.
const stopWords = JSON.parse(await readFile(path.join(publicDir, "search/en/manifest.json"), "utf8")).stop;
for (const word of ["where", "где", "哪里"]) {
  checked += 1;
  if (!stopWords.includes(word)) report(`"${word}" is not in the stop words`);
}
// Every word the index knows (surface forms and non-Han terms) must resolve to its term.
for (const prefix of ["zh-hans", "zh-hant", "en", "ru"]) {
  const manifest = JSON.parse(await readFile(path.join(publicDir, "search", prefix, "manifest.json"), "utf8"));
  const files = manifest.shards.flatMap((key) => [key, ...Array.from({ length: (manifest.split || {})[key] || 0 }, (_, b) => `${key}.${b}`)]);
  for (const file of files) {
    const shard = JSON.parse(await readFile(path.join(publicDir, "search", prefix, manifest.base, "t", `${file}.json`), "utf8"));
    const words = Object.entries(shard.f);
    for (const term of Object.keys(shard.t)) if (!module.isHan(Array.from(term)[0])) words.push([term, term]);
    for (const [surface, term] of words) {
      checked += 1;
      const groups = await search.explain(surface + " ", { lang: manifest.lang });
      const exact = groups.length === 1 && groups[0].some((a) => a.term === term && a.weight === 1);
      if (!exact) report(`${prefix}: "${surface}" resolves to ${JSON.stringify(groups)}, the index says "${term}"`);
    }
  }
}
console.log(`${checked} checks, ${problems} disagreements`);
process.exit(problems === 0 ? 0 : 1);
