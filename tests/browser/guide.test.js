// Headless Chromium over `signpost serve`: the guide's pages render in every
// language, the switcher moves between the same page, fallback pages say so,
// and the chosen language is remembered. Screenshots go to target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const binary = process.env.SIGNPOST_BIN || path.join(repo, "target/debug/signpost");
const shots = path.join(repo, "target/screenshots");
const LANGUAGES = [
  ["zh-hans", "zh-Hans", "简体中文"],
  ["zh-hant", "zh-Hant", "繁體中文"],
  ["en", "en", "English"],
  ["ru", "ru", "Русский"],
];

let browser;
const servers = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function serve(root) {
  if (!existsSync(binary)) throw new Error(`no signpost binary at ${binary}: run cargo build, or set SIGNPOST_BIN`);
  const port = await freePort();
  const child = spawn(binary, ["serve", "--root", root, "--port", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let log = "";
  child.stderr.on("data", (chunk) => (log += chunk));
  child.on("error", (error) => (log += String(error)));
  servers.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(base + "/");
      if (response.ok) return base;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`signpost serve did not start:\n${log}`);
}

let guide;
let fixture;

before(async () => {
  mkdirSync(shots, { recursive: true });
  guide = await serve(repo);
  fixture = await serve(path.join(repo, "tests/fixtures/i18n/four-languages"));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  for (const child of servers) {
    try {
      process.kill(-child.pid);
    } catch {
      child.kill();
    }
  }
});

async function open(url, width = 360) {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  const response = await page.goto(url);
  return { context, page, errors, response };
}

for (const [prefix, code] of LANGUAGES) {
  test(`the guide's pages render in ${code}`, async () => {
    for (const [name, pathname] of [
      ["home", `/${prefix}/`],
      ["community", `/${prefix}/communities/wangjing/`],
      ["policy", `/${prefix}/policies/service-system/`],
      ["facility", `/${prefix}/facilities/wangjing-street/`],
    ]) {
      const { context, page, errors, response } = await open(guide + pathname);
      assert.equal(response.status(), 200, pathname);
      assert.equal(await page.getAttribute("html", "lang"), code);
      const heading = page.locator("main h1").first();
      assert.ok(await heading.isVisible(), `${pathname}: h1 visible`);
      assert.ok((await heading.innerText()).trim().length > 1, `${pathname}: h1 has text`);
      const switcher = page.locator("nav.languages a");
      assert.equal(await switcher.count(), 4, `${pathname}: four languages in the switcher`);
      await page.screenshot({ path: path.join(shots, `${code}-${name}-360.png`), fullPage: true });
      assert.deepEqual(errors, [], `${pathname}: no script errors`);
      await context.close();
    }
  });
}

test("the language switcher moves between the same page in all four languages", async () => {
  const { context, page } = await open(guide + "/en/communities/wangjing/", 1280);
  for (const [prefix, code, name] of [LANGUAGES[3], LANGUAGES[0], LANGUAGES[1], LANGUAGES[2]]) {
    await page.locator("nav.languages a", { hasText: name }).click();
    await page.waitForURL(`**/${prefix}/communities/wangjing/`);
    assert.equal(await page.getAttribute("html", "lang"), code);
    assert.equal(await page.getAttribute("nav.languages a[aria-current=page]", "hreflang"), code);
  }
  await page.screenshot({ path: path.join(shots, "en-community-1280.png"), fullPage: true });
  await context.close();
});

test("the chooser remembers the reader's language", async () => {
  const { context, page } = await open(guide + "/");
  assert.equal(await page.locator("main nav a").count(), 4);
  await page.screenshot({ path: path.join(shots, "chooser-360.png"), fullPage: true });
  await page.locator("main nav a", { hasText: "Русский" }).click();
  await page.waitForURL("**/ru/");
  await page.goto(guide + "/");
  await page.waitForURL("**/ru/");
  assert.equal(await page.getAttribute("html", "lang"), "ru");
  await context.close();
});

test("a fallback page shows the other language's text with a notice", async () => {
  const { context, page } = await open(fixture + "/ru/communities/wangjing/");
  assert.equal(await page.getAttribute("html", "lang"), "ru");
  const notice = page.locator(".notice-fallback");
  assert.ok(await notice.isVisible());
  assert.match(await notice.innerText(), /English/);
  assert.equal(await page.getAttribute(".prose", "lang"), "en");
  assert.equal(await page.getAttribute("meta[name=robots]", "content"), "noindex");
  await page.screenshot({ path: path.join(shots, "ru-fallback-360.png"), fullPage: true });
  await context.close();
});

test("unknown paths get the 404 page", async () => {
  const { context, page, response } = await open(guide + "/en/no-such-page/");
  assert.equal(response.status(), 404);
  assert.ok(await page.locator("section[lang=ru] h1").isVisible());
  await context.close();
});
