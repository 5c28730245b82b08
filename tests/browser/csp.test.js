// The built guide under the strict Content-Security-Policy the README tells
// deployers to send (read from the README, so the two cannot drift apart):
// every kind of page loads with no policy violation, search answers, and the
// offline service worker still registers and keeps the language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { binary, launch, repo } from "./support.js";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
};

/** The policy line of the README's "Content-Security-Policy" block. */
function readmePolicy() {
  const line = readFileSync(path.join(repo, "README.md"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("Content-Security-Policy: default-src"));
  assert.ok(line, "the README gives a Content-Security-Policy to deploy with");
  return line.slice("Content-Security-Policy: ".length).trim();
}

let output;
let server;
let base;
let browser;
const policy = readmePolicy();

before(async () => {
  output = mkdtempSync(path.join(os.tmpdir(), "signpost-csp-"));
  execFileSync(binary, ["build", "--root", repo, "--output", path.join(output, "public")], {
    env: { ...process.env, CI: "true" },
  });
  const root = path.join(output, "public");
  // A static host that sends the README's policy with every response.
  server = createServer((request, response) => {
    let file = path.join(root, decodeURIComponent(new URL(request.url, "http://x").pathname));
    if (!file.startsWith(root)) file = path.join(root, "404.html");
    try {
      if (statSync(file).isDirectory()) file = path.join(file, "index.html");
      const body = readFileSync(file);
      response.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "content-security-policy": policy });
      response.end(body);
    } catch {
      response.writeHead(404, { "content-type": TYPES[".html"], "content-security-policy": policy });
      response.end(readFileSync(path.join(root, "404.html")));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  server?.close();
  if (output) rmSync(output, { recursive: true, force: true });
});

test("every page kind works under the README's Content-Security-Policy", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  const violations = [];
  await context.exposeBinding("reportViolation", (_source, text) => violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI} at ${location.pathname}`);
    });
  });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const paths = [
    "/",
    "/en/",
    "/ru/communities/",
    "/zh-hans/communities/wangjing/",
    "/zh-hant/facilities/wangjing-street/",
    "/en/about/figures/",
    "/ru/policies/service-system/",
    "/en/scenarios/health/",
    "/zh-hans/no-such-page/",
  ];
  for (const url of paths) {
    await page.goto(base + url);
    assert.ok((await page.textContent("h1")).trim().length > 0, url);
  }
  // Search: its module and the index load under script-src 'self' and connect-src 'self'.
  await page.goto(base + "/en/search/?q=hospitals");
  await page.locator("[data-search-results] a[href]").first().waitFor({ timeout: 15_000 });
  // Offline: the service worker registers and keeps the language.
  await page.goto(base + "/ru/");
  await page.locator("[data-offline-note]").waitFor({ state: "visible", timeout: 60_000 });
  assert.deepEqual(violations, [], "policy violations");
  await context.close();
});
