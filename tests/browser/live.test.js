// Live reload over the incremental path, tried as an editor would: a section
// page is open in the browser, the title of a page it lists is changed in
// its Markdown file, and the list shows the new title by itself — the server
// re-rendered the pages that list it and told the tab to reload. Then the
// search index, brought up to date after the reload, finds a page by the
// title it was just given.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, repo, serve, stopServers } from "./support.js";

let browser;
let site;
let log = "";
let base;

process.on("exit", () => {
  stopServers();
  if (site) rmSync(site, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.once(signal, () => process.exit(130));

before(async () => {
  site = mkdtempSync(path.join(os.tmpdir(), "signpost-live-"));
  cpSync(path.join(repo, "tests/fixtures/serve/incremental"), site, { recursive: true });
  base = await serve(site, (text) => (log += text));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  stopServers();
  if (site) rmSync(site, { recursive: true, force: true });
});

test("a section page shows a listed page's new title by itself", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/en/communities/`);
  const list = page.locator("main");
  assert.match(await list.innerText(), /Shunyi/);
  // The live-reload stream is open before the edit.
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((r) => r.name.includes("/__signpost/reload.js")));
  await new Promise((r) => setTimeout(r, 300));
  const file = path.join(site, "content/communities/shunyi.en.md");
  writeFileSync(file, readFileSync(file, "utf8").replace("title: Shunyi", "title: Shunyi Airport District"));
  await page.waitForFunction(
    () => document.querySelector("main")?.innerText.includes("Shunyi Airport District"),
    null,
    { timeout: 20000 },
  );
  assert.match(log, /title of content\/communities\/shunyi\.en\.md changed: re-rendered \d+ pages in \d+ ms/);
  await context.close();
});

test("the search index follows an edit: a page is found by its new title", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const updates = () => (log.match(/search index of [^\n]* updated in \d+ ms/g) || []).length;
  const seen = updates();
  const file = path.join(site, "content/communities/wangjing.en.md");
  writeFileSync(file, readFileSync(file, "utf8").replace("title: Wangjing", "title: Wangjing Zephyrtown"));
  for (let i = 0; i < 200 && updates() === seen; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(updates() > seen, `the search index was not updated:\n${log}`);
  await page.goto(`${base}/en/search/?q=zephyrtown`);
  await page.waitForSelector("[data-search-results] a[href='/en/communities/wangjing/']", { timeout: 20000 });
  await context.close();
});
