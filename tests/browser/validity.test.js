// The Nu HTML Checker (vnu-jar) on the built guide, and on the fallback and
// notices fixtures: every HTML file is valid HTML5. The build is minified (optional
// quotes and end tags dropped), which is still valid. One JVM start for all.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { binary } from "./support.js";
import { noticesFixture, site, themedFixture } from "./pages.js";

const require = createRequire(import.meta.url);
const VNU = String(require("vnu-jar")); // the package exports the jar's path
const CANARY = "vnu-canary.html";

let tmp;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "signpost-vnu-"));
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function build(root, output) {
  const run = spawnSync(binary, ["build", "--root", root, "--output", output], { encoding: "utf8", env: { ...process.env, CI: "true" } });
  assert.equal(run.status, 0, `signpost build --root ${root} failed:\n${run.stderr}`);
}

function htmlFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter((name) => /\.html?$/.test(name)).map((name) => path.join(dir, name));
}

/** Runs vnu once on `dirs`; returns { checked: files it read, messages }. */
function vnu(dirs) {
  return new Promise((resolve, reject) => {
    const child = spawn("java", ["-jar", VNU, "--skip-non-html", "--errors-only", "--format", "json", "--verbose", ...dirs]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", () => {
      // --verbose lists each file checked on stdout; the JSON report goes to stderr.
      const checked = stdout.split("\n").map((line) => line.trim()).filter((line) => /\.html?$/.test(line));
      const start = stderr.indexOf('{"');
      if (start < 0) return reject(new Error(`no JSON from vnu:\n${stdout}\n${stderr}`));
      resolve({ checked, messages: JSON.parse(stderr.slice(start)).messages });
    });
  });
}

test("every built HTML file is valid HTML (Nu HTML Checker)", { timeout: 300_000 }, async () => {
  const guide = path.join(tmp, "guide");
  const fallback = path.join(tmp, "fallback-fixture");
  const notices = path.join(tmp, "notices-fixture");
  build(site, guide);
  for (const [source, output] of [[undefined, fallback], [noticesFixture, notices]]) {
    const fixture = themedFixture(source);
    try {
      build(fixture.root, output);
    } finally {
      fixture.remove();
    }
  }
  // A known-bad file proves vnu really reports errors from this folder.
  writeFileSync(path.join(guide, CANARY), "<!doctype html><html lang=en><title>x</title><p><div></div></p>");
  const expected = [...htmlFiles(guide), ...htmlFiles(fallback), ...htmlFiles(notices)];
  assert.ok(expected.length > 150, `only ${expected.length} HTML files built`);

  const { checked, messages } = await vnu([guide, fallback, notices]);
  const fileOf = (message) => (message.url?.startsWith("file:") ? fileURLToPath(message.url) : message.url || "(no file)");
  const checkedFiles = new Set(checked.map((line) => (line.startsWith("file:") ? fileURLToPath(line) : path.resolve(line))));
  assert.equal(checkedFiles.size, expected.length, `vnu checked ${checkedFiles.size} of ${expected.length} HTML files`);
  assert.ok(messages.some((m) => fileOf(m).endsWith(CANARY) && m.type === "error"), "vnu found no error in the canary file");

  const errors = messages.filter((m) => !fileOf(m).endsWith(CANARY) && (m.type === "error" || m.subType === "fatal"));
  if (errors.length) {
    // Group by message: the same template mistake shows on many pages.
    const groups = new Map();
    for (const m of errors) {
      const key = m.message;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(m);
    }
    const lines = [...groups].map(([message, list]) => {
      const files = [...new Set(list.map((m) => path.relative(tmp, fileOf(m))))];
      const first = list[0];
      const where = `${path.relative(tmp, fileOf(first))}:${first.lastLine ?? "?"}:${first.firstColumn ?? first.lastColumn ?? "?"}`;
      const extract = first.extract ? `\n      ${JSON.stringify(first.extract.replace(/\s+/g, " "))}` : "";
      return `  ${message}\n    ${list.length}× in ${files.length} file(s), first ${where}${extract}\n    files: ${files.slice(0, 6).join(", ")}${files.length > 6 ? ", …" : ""}`;
    });
    assert.fail(`${errors.length} HTML error(s) in ${new Set(errors.map(fileOf)).size} of ${expected.length} files:\n${lines.join("\n")}`);
  }
});
