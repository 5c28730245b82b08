// The reader's way on a phone (390 × 844, headless Chromium), in all four
// languages: the answer on the first screen, a masthead that stays reachable,
// a language chooser that never traps, Chinese marked as Chinese, notices
// before the text they qualify, colours that mean something, targets a finger
// can hit, and dates that say as of when the facts hold.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LANGUAGES, launch, repo, serve, stopServers } from "./support.js";
import { FALLBACK_PAGES, themedFixture, SEARCH_QUERIES } from "./pages.js";

const PHONE = { width: 390, height: 844 };
let browser;
let guide;
let fallback;
let notices;
const removals = [];

/** A temporary copy of a fixture site whose themes/ is the theme being edited. */
function themed(fixturePath) {
  const root = mkdtempSync(path.join(os.tmpdir(), "signpost-phone-"));
  cpSync(fixturePath, root, { recursive: true });
  symlinkSync(path.join(repo, "themes"), path.join(root, "themes"));
  removals.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

before(async () => {
  const copy = themedFixture();
  removals.push(copy.remove);
  [guide, fallback, notices] = await Promise.all([
    serve(repo),
    serve(copy.root),
    serve(themed(path.join(repo, "tests/fixtures/theme/notices"))),
  ]);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  stopServers();
  for (const remove of removals) remove();
});

/** Opens `url` on a phone-sized page; `storage` seeds localStorage first. */
async function phone(url, storage = {}) {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, hasTouch: true });
  await context.addInitScript((entries) => {
    for (const [key, value] of Object.entries(entries)) {
      try { window.localStorage.setItem(key, value); } catch { /* opaque origin */ }
    }
  }, storage);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  const response = await page.goto(url);
  return { context, page, errors, response };
}

/** The page's first paragraph: its summary, else the first paragraph of its text, else its first entry. */
const FIRST = "main .lead, main .prose > p, main .cards > li";

/** Every page kind of one language, with the element that holds its first paragraph. */
function kinds(prefix) {
  return [
    { kind: "home", url: `${guide}/${prefix}/`, first: FIRST },
    { kind: "section", url: `${guide}/${prefix}/policies/`, first: FIRST },
    { kind: "communities", url: `${guide}/${prefix}/communities/`, first: FIRST },
    { kind: "community", url: `${guide}/${prefix}/communities/wangjing/`, first: FIRST },
    { kind: "policy", url: `${guide}/${prefix}/policies/joint-permits/`, first: FIRST },
    { kind: "facility", url: `${guide}/${prefix}/facilities/wangjing-street/`, first: FIRST },
    { kind: "scenarios", url: `${guide}/${prefix}/scenarios/`, first: FIRST },
    { kind: "scenario", url: `${guide}/${prefix}/scenarios/health/`, first: FIRST },
    { kind: "search", url: `${guide}/${prefix}/search/`, first: "[data-search-input]" },
    { kind: "fallback", url: `${fallback}${FALLBACK_PAGES[prefix]}`, first: FIRST },
  ];
}

/** Where the h1, the first paragraph and the masthead sit, in CSS pixels from the top. */
function layout(page, first) {
  return page.evaluate((selector) => {
    const box = (el) => el && el.getBoundingClientRect();
    const h1 = box(document.querySelector("main h1"));
    const para = box(document.querySelector(selector));
    const head = box(document.querySelector(".masthead"));
    const row = [".brand", ".language-menu > summary", ".site-menu > summary"].map((s) => box(document.querySelector(s)));
    return { h1: h1 && h1.bottom, para: para && para.bottom, head: head.height, row: row.map((r) => r && [r.top, r.bottom]) };
  }, first);
}

