// Headless Chromium over `signpost serve`: the guide's pages render in every
// language, the switcher moves between the same page, fallback pages say so,
// and the chosen language is remembered. Screenshots go to target/screenshots/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { LANGUAGES, launch, open as openIn, repo, serve, shots, stopServers } from "./support.js";

let browser;
let guide;
let fixture;
const open = (url, width) => openIn(browser, url, width);

before(async () => {
  guide = await serve(repo);
  fixture = await serve(path.join(repo, "tests/fixtures/i18n/four-languages"));
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  stopServers();
});

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

test("at 1280 × 800 the masthead is the name and languages over one row of sections, in all four languages", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  for (const [prefix, code] of LANGUAGES) {
    for (const pathname of [`/${prefix}/`, `/${prefix}/communities/wangjing/`, `/${prefix}/search/`]) {
      await page.goto(guide + pathname);
      const at = await page.evaluate(() => {
        const box = (element) => element.getBoundingClientRect();
        const rows = (selector) =>
          [...document.querySelectorAll(selector)].map((link) => {
            const text = document.createRange();
            text.selectNodeContents(link);
            const lines = new Set([...text.getClientRects()].map((r) => Math.round(r.top)));
            return { text: link.textContent.trim(), top: Math.round(box(link).top), bottom: Math.round(box(link).bottom), lines: lines.size, visible: box(link).width > 0 };
          });
        return {
          head: Math.round(box(document.querySelector(".masthead")).height),
          brand: Math.round(box(document.querySelector(".brand")).top),
          buttons: [...document.querySelectorAll(".menu > summary")].filter((s) => box(s).width > 0).length,
          languages: rows(".languages a, .all-languages a"),
          sections: rows(".sections a"),
        };
      });
      const where = `${code} ${pathname}`;
      assert.equal(at.buttons, 0, `${where}: no menu buttons on a wide screen`);
      assert.ok(at.languages.length === 5 && at.languages.every((l) => l.visible && l.top === at.brand && l.lines === 1),
        `${where}: the languages stand on one line beside the name: ${JSON.stringify(at.languages)}`);
      assert.ok(at.sections.length >= 3 && at.sections.every((s) => s.visible), `${where}: the sections are shown`);
      const top = at.sections[0].top;
      assert.ok(at.sections.every((s) => s.top === top && s.lines === 1),
        `${where}: every section name on one line, all in one row: ${JSON.stringify(at.sections)}`);
      assert.ok(top >= Math.max(...at.languages.map((l) => l.bottom)), `${where}: the sections under the languages`);
      assert.ok(at.head <= 2 * 44 + 24, `${where}: the masthead is ${at.head} px tall (two rows of 44 px targets)`);
    }
  }
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
  assert.match(await notice.innerText(), /английский/); // English, named in the reader's language
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

test("a policy page prints as a document: no navigation, black on white, links spelled out", async () => {
  const { context, page } = await open(guide + "/en/policies/service-system/", 1280);
  assert.ok(await page.locator(".masthead").isVisible());
  await page.emulateMedia({ media: "print" });
  assert.ok(!(await page.locator(".masthead").isVisible()), "the masthead is not printed");
  assert.ok(!(await page.locator(".footer").isVisible()), "the footer is not printed");
  assert.ok(await page.locator("h1").isVisible());
  // External links show their address on paper (the guide's sources have none, so add one).
  const spelled = await page.evaluate(() => {
    const link = document.createElement("a");
    link.href = "https://example.org/report";
    link.textContent = "report";
    document.querySelector(".sources ul, .prose").appendChild(link);
    return getComputedStyle(link, "::after").content;
  });
  assert.match(spelled, /https:\/\/example\.org\/report/);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(255, 255, 255)");
  await page.pdf({ path: path.join(shots, "en-policy-print.pdf") });
  await context.close();
});
