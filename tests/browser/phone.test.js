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
import { FALLBACK_PAGES, drawEverything, themedFixture, SEARCH_QUERIES, searchReady } from "./pages.js";

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

/**
 * More pages of the fallback fixture that fall back, per language (the first is
 * FALLBACK_PAGES'): a home, sections, a community, a policy and a plain page.
 */
const FALLBACKS = {
  "zh-hans": ["/zh-hans/news/opening/"],
  "zh-hant": ["/zh-hant/news/opening/"],
  en: ["/en/communities/"],
  ru: ["/ru/communities/wangjing/", "/ru/", "/ru/communities/", "/ru/policies/service-system/", "/ru/news/opening/"],
};

/**
 * Every page kind of one language, with the element that holds its first
 * paragraph: the guide's pages, the search page empty and with results, the
 * feed's page, the 404 page (`masthead: false`: it stands alone), and from the
 * fixtures the pages that carry a notice — fallback, stale (a community page
 * whose zh-Hant, en and ru translations are older than the original; the
 * original in zh-Hans) and the notices policy page (stale in en, falling back
 * to that stale English in ru, derived in zh-Hant, the original in zh-Hans).
 * `ready` waits for what the page draws after loading.
 */
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
    {
      kind: "search results",
      url: `${guide}/${prefix}/search/?q=${encodeURIComponent(SEARCH_QUERIES[prefix])}`,
      first: "[data-search-input]",
      ready: searchReady,
    },
    { kind: "feed", url: `${guide}/${prefix}/feed/`, first: FIRST },
    { kind: "404", url: `${guide}/${prefix}/does-not-exist/`, first: ".notfound p", masthead: false },
    ...FALLBACKS[prefix].map((path) => ({ kind: `fallback ${path}`, url: `${fallback}${path}`, first: FIRST })),
    { kind: "stale", url: `${notices}/${prefix}/communities/wangjing/`, first: FIRST },
    { kind: "notices", url: `${notices}/${prefix}/policies/permits/`, first: FIRST },
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
    return { h1: h1 && h1.bottom, para: para && para.bottom, head: head ? head.height : null, row: row.map((r) => r && [r.top, r.bottom]) };
  }, first);
}

/**
 * Runs in the page: every visible target smaller than 44 × 44 px, as "text w×h".
 * A link that sits inside a line of other text is exempt, as WCAG 2.5.8 allows.
 */
function smallTargets() {
  const targets = document.querySelectorAll("a[href], button, summary, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])");
  const inline = (el) => {
    if (!["inline", "contents"].includes(getComputedStyle(el).display) || el.namespaceURI !== "http://www.w3.org/1999/xhtml") return false;
    let block = el.parentElement;
    while (block && ["inline", "contents"].includes(getComputedStyle(block).display)) block = block.parentElement;
    return block.textContent.replace(el.textContent, "").trim().length > 0;
  };
  return [...targets]
    .filter((el) => el.checkVisibility() && !el.closest(".visually-hidden, .skip-link") && !inline(el))
    .map((el) => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0 && (r.width < 43.5 || r.height < 43.5))
    .map(([text, r]) => `${text} ${Math.round(r.width)}×${Math.round(r.height)}`);
}

