// Screenshots of the theme for review: every page kind in every language, at a
// phone and a desktop width (viewport only, JPEG), into docs/theme/, with a
// README.md table linking them.
//   node tests/browser/screenshots.mjs            (SIGNPOST_BIN, SIGNPOST_SITE as for the tests)
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LANGUAGES, launch, repo, serve, stopServers } from "./support.js";
import { ROOT_PAGES, SCREENSHOT_VIEWPORTS as VIEWPORTS, pagesFor, settle, site, themedFixture } from "./pages.js";

const out = path.join(repo, "docs/theme");
const QUALITY = 60;

const fixture = themedFixture();
// The servers run in their own process groups: stop them even if this script is cut short.
process.on("exit", () => {
  stopServers();
  fixture.remove();
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.once(signal, () => process.exit(130));
const bases = {};
let browser;
const problems = [];
try {
  bases.guide = await serve(site);
  bases.fixture = await serve(fixture.root);
  browser = await launch();
  const contexts = [];
  for (const viewport of VIEWPORTS) {
    contexts.push({ context: await browser.newContext({ viewport, colorScheme: "light" }), width: viewport.width });
  }

  const jobs = [];
  for (const entry of ROOT_PAGES.filter((e) => !e.extra)) {
    for (const { context, width } of contexts) jobs.push({ entry, context, file: `${entry.kind}-${width}.jpg` });
  }
  for (const [prefix] of LANGUAGES) {
    for (const entry of pagesFor(prefix).filter((e) => !e.extra)) {
      for (const { context, width } of contexts) jobs.push({ entry, context, file: `${prefix}/${entry.kind}-${width}.jpg` });
    }
  }

  for (const dir of [out, ...LANGUAGES.map(([prefix]) => path.join(out, prefix))]) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) if (name.endsWith(".jpg")) rmSync(path.join(dir, name));
  }
  const seen = new Map(); // hash → first file
  const same = new Map(); // file → the identical file kept
  for (const { entry, context, file } of jobs) {
    const page = await context.newPage();
    const url = bases[entry.site] + entry.path;
    const response = await page.goto(url, { waitUntil: "load" });
    if (response.status() !== entry.status) problems.push(`${url}: HTTP ${response.status()}, expected ${entry.status}`);
    if (entry.ready) await entry.ready(page).catch((error) => problems.push(`${url}: ${error.message.split("\n")[0]}`));
    await settle(page);
    await page.screenshot({ path: path.join(out, file), type: "jpeg", quality: QUALITY });
    await page.close();
    // A shot identical to an earlier one (the 404 page is one page for every
    // language) is not kept twice: the README links the first.
    const hash = createHash("sha256").update(readFileSync(path.join(out, file))).digest("hex");
    if (seen.has(hash)) {
      rmSync(path.join(out, file));
      same.set(file, seen.get(hash));
    } else {
      seen.set(hash, file);
    }
  }

  // The README: one row per page kind, one column per language.
  const kinds = pagesFor("en").filter((e) => !e.extra);
  const link = (file, label) => `[${label}](${same.get(file) ?? file})${same.has(file) ? "²" : ""}`;
  const cell = (prefix, kind) => VIEWPORTS.map(({ width }) => link(`${prefix}/${kind}-${width}.jpg`, width)).join(" · ");
  const rows = kinds.map(({ kind, site }) =>
    `| ${kind}${site === "fixture" ? "¹" : ""} | ${LANGUAGES.map(([prefix]) => cell(prefix, kind)).join(" | ")} |`);
  const chooser = VIEWPORTS.map(({ width }) => link(`chooser-${width}.jpg`, width)).join(" · ");
  const kept = jobs.filter(({ file }) => !same.has(file));
  const total = kept.reduce((sum, { file }) => sum + statSync(path.join(out, file)).size, 0);
  writeFileSync(path.join(out, "README.md"), `# The signage theme, page by page

Screenshots of the guide as the \`signage\` theme renders it: the top of each page
(viewport only) at a phone size (${VIEWPORTS[0].width} × ${VIEWPORTS[0].height}) and a desktop size (${VIEWPORTS[1].width} × ${VIEWPORTS[1].height}),
light colour scheme, JPEG quality ${QUALITY}. Regenerate them with

    node tests/browser/screenshots.mjs

(it serves the guide with \`target/debug/signpost\`, or \`SIGNPOST_BIN\`).

Language chooser (\`/\`): ${chooser}

| page | ${LANGUAGES.map(([, code, name]) => `${name} (${code})`).join(" | ")} |
|---|${LANGUAGES.map(() => "---").join("|")}|
${rows.join("\n")}

¹ The guide has every page in every language, so the fallback pages come from the
fixture \`tests/fixtures/i18n/four-languages\`, rendered with this theme.
${same.size ? "\n² Identical to the screenshot linked (the page is the same in every language).\n" : ""}
The facility pictograms: [pictograms.png](pictograms.png) (\`node tests/browser/pictogram-sheet.mjs\`).

Lighthouse scores of the chooser and each page kind, and how they were measured: [lighthouse.md](lighthouse.md).
`);
  console.log(`wrote ${kept.length} screenshots (${same.size} more identical to one of them) (${(total / 1024 / 1024).toFixed(2)} MB) and README.md to ${path.relative(process.cwd(), out) || "."}`);
  for (const problem of problems) console.warn(`warning: ${problem}`);
} finally {
  if (browser) await browser.close();
  stopServers();
  fixture.remove();
}
if (problems.length) process.exitCode = 1;