for (const [prefix, code] of LANGUAGES) {
  test(`${code}: title and first paragraph on the first screen of every page kind, under a one-row masthead`, async () => {
    for (const { kind, url, first } of kinds(prefix)) {
      const { context, page, errors } = await phone(url);
      const at = await layout(page, first);
      assert.ok(at.h1 !== null && at.h1 <= PHONE.height, `${code} ${kind}: h1 ends at ${at.h1}`);
      assert.ok(at.para !== null && at.para <= PHONE.height, `${code} ${kind}: first paragraph ends at ${at.para}`);
      assert.ok(at.head <= 64, `${code} ${kind}: masthead ${at.head} px tall`);
      const [brand, languages, menu] = at.row;
      for (const item of [languages, menu]) {
        assert.ok(item && item[0] >= brand[0] - 12 && item[1] <= brand[1] + 12, `${code} ${kind}: one row ${JSON.stringify(at.row)}`);
      }
      assert.deepEqual(errors, [], `${code} ${kind}: no script errors`);
      await context.close();
    }
  });

  test(`${code}: the menu stays reachable at the end of a long page, and marks the current section`, async () => {
    const { context, page } = await phone(`${guide}/${prefix}/communities/wangjing/`);
    assert.equal(await page.locator(".breadcrumbs a").count(), 2, "home and the communities section");
    assert.equal(await page.getAttribute(".breadcrumbs a >> nth=1", "href"), `/${prefix}/communities/`);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const button = page.locator(".site-menu > summary");
    const box = await button.boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= PHONE.height, `menu button on screen: ${JSON.stringify(box)}`);
    await button.click();
    const current = page.locator(`.sections a[href="/${prefix}/communities/"]`);
    assert.ok(await current.isVisible(), "the sections open under the button");
    assert.equal(await current.getAttribute("aria-current"), "true");
    await page.keyboard.press("Escape");
    assert.ok(!(await current.isVisible()), "Escape closes the menu");
    await context.close();
  });

  test(`${code}: the language chooser is reachable from every page kind, and language links keep the page`, async () => {
    for (const { kind, url } of kinds(prefix).filter((k) => !k.url.startsWith(fallback))) {
      // A reader who chose this language before: `/` alone would forward them.
      const { context, page } = await phone(url, { "signpost-language": code });
      const links = await page.$$eval("nav.languages a", (as) => as.map((a) => a.pathname));
      const own = new URL(page.url()).pathname;
      for (const [other] of LANGUAGES) {
        assert.ok(links.includes(own.replace(`/${prefix}/`, `/${other}/`)), `${code} ${kind}: ${other} link keeps the page (${links})`);
      }
      await page.locator(".language-menu > summary").click();
      await page.locator(".all-languages a").click();
      await page.waitForLoadState("load");
      await page.waitForTimeout(150); // a forward would happen now
      assert.equal(new URL(page.url()).pathname, "/", `${code} ${kind}: stays on the chooser`);
      assert.equal(await page.locator(".chooser-languages a").count(), 4);
      await context.close();
    }
    // Typed in or bookmarked, `/` still returns a known reader to their language.
    const { context, page } = await phone(`${guide}/`, { "signpost-language": code });
    await page.waitForURL(`**/${prefix}/`);
    await context.close();
  });

  test(`${code}: on the search page every language link carries the query`, async () => {
    const query = SEARCH_QUERIES[prefix];
    const { context, page } = await phone(`${guide}/${prefix}/search/?q=${encodeURIComponent(query)}`);
    for (const [other] of LANGUAGES) {
      const href = await page.getAttribute(`nav.languages a[hreflang="${LANGUAGES.find((l) => l[0] === other)[1]}"]`, "href");
      assert.equal(new URL(href, guide).pathname, `/${other}/search/`);
      assert.equal(new URL(href, guide).searchParams.get("q"), query, `${code} → ${other}: ${href}`);
    }
    await page.fill("[data-search-input]", "school");
    const href = await page.getAttribute(`nav.languages a[hreflang="en"]`, "href");
    assert.equal(new URL(href, guide).searchParams.get("q"), "school");
    await context.close();
  });

  test(`${code}: targets are at least 44 × 44 px`, async () => {
    for (const { kind, url } of kinds(prefix)) {
      const { context, page } = await phone(url);
      for (const menu of [".language-menu", ".site-menu"]) {
        await page.locator(`${menu} > summary`).click();
        const small = await page.evaluate((selector) => {
          const targets = document.querySelectorAll(
            `.masthead summary, ${selector} nav a, .breadcrumbs a, .footer a, .notice a, .card-link, .chip a, .tag, .toc a, .button, .search-row button, .search-row input, .search-examples a, .search-results a`,
          );
          return [...targets]
            .map((el) => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
            .filter(([, r]) => r.width > 0 && (r.width < 43.5 || r.height < 43.5))
            .map(([text, r]) => `${text} ${Math.round(r.width)}×${Math.round(r.height)}`);
        }, menu);
        assert.deepEqual(small, [], `${code} ${kind} (${menu} open): small targets`);
        await page.keyboard.press("Escape");
      }
      await context.close();
    }
  });

  // A one-line Chinese name is the shortest stop: the drawing gives every stop
  // a slot of at least 44 px all the same.
  test(`${code}: the whole stop and label of the map is one link of at least 44 px`, async () => {
    const { context, page } = await phone(`${guide}/${prefix}/`);
    const stops = await page.locator(".community-map a").count();
    assert.equal(stops, 8);
    for (let i = 0; i < stops; i++) {
      const link = page.locator(".community-map a").nth(i);
      await link.scrollIntoViewIfNeeded();
      const box = await link.boundingBox();
      assert.ok(box.height >= 43.5, `stop ${i}: ${box.height} px tall`);
      // Between the stop and the name, where nothing is painted, still answers.
      const hit = await page.evaluate(([x, y]) => {
        const el = document.elementFromPoint(x, y);
        return el && el.closest("a") && el.closest("a").getAttribute("href");
      }, [box.x + 24, box.y + box.height / 2]);
      assert.equal(hit, await link.getAttribute("href"), `stop ${i}: the gap beside the circle is part of the link`);
    }
    await context.close();
  });

  if (code === "en" || code === "ru") {
    test(`${code}: every Han run sits inside an element marked zh-Hans or zh-Hant`, async () => {
      for (const { kind, url } of kinds(prefix)) {
        const { context, page } = await phone(url);
        const unmarked = await page.evaluate(() => {
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const found = [];
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!/\p{Script=Han}/u.test(node.data) || node.parentElement.closest("script, style")) continue;
            const lang = node.parentElement.closest("[lang]").getAttribute("lang");
            if (!/^zh-Han[st]$/.test(lang)) found.push(`${lang}: ${node.data.trim().slice(0, 40)}`);
          }
          return found;
        });
        assert.deepEqual(unmarked, [], `${code} ${kind}`);
        const italic = await page.$$eval("cite, em", (els) =>
          els.filter((el) => /^zh/.test(el.closest("[lang]").lang) && getComputedStyle(el).fontStyle !== "normal").length);
        assert.equal(italic, 0, `${code} ${kind}: no slanted Chinese`);
        await context.close();
      }
    });
  }
}