for (const [prefix, code] of LANGUAGES) {
  test(`${code}: title and first paragraph on the first screen of every page kind, under a one-row masthead`, async () => {
    for (const { kind, url, first, masthead = true } of kinds(prefix)) {
      const { context, page, errors } = await phone(url);
      const at = await layout(page, first);
      assert.ok(at.h1 !== null && at.h1 <= PHONE.height, `${code} ${kind}: h1 ends at ${at.h1}`);
      assert.ok(at.para !== null && at.para <= PHONE.height, `${code} ${kind}: first paragraph ends at ${at.para}`);
      if (!masthead) {
        assert.equal(at.head, null, `${code} ${kind}: a page without masthead`);
        await context.close();
        continue;
      }
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
    for (const { kind, url, masthead = true } of kinds(prefix)) {
      // A reader who chose this language before: `/` alone would forward them.
      const { context, page } = await phone(url, { "signpost-language": code });
      if (!masthead) {
        // The 404 page is itself a choice of languages: each one's home, where the menu offers the chooser.
        const homes = await page.$$eval("main a", (as) => as.map((a) => [a.closest("[lang]").lang, a.pathname]));
        assert.deepEqual(homes, LANGUAGES.map(([p, c]) => [c, `/${p}/`]), `${code} ${kind}`);
        await context.close();
        continue;
      }
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

  // Every link, button, input and summary on the page, whichever its class;
  // only a link inside a line of text is exempt (WCAG 2.5.8's inline exception).
  test(`${code}: targets are at least 44 × 44 px`, async () => {
    for (const { kind, url, ready, masthead = true } of kinds(prefix)) {
      const { context, page } = await phone(url);
      if (ready) await ready(page);
      await drawEverything(page); // as the reader scrolling down finds it
      for (const menu of masthead ? [".language-menu", ".site-menu"] : [null]) {
        if (menu) await page.locator(`${menu} > summary`).click();
        const small = await page.evaluate(smallTargets);
        assert.deepEqual(small, [], `${code} ${kind} (${menu} open): small targets`);
        if (menu) await page.keyboard.press("Escape");
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
      for (const { kind, url, ready } of kinds(prefix)) {
        const { context, page } = await phone(url);
        if (ready) await ready(page);
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
  const pages = LANGUAGES.flatMap(([prefix, code]) => FALLBACKS[prefix].map((path) => [`${fallback}${path}`, code]));
  pages.push([`${notices}/ru/policies/permits/`, "ru"]); // falls back to a stale English translation
  for (const [url, code] of pages) {
    const { context, page } = await phone(url);
    const order = await page.evaluate(() => {
      const notice = document.querySelector(".notice-fallback");
      // The page's own text in another language (navigation such as the breadcrumbs aside).
      const foreign = [...document.querySelectorAll(`main [lang]:not([lang="${document.documentElement.lang}"])`)]
        .find((el) => !el.closest("nav"));
      return notice && foreign && Boolean(notice.compareDocumentPosition(foreign) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.equal(order, true, `${url}: notice before the first foreign element`);
    const offered = await page.$$eval(".notice-fallback a[hreflang]", (as) => as.map((a) => a.hreflang));
    assert.ok(offered.length >= 1 && !offered.includes(code), `${url}: offers ${offered}`);
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

test("a stale translation says so in every translated language, on the first screen and before the text", async () => {
  const dates = { "zh-hant": /2024年5月20日/, en: /May 20, 2024/, ru: /20 мая 2024/ };
  for (const [prefix, code] of LANGUAGES) {
    const { context, page } = await phone(`${notices}/${prefix}/communities/wangjing/`);
    const stale = page.locator(".notice-stale");
    if (prefix === "zh-hans") {
      assert.equal(await stale.count(), 0, "the original is not stale");
      await context.close();
      continue;
    }
    assert.ok(await stale.isVisible(), code);
    assert.match(await stale.innerText(), dates[prefix], code);
    const box = await stale.boundingBox();
    assert.ok(box.y + box.height <= PHONE.height, `${code}: the notice is on the first screen (${box.y + box.height})`);
    assert.equal(await page.getAttribute(".notice-stale a", "href"), "/zh-hans/communities/wangjing/", code);
    const before = await page.evaluate(() => {
      const notice = document.querySelector(".notice-stale");
      return [".lead", ".prose"].every((s) => notice.compareDocumentPosition(document.querySelector(s)) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    assert.ok(before, `${code}: the notice comes before the summary and the text`);
    await context.close();
  }
  // A page that falls back to a stale translation says both: shown in English, which may be out of date.
  const { context, page } = await phone(`${notices}/ru/policies/permits/`);
  assert.ok(await page.locator(".notice-stale").isVisible(), "ru falling back to stale English");
  assert.match(await page.locator(".notice-stale").innerText(), dates.ru);
  const order = await page.$$eval(".notice", (els) => els.map((el) => el.className));
  assert.deepEqual(order, ["notice notice-fallback", "notice notice-stale"]);
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
