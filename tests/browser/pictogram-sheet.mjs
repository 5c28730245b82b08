// Renders the theme's facility pictograms on one sheet, at 24 px and 96 px, on a
// light and a dark ground, in headless Chromium: docs/theme/pictograms.png.
//   node tests/browser/pictogram-sheet.mjs [output.png]
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { launch, repo } from "./support.js";
import { folder, kinds } from "./pictograms.js";

const output = path.resolve(process.argv[2] || path.join(repo, "docs/theme/pictograms.png"));
const list = kinds();
const svg = (kind, size) =>
  readFileSync(path.join(folder, `${kind}.svg`), "utf8").replace("<svg ", `<svg width="${size}" height="${size}" aria-hidden="true" `);

const panel = (name) => `<section class="${name}">${list
  .map((kind) => `<figure>${svg(kind, 96)}<div class="small">${svg(kind, 24)}${svg(kind, 20)}</div><figcaption>${kind}</figcaption></figure>`)
  .join("")}</section>`;

const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
body { margin: 0; font: 12px/1.2 "Noto Sans", sans-serif; display: inline-block; }
section { display: flex; gap: 8px; padding: 12px; }
figure { margin: 0; width: 104px; display: flex; flex-direction: column; align-items: center; gap: 6px; }
.small { display: flex; gap: 8px; align-items: center; height: 24px; }
.light { background: #fff; color: #111; }
.dark { background: #121417; color: #f2f2f2; }
.sign { background: #0b5d3b; color: #fff; }
</style></head><body>${panel("light")}${panel("dark")}${panel("sign")}</body></html>`;

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 200 }, deviceScaleFactor: 1 });
  await page.setContent(html);
  mkdirSync(path.dirname(output), { recursive: true });
  await page.locator("body").screenshot({ path: output });
  console.log(`wrote ${path.relative(process.cwd(), output)}`);
} finally {
  await browser.close();
}
