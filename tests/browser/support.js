// Shared helpers for the browser tests: start `signpost serve`, launch Chromium.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, "../..");
export const binary = process.env.SIGNPOST_BIN || path.join(repo, "target/debug/signpost");
export const shots = path.join(repo, "target/screenshots");
export const LANGUAGES = [
  ["zh-hans", "zh-Hans", "简体中文"],
  ["zh-hant", "zh-Hant", "繁體中文"],
  ["en", "en", "English"],
  ["ru", "ru", "Русский"],
];
const servers = [];

/** A TCP port nobody listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts `signpost serve` on a free port for the site in `root`; returns its
 * base URL. `onLog` is given the server's log as it comes. */
export async function serve(root, onLog = () => {}) {
  if (!existsSync(binary)) throw new Error(`no signpost binary at ${binary}: run cargo build, or set SIGNPOST_BIN`);
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  const child = spawn(binary, ["serve", "--root", root, "--port", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let log = "";
  child.stderr.on("data", (chunk) => {
    log += chunk;
    onLog(String(chunk));
  });
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

/** Launches Debian's Chromium headless, with the flags this machine needs. */
export function launch() {
  return chromium.launch({
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
}

/** Stops every server this test file started. */
export function stopServers() {
  for (const child of servers) {
    try {
      process.kill(-child.pid);
    } catch {
      child.kill();
    }
  }
}

/** Opens `url` in a new context; collects script errors. */
export async function open(browser, url, width = 360) {
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