test("notices come first: the fallback notice precedes the foreign text and links the languages that have the page", async () => {
  for (const [prefix, code] of LANGUAGES) {
    const { context, page } = await phone(`${fallback}${FALLBACK_PAGES[prefix]}`);
    const order = await page.evaluate(() => {
      const notice = document.querySelector(".notice-fallback");
      // The page's own text in another language (navigation such as the breadcrumbs aside).
      const foreign = [...document.querySelectorAll(`main [lang]:not([lang="${document.documentElement.lang}"])`)]
        .find((el) => !el.closest("nav"));
      return notice && foreign && Boolean(notice.compareDocumentPosition(foreign) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.equal(order, true, `${code}: notice before the first foreign element`);
    const offered = await page.$$eval(".notice-fallback a[hreflang]", (as) => as.map((a) => a.hreflang));
    assert.ok(offered.length >= 1 && !offered.includes(code), `${code}: offers ${offered}`);
    await page.locator(".notice-fallback a[hreflang]").first().click();
    await page.waitForLoadState("load");
    assert.equal(await page.getAttribute("html", "lang"), offered[0]);
    await context.close();
  }
});

test("a stale translation says so with the date its original changed; derived zh-Hant uses Taiwan quotes", async () => {
  let { context, page } = await phone(`${notices}/en/policies/permits/`);
  const stale = page.locator(".notice-stale");
  assert.ok(await stale.isVisible());
  assert.match(await stale.innerText(), /May 20, 2024/);
  assert.equal(await page.getAttribute(".notice-stale a", "href"), "/zh-hans/policies/permits/");
  const order = await page.evaluate(() =>
    Boolean(document.querySelector(".notice-stale").compareDocumentPosition(document.querySelector(".prose")) & Node.DOCUMENT_POSITION_FOLLOWING));
  assert.ok(order, "the notice comes before the text");
  const marks = await page.$$eval(".prose [lang]", (els) => els.map((el) => [el.lang, el.textContent]));
  assert.deepEqual(marks, [["zh-Hans", "两证"], ["zh-Hant", "兩證"]]);
  const cites = await page.$$eval(".sources cite", (els) => els.map((el) => el.lang));
  assert.deepEqual(cites, ["zh-Hans", "en"]);
  assert.match(await page.locator(".as-of").innerText(), /Facts as of 2023-11/); // the newest cited source
  await context.close();

  ({ context, page } = await phone(`${notices}/zh-hans/policies/permits/`));
  assert.equal(await page.locator(".notice-stale").count(), 0, "the original is not stale");
  await context.close();

  ({ context, page } = await phone(`${notices}/zh-hant/policies/permits/`));
  assert.ok(await page.locator(".notice-derived").isVisible());
  const text = await page.locator(".prose").innerText();
  assert.match(text, /「兩證」/);
  assert.doesNotMatch(text, /[“”]/);
  await context.close();
});

test("colours mean something: shared items are neutral, and a mixed list has a legend", async () => {
  const { context, page } = await phone(`${guide}/en/communities/huairou/`);
  const own = await page.getAttribute("article.community", "class");
  const colour = own.match(/community-\d+/)[0];
  const cards = await page.$$eval(".card", (els) => els.map((el) => el.className));
  assert.ok(cards.some((c) => c.includes("shared")), `some shared cards: ${cards}`);
  assert.ok(cards.every((c) => c.includes("shared") || c.includes(colour)), `only Huairou's colour or neutral: ${cards}`);
  const neutral = await page.evaluate(() => getComputedStyle(document.querySelector(".card.shared")).borderTopColor);
  const wangjing = await page.evaluate(() => {
    const probe = document.createElement("div");
    probe.className = "card community-1";
    document.body.append(probe);
    return getComputedStyle(probe).borderTopColor;
  });
  assert.notEqual(neutral, wangjing, "shared is not the first community's colour");
  // A community page lists its own facilities apart from the city-wide ones, so
  // neither list is mixed; the facilities section mixes them, and has a legend.
  await page.goto(`${guide}/en/facilities/`);
  const mixed = await page.$$eval(".card", (els) => els.map((el) => el.className));
  assert.ok(mixed.some((c) => c.includes("shared")) && mixed.some((c) => /community-\d+/.test(c)), `a mixed list: ${mixed}`);
  assert.ok(await page.locator(".legend .swatch-shared").first().isVisible(), "the legend names the neutral colour");
  // The logo is the site's signpost, not the platform pictogram (a hub with four nodes).
  assert.doesNotMatch(await page.innerHTML(".brand-mark"), /M24 24L10 10/);
  await context.close();
});

test("facts as of: pages with sources show the newest source date near the title", async () => {
  for (const [prefix, code] of LANGUAGES) {
    for (const url of [`/${prefix}/communities/wangjing/`, `/${prefix}/policies/joint-permits/`]) {
      const { context, page } = await phone(guide + url);
      const asOf = page.locator(".page-header .as-of");
      assert.ok(await asOf.isVisible(), `${code} ${url}`);
      const box = await asOf.boundingBox();
      assert.ok(box.y + box.height <= PHONE.height, `${code} ${url}: on the first screen`);
      const date = await asOf.getAttribute("data-as-of");
      const newest = await page.$$eval(".source-date", (els) => els.length);
      assert.ok(/^\d{4}(-\d{2}){0,2}$/.test(date) && newest > 0, `${code} ${url}: ${date}`);
      await context.close();
    }
  }
});

test("the scenarios index explains each scenario with its count; the empty search page helps", async () => {
  for (const [prefix, code] of LANGUAGES) {
    let { context, page } = await phone(`${guide}/${prefix}/scenarios/`);
    const cards = await page.$$eval(".scenario-cards .card", (els) =>
      els.map((el) => [el.querySelector(".card-summary")?.textContent.trim(), el.querySelector(".scenario-count")?.textContent]));
    assert.equal(cards.length, 9, code);
    for (const [about, count] of cards) {
      assert.ok(about && about.length > 5 && /\d/.test(count), `${code}: ${about} / ${count}`);
    }
    await context.close();

    ({ context, page } = await phone(`${guide}/${prefix}/search/`));
    assert.equal(await page.evaluate(() => document.activeElement.matches("[data-search-input]")), true, `${code}: input focused`);
    const example = page.locator(".search-examples a").first();
    assert.ok(await example.isVisible(), `${code}: example queries shown`);
    await example.click();
    await page.waitForFunction(() => document.querySelector("[data-search-results] a[href]"), null, { timeout: 10_000 });
    assert.ok(!(await page.locator(".search-examples").isVisible()), `${code}: examples give way to results`);
    await context.close();
  }
});
