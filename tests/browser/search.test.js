// The search page in headless Chromium: readers type and the pages they mean come first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { launch, open as openIn, repo, serve, shots, stopServers } from "./support.js";

let browser;
let guide;
const open = (url, width) => openIn(browser, url, width);

before(async () => {
  guide = await serve(repo);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  stopServers();
});

/** Types `query` into the search page of `prefix` and returns the result hrefs in rank order. */
async function typeQuery(page, query) {
  const input = page.locator("[data-search-input]");
  await input.fill("");
  await input.pressSequentially(query, { delay: 15 });
  await page.waitForFunction((q) => document.querySelector("[data-search-results]").dataset.query === q, query);
  return page.locator("[data-search-results] li a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
}

// A reader who types "hospitals" is served by the international medical
// services page or by one of the hospitals' own pages: either may come first.
const hospitalAnswers = (prefix) => [
  `/${prefix}/policies/international-medical/`,
  `/${prefix}/facilities/peking-union-medical-college-hospital/`,
  `/${prefix}/facilities/china-japan-friendship-hospital/`,
  `/${prefix}/facilities/beijing-friendship-hospital/`,
  `/${prefix}/facilities/beijing-anzhen-hospital/`,
];

const CASES = [
  // [language prefix, what the reader types, the page that must come first (or a list of pages, any of which may)]
  ["zh-hans", "望京", "/zh-hans/communities/wangjing/"],
  ["zh-hans", "国际学校", "/zh-hans/policies/international-education/"],
  ["zh-hans", "國際學校", "/zh-hans/policies/international-education/"],
  ["zh-hant", "医院", hospitalAnswers("zh-hant")],
  ["zh-hant", "顺义", "/zh-hant/communities/shunyi/"],
  ["zh-hans", "wangjing", "/zh-hans/communities/wangjing/"],
  ["zh-hans", "wang jing", "/zh-hans/communities/wangjing/"],
  ["zh-hans", "zhongg", "/zh-hans/communities/zhongguancun/"],
  ["zh-hans", "shunyi", "/zh-hans/communities/shunyi/"],
  ["en", "hospitals", hospitalAnswers("en")],
  ["en", "Shunyi", "/en/communities/shunyi/"],
  ["en", "zhongg", "/en/communities/zhongguancun/"],
  ["en", "schools", "/en/policies/international-education/"],
  ["ru", "больницы", hospitalAnswers("ru")],
  ["ru", "школ", "/ru/policies/international-education/"],
  ["ru", "ШУНЬИ", "/ru/communities/shunyi/"],
  // A question, a misspelling, toned pinyin and a community's Chinese name, in every language.
  ["en", "where can I find an international school", "/en/policies/international-education/"],
  ["en", "Zhongguancum", "/en/communities/zhongguancun/"],
  ["en", "Shùnyì", "/en/communities/shunyi/"],
  ["en", "中关村", "/en/communities/zhongguancun/"],
  ["en", "technology transfer center", "/en/facilities/cityu-tech-transfer/"],
  ["ru", "где найти международную школу", "/ru/policies/international-education/"],
  ["ru", "Чжунгуаньцун", "/ru/communities/zhongguancun/"],
  ["ru", "Shùnyì", "/ru/communities/shunyi/"],
  ["ru", "中关村", "/ru/communities/zhongguancun/"],
  ["zh-hans", "哪里有国际学校", "/zh-hans/policies/international-education/"],
  ["zh-hans", "zhongguancum", "/zh-hans/communities/zhongguancun/"],
  ["zh-hans", "Shùnyì", "/zh-hans/communities/shunyi/"],
  ["zh-hant", "哪裡有國際學校", "/zh-hant/policies/international-education/"],
  ["zh-hant", "zhongguancum", "/zh-hant/communities/zhongguancun/"],
  ["zh-hant", "Shùnyì", "/zh-hant/communities/shunyi/"],
  ["zh-hant", "中關村", "/zh-hant/communities/zhongguancun/"],
];

for (const prefix of ["zh-hans", "zh-hant", "en", "ru"]) {
  test(`search finds what readers mean in ${prefix}`, async () => {
    const { context, page, errors } = await open(`${guide}/${prefix}/search/`);
    for (const [lang, query, expected] of CASES.filter(([p]) => p === prefix)) {
      const hrefs = await typeQuery(page, query);
      const accepted = [].concat(expected);
      assert.ok(accepted.includes(hrefs[0]), `${lang} "${query}" → ${JSON.stringify(hrefs.slice(0, 3))}, expected one of ${JSON.stringify(accepted)}`);
      assert.equal(new Set(hrefs).size, hrefs.length, `"${query}": no page twice`);
    }
    await page.screenshot({ path: path.join(shots, `search-${prefix}-360.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("matched words are marked in the excerpts", async () => {
  const { context, page } = await open(`${guide}/en/search/`);
  await typeQuery(page, "international schools");
  const marks = await page.locator("[data-search-results] li").first().locator("mark").allInnerTexts();
  assert.ok(marks.some((m) => /school/i.test(m)), JSON.stringify(marks));
  await context.close();
});

test("pages matching some of the words follow a note that says so", async () => {
  const { context, page } = await open(`${guide}/en/search/`);
  const hrefs = await typeQuery(page, "international schools zebra");
  assert.equal(hrefs[0], "/en/policies/international-education/", JSON.stringify(hrefs.slice(0, 3)));
  const note = page.locator("[data-search-results] [data-partial-note]");
  assert.equal(await note.count(), 1);
  assert.match(await note.innerText(), /some of your words/);
  const first = page.locator("[data-search-results] li").first();
  assert.equal(await first.getAttribute("data-partial-note"), "", "no page matches every word: the note comes first");
  await context.close();
});

test("a misspelt word brings the right page and a did-you-mean link", async () => {
  const { context, page } = await open(`${guide}/en/search/`);
  await typeQuery(page, "Zhongguancum");
  const suggestion = page.locator("[data-search-suggestion]");
  await suggestion.waitFor({ state: "visible" });
  assert.match(await suggestion.innerText(), /Did you mean zhongguancun\?/);
  await suggestion.locator("a").click();
  await page.waitForFunction(() => document.querySelector("[data-search-results]").dataset.query === "zhongguancun");
  assert.equal(await page.inputValue("[data-search-input]"), "zhongguancun");
  assert.ok(await suggestion.isHidden(), "a correct query needs no suggestion");
  const first = await page.locator("[data-search-results] li a").first().getAttribute("href");
  assert.equal(first, "/en/communities/zhongguancun/");
  await context.close();
});

test("the first ten hits come first, ten more when the reader scrolls to the end", async () => {
  const { context, page } = await open(`${guide}/en/search/`);
  const first = await typeQuery(page, "international");
  assert.equal(first.length, 10, JSON.stringify(first));
  await page.locator("[data-search-results] li").last().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll("[data-search-results] li a").length > 10);
  const all = await page.locator("[data-search-results] li a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.deepEqual(all.slice(0, 10), first, "the first ten stay where they were");
  assert.equal(new Set(all).size, all.length, "no page twice");
  assert.ok(all.length <= 20, `${all.length} hits`);
  await context.close();
});

test("excerpts mark whole words, not parts of longer ones", async () => {
  const { context, page } = await open(`${guide}/ru/search/`);
  await typeQuery(page, "школа на ");
  const marks = await page.locator("[data-search-results] mark").allInnerTexts();
  assert.ok(marks.length > 0);
  for (const mark of marks) assert.ok(!/^на./i.test(mark), `«${mark}» is a longer word than «на»`);
  await context.close();
});

test("the page reads ?q= on load and is usable from the keyboard", async () => {
  const { context, page } = await open(`${guide}/ru/search/?q=${encodeURIComponent("больницы")}`);
  await page.waitForSelector("[data-search-results] li a");
  assert.equal(await page.inputValue("[data-search-input]"), "больницы");
  const status = await page.locator("[role=status]").innerText();
  assert.match(status, /\d/);
  // Tab from the input past the button to the first result, Enter follows it.
  await page.focus("[data-search-input]");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement.getAttribute("href"));
  const first = await page.locator("[data-search-results] li a").first().getAttribute("href");
  assert.equal(focused, first, "two Tabs reach the first result");
  assert.ok(hospitalAnswers("ru").includes(focused), focused);
  await page.keyboard.press("Enter");
  await page.waitForURL("**" + focused);
  await context.close();
});

test("filters narrow results by community and kind", async () => {
  const { context, page } = await open(`${guide}/en/search/`);
  const hits = await page.evaluate(async () => {
    const { search } = await import("/search/signpost-search.js");
    return search("building", { lang: "en", limit: 10, filters: { community: "shunyi" } });
  });
  assert.ok(hits.length > 0);
  for (const hit of hits) assert.ok(hit.communities.includes("shunyi"), JSON.stringify(hit));
  const street = await page.evaluate(async () => {
    const { search } = await import("/search/signpost-search.js");
    return search("wangjing", { lang: "en", limit: 10, filters: { kind: "street" } });
  });
  assert.deepEqual(street.map((h) => h.url), ["/en/facilities/wangjing-street/"]);
  assert.equal(street[0].kind, "street");
  assert.equal(street[0].community, "wangjing");
  await context.close();
});

test("search works under Content-Security-Policy: script-src 'self'", async () => {
  const context = await browser.newContext();
  await context.route("**/*", async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers(), "content-security-policy": "script-src 'self'" };
    await route.fulfill({ response, headers });
  });
  const page = await context.newPage();
  const violations = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(`${guide}/zh-hans/search/?q=${encodeURIComponent("望京")}`);
  await page.waitForSelector("[data-search-results] li a");
  assert.deepEqual(violations, []);
  await context.unrouteAll({ behavior: "ignoreErrors" });
  await context.close();
});

test("one query downloads at most 50 KB gzipped", async () => {
  for (const [prefix, query] of [["zh-hans", "國際學校 望京"], ["en", "international hospitals"], ["ru", "больницы"]]) {
    const { context, page } = await open(`${guide}/${prefix}/search/`);
    await page.waitForLoadState("networkidle");
    const bodies = [];
    page.on("response", async (response) => {
      if (new URL(response.url()).pathname.startsWith("/search/")) bodies.push(response.body().catch(() => Buffer.alloc(0)));
    });
    await typeQuery(page, query);
    await page.waitForLoadState("networkidle");
    const files = await Promise.all(bodies);
    const raw = files.reduce((n, b) => n + b.length, 0);
    const gzipped = files.reduce((n, b) => n + gzipSync(b).length, 0);
    console.log(`search download for ${prefix} "${query}": ${files.length} files, ${raw} bytes, ${gzipped} bytes gzipped`);
    assert.ok(gzipped <= 50 * 1024, `${gzipped} bytes`);
    await context.close();
  }
});
