// axe-core in headless Chromium over `signpost serve`: every page kind, in every
// language, at a phone and a desktop width, in light and dark colour schemes,
// has no WCAG 2.1 A/AA or best-practice violations, and never scrolls sideways.
// What axe cannot decide ("needs review", e.g. text over SVG) is printed as
// test diagnostics, not failures.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { LANGUAGES, launch, serve, stopServers } from "./support.js";
import { ROOT_PAGES, VIEWPORTS, drawEverything, noticesFixture, pagesFor, settle, site, themedFixture } from "./pages.js";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const SCHEMES = ["light", "dark"];

let browser;
let fixture;
let notices;
const bases = {};
const contexts = [];

// The servers run in their own process groups: stop them even if this process is cut short.
process.on("exit", () => {
  stopServers();
  fixture?.remove();
  notices?.remove();
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.once(signal, () => process.exit(130));

before(async () => {
  bases.guide = await serve(site);
  fixture = themedFixture();
  bases.fixture = await serve(fixture.root);
  notices = themedFixture(noticesFixture);
  bases.notices = await serve(notices.root);
  browser = await launch();
  for (const viewport of VIEWPORTS) {
    for (const colorScheme of SCHEMES) {
      // bypassCSP: axe is injected as a script even if the server ever sends `script-src 'self'`.
      const context = await browser.newContext({ viewport, colorScheme, bypassCSP: true });
      contexts.push({ context, label: `${colorScheme} ${viewport.width}` });
    }
  }
});

after(async () => {
  if (browser) await browser.close();
  stopServers();
  fixture?.remove();
  notices?.remove();
});

/** Loads `entry` in `context`, checks it is the page meant, runs axe; returns its results. */
async function audit(context, entry) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  try {
    const url = bases[entry.site] + entry.path;
    const response = await page.goto(url, { waitUntil: "load" });
    assert.equal(response.status(), entry.status, `${url}: HTTP status`);
    assert.equal(await page.locator("#signpost-errors").count(), 0, `${url}: signpost serve shows a build error`);
    if (entry.ready) await entry.ready(page);
    await drawEverything(page);
    await settle(page);
    await page.addScriptTag({ path: AXE });
    const results = await page.evaluate((tags) => {
      return window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    }, TAGS);
    assert.equal(results.testEngine.name, "axe-core");
    assert.ok(results.passes.length > 0, `${url}: axe ran no passing checks, so it did not really run`);
    assert.deepEqual(errors, [], `${url}: script errors`);
    // WCAG 1.4.10 (reflow), which axe does not test: the page itself never scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    return { results, overflow };
  } finally {
    await page.close();
  }
}

const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text).replace(/\s+/g, " ");

/** One readable block per violation, with where it happens (which scheme and width) and the first nodes. */
function report(found) {
  return [...found.values()]
    .map(({ violation, where }) => {
      const nodes = violation.nodes.slice(0, 3).map((node) => {
        const why = clip((node.any[0] || node.all[0] || node.none[0])?.message || node.failureSummary || "", 220);
        return `      ${node.target.join(" ")}\n        ${clip(node.html, 200)}\n        ${why}`;
      });
      const more = violation.nodes.length > 3 ? `\n      … and ${violation.nodes.length - 3} more` : "";
      return `  ${violation.id} (${violation.impact}) — ${violation.help} [${where.join(", ")}]\n` +
        `    ${violation.helpUrl}\n${nodes.join("\n")}${more}`;
    })
    .join("\n");
}

async function check(t, entry) {
  const found = new Map(); // violation id + its targets → { violation, where[] }
  const review = new Map(); // rule id + target → "needs review" nodes (axe could not decide): not failures
  const overflows = [];
  for (const { context, label } of contexts) {
    const { results, overflow } = await audit(context, entry);
    if (overflow > 0) overflows.push(`${label}: the page is ${overflow}px wider than the viewport`);
    for (const violation of results.violations) {
      const key = `${violation.id} ${violation.nodes.map((n) => n.target.join(" ")).join(",")}`;
      if (!found.has(key)) found.set(key, { violation, where: [] });
      found.get(key).where.push(label);
    }
    for (const item of results.incomplete) {
      for (const node of item.nodes) {
        const key = `${item.id} ${node.target.join(" ")}`;
        if (!review.has(key)) review.set(key, { id: item.id, node, where: [] });
        review.get(key).where.push(label);
      }
    }
  }
  for (const { id, node, where } of review.values()) {
    const why = (node.any[0] || node.all[0] || node.none[0])?.message || "";
    t.diagnostic(`needs review: ${id} ${node.target.join(" ")} [${where.join(", ")}] ${clip(why, 160)}`);
  }
  const problems = [];
  if (found.size) problems.push(`${found.size} axe violation(s)\n${report(found)}`);
  if (overflows.length) problems.push(`horizontal scrolling (WCAG 1.4.10 reflow):\n  ${overflows.join("\n  ")}`);
  if (problems.length) assert.fail(`${entry.path}: ${problems.join("\n")}`);
}

for (const entry of ROOT_PAGES) {
  test(`axe: ${entry.kind} ${entry.path}`, (t) => check(t, entry));
}
for (const [prefix] of LANGUAGES) {
  for (const entry of pagesFor(prefix)) {
    test(`axe: ${prefix} ${entry.kind} ${decodeURIComponent(entry.path)}${entry.site === "guide" ? "" : ` (${entry.site === "fixture" ? "fallback" : entry.site} fixture)`}`, (t) => check(t, entry));
  }
}
