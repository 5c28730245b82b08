// Offline reading, tried as a newcomer without a local SIM would: one visit to
// the guide in English, then the network goes away and the English pages
// still open (even ones never visited) and search still finds them, while
// other languages do not; and
// while the network is there, an edited page is never served from the cache.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { binary, freePort, launch, repo, shots } from "./support.js";

let browser;
let site;
let server;
let port;

/** Starts `signpost serve` for the copied guide on `port`; resolves when it answers. */
async function startServer() {
  const child = spawn(binary, ["serve", "--root", site, "--port", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let log = "";
  child.stderr.on("data", (chunk) => (log += chunk));
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`signpost serve did not start:\n${log}`);
}

function stopServer() {
  if (!server) return;
  try {
    process.kill(-server.pid);
  } catch {
    server.kill();
  }
  server = null;
}

/** Waits until `url` answers with a body containing `text`. */
async function waitForText(url, text) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await (await fetch(url)).text()).includes(text)) return;
    } catch {
      /* rebuilding */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never showed ${text}`);
}

before(async () => {
  site = mkdtempSync(path.join(os.tmpdir(), "signpost-offline-"));
  for (const item of ["site.yaml", "content", "i18n"]) {
    cpSync(path.join(repo, item), path.join(site, item), { recursive: true });
  }
  port = await freePort();
  server = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  stopServer();
  rmSync(site, { recursive: true, force: true });
});

test("after one visit, the reader's language opens without a network and is never stale online", async () => {
  const base = `http://127.0.0.1:${port}`;
  const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  let page = await context.newPage();

  // First visit: the service worker keeps every English page, and the footer says so.
  await page.goto(base + "/en/");
  await page.locator("[data-offline-note]").waitFor({ state: "visible", timeout: 60_000 });
  const kept = await page.evaluate(async () => {
    const cache = await caches.open("signpost-pages");
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  assert.ok(kept.includes("/en/policies/community-measures/"), `kept: ${kept.length} files`);
  assert.ok(!kept.some((p) => p.startsWith("/ru/")), "only the reader's language is kept");

  // Online, an edited page comes from the network, not from what was kept.
  // (The open page would live-reload on the edit; read with a fresh one.)
  await page.close();
  const file = path.join(site, "content/about/history.en.md");
  const marker = "Edited while the reader was online.";
  writeFileSync(file, readFileSync(file, "utf8").trimEnd() + `\n\n${marker}\n`);
  await waitForText(base + "/en/about/history/", marker);
  page = await context.newPage();
  await page.goto(base + "/en/about/history/");
  assert.ok((await page.textContent("main")).includes(marker), "a stale page was served online");

  // The network goes away: the server is stopped.
  stopServer();
  await assert.rejects(fetch(base + "/en/"), "the server must really be gone");

  // A page never visited still opens, from the device.
  const response = await page.goto(base + "/en/policies/community-measures/");
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.ok((await page.textContent("h1")).length > 0);
  assert.equal(await page.locator("link[rel=stylesheet]").count(), 1);
  const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".masthead")).backgroundColor);
  assert.notEqual(styled, "rgba(0, 0, 0, 0)", "the stylesheet was kept too");
  await page.screenshot({ path: path.join(shots, "offline-en-policy-360.png") });

  // Search works from the device too: the language's index was kept with its pages.
  await page.goto(base + "/en/search/?q=" + encodeURIComponent("hospitals"));
  await page.waitForFunction(() => document.querySelector("[data-search-results]").dataset.query === "hospitals");
  const found = await page.locator("[data-search-results] li a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  // The international medical services page or one of the hospitals' own pages answers it.
  const answers = ["/en/policies/international-medical/", "/en/facilities/peking-union-medical-college-hospital/",
    "/en/facilities/china-japan-friendship-hospital/", "/en/facilities/beijing-friendship-hospital/",
    "/en/facilities/beijing-anzhen-hospital/"];
  assert.ok(answers.includes(found[0]), JSON.stringify(found));

  // The edited page is kept as last seen online.
  await page.goto(base + "/en/about/history/");
  assert.ok((await page.textContent("main")).includes(marker));

  // Another language was never kept, so it does not open.
  await assert.rejects(page.goto(base + "/ru/policies/community-measures/"));
  await context.close();
});
