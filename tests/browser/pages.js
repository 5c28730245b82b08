// The page kinds the accessibility tests and the screenshot script visit, in
// every language: one real page of each template the guide uses.
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repo } from "./support.js";

/** The site to serve and build: the repository, or SIGNPOST_SITE (e.g. a `git archive` of another commit). */
export const site = process.env.SIGNPOST_SITE ? path.resolve(process.env.SIGNPOST_SITE) : repo;

/**
 * The guide has every page in every language, so it has no fallback page; this
 * fixture has one in each language (the guide test's fallback checks use it too).
 */
export const fixture = path.join(site, "tests/fixtures/i18n/four-languages");

/**
 * The fixture whose pages carry the other notices: a stale translation in
 * zh-Hant, en and ru (a community page), a page derived into zh-Hant, and one
 * that falls back to a stale translation.
 */
export const noticesFixture = path.join(site, "tests/fixtures/theme/notices");

/**
 * A temporary copy of a fixture (`fixture` unless told) whose `themes/` links to
 * the site's, so its pages are rendered by the theme being edited, not the one
 * compiled into the binary. Returns { root, remove }.
 */
export function themedFixture(source = fixture) {
  const root = mkdtempSync(path.join(os.tmpdir(), "signpost-fixture-"));
  cpSync(source, root, { recursive: true });
  symlinkSync(path.join(site, "themes"), path.join(root, "themes"));
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** A word with hits in each language's search index. */
export const SEARCH_QUERIES = { "zh-hans": "望京", "zh-hant": "醫院", en: "hospitals", ru: "больницы" };

/** A fixture page that falls back to another language, per language. */
export const FALLBACK_PAGES = {
  "zh-hans": "/zh-hans/news/opening/", // shown in en
  "zh-hant": "/zh-hant/news/opening/", // shown in en
  en: "/en/communities/", // shown in zh-Hans
  ru: "/ru/communities/wangjing/", // shown in en
};

/** Waits until the search page has listed the hits for its ?q=. */
export async function searchReady(page) {
  await page.waitForFunction(() => {
    const input = document.querySelector("[data-search-input]");
    const list = document.querySelector("[data-search-results]");
    return input && list && input.value && list.dataset.query === input.value && list.querySelector("a[href]");
  }, null, { timeout: 10_000 });
}

/**
 * The page kinds of one language: `{ kind, path, site: "guide" | "fixture" | "notices", status, ready? }`.
 * `extra: true` marks kinds only the accessibility test visits (no screenshot).
 */
export function pagesFor(prefix) {
  return [
    { kind: "home", path: `/${prefix}/` },
    { kind: "section", path: `/${prefix}/policies/` },
    { kind: "community", path: `/${prefix}/communities/wangjing/` },
    { kind: "policy", path: `/${prefix}/policies/service-system/` },
    { kind: "facility", path: `/${prefix}/facilities/wangjing-street/` },
    { kind: "scenario", path: `/${prefix}/scenarios/health/` },
    { kind: "search", path: `/${prefix}/search/?q=${encodeURIComponent(SEARCH_QUERIES[prefix])}`, ready: searchReady },
    { kind: "feed", path: `/${prefix}/feed/` },
    { kind: "fallback", path: FALLBACK_PAGES[prefix], site: "fixture" },
    { kind: "404", path: `/${prefix}/does-not-exist/`, status: 404 },
    { kind: "communities", path: `/${prefix}/communities/`, extra: true },
    { kind: "scenarios", path: `/${prefix}/scenarios/`, extra: true },
    { kind: "search-empty", path: `/${prefix}/search/`, extra: true },
    { kind: "stale", path: `/${prefix}/communities/wangjing/`, site: "notices", extra: true },
    { kind: "notices", path: `/${prefix}/policies/permits/`, site: "notices", extra: true },

  ].map((entry) => ({ site: "guide", status: 200, ...entry }));
}

/** Pages outside the languages: the chooser, and the editors' translation status page. */
export const ROOT_PAGES = [
  { kind: "chooser", path: "/", site: "guide", status: 200 },
  { kind: "translation-status", path: "/translation-status/", site: "guide", status: 200, extra: true },
];

/** The viewports every page is checked at: the narrowest common phone, and a desktop. */
export const VIEWPORTS = [
  { width: 360, height: 780 },
  { width: 1280, height: 800 },
];

/** The viewports every page is photographed at: the phone of the phone tests, and a desktop. */
export const SCREENSHOT_VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];

/**
 * Draws the blocks the theme leaves for later (`content-visibility: auto` below
 * the first screen) as a reader scrolling through would see them, so checks
 * that look at rendering (axe's contrast) see every block, not a placeholder.
 */
export async function drawEverything(page) {
  await page.addStyleTag({ content: "*, *::before, *::after { content-visibility: visible !important; }" });
}

/** Lets CSS transitions and finite animations finish, and web fonts load, before looking. */
export async function settle(page) {
  await page.evaluate(async () => {
    await document.fonts.ready;
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => {})));
  });
}
