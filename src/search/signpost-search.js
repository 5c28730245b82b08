// signpost-search.js: static, sharded full-text search for signpost sites.
// Dependency-free ES module; no eval, no WebAssembly; works under
// Content-Security-Policy: script-src 'self'.
//
//   import { search } from "/search/signpost-search.js";
//   const hits = await search("望京 医院", { lang: "zh-Hans", limit: 10,
//                                           filters: { community: "wangjing", kind: "hospital" } });
//
// The query is normalized exactly as the index was (src/search/tokenize.rs):
// NFKC, lower case, ё → е, Traditional → Simplified; then split into Han runs
// and word runs. Words are not stemmed here: they are looked up in the index's
// own table of surface forms (hospitals → hospit), or matched to the longest
// indexed stem they start with; Han runs are segmented by longest match
// against the indexed words and bigrams. The last word, while typed, also
// matches by prefix. Only the shards the query's words start with are fetched.

const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
const WORD = /[\p{Alphabetic}\p{N}]/u;
const MAX_PREFIX_TERMS = 40;

/** Whether a character is Han (the same ranges as the index side). */
export function isHan(ch) {
  return HAN.test(ch);
}

/** Whether a character belongs to a word run (letters and digits of other scripts). */
export function isWordChar(ch) {
  return !HAN.test(ch) && WORD.test(ch);
}

/** Normalizes text as the index does; `t2s` maps Traditional to Simplified characters. */
export function normalize(text, t2s) {
  let out = "";
  for (const ch of text.normalize("NFKC")) {
    for (const lower of ch.toLowerCase()) {
      const c = lower === "ё" ? "е" : lower;
      out += (t2s && t2s.get(c)) || c;
    }
  }
  return out;
}

/** Splits normalized text into runs: [{ text, han }]. */
export function runs(normalized) {
  const out = [];
  let current = "";
  let currentHan = false;
  for (const ch of normalized) {
    const han = isHan(ch);
    const belongs = han || isWordChar(ch);
    if (belongs && (current === "" || han === currentHan)) {
      current += ch;
      currentHan = han;
      continue;
    }
    if (current) out.push({ text: current, han: currentHan });
    current = belongs ? ch : "";
    currentHan = han;
  }
  if (current) out.push({ text: current, han: currentHan });
  return out;
}

/** The shard key of a term: its first Han character, else its first two characters. */
export function shardKey(term) {
  const chars = Array.from(term);
  if (chars.length === 0) return "";
  return isHan(chars[0]) ? chars[0] : chars.slice(0, 2).join("");
}

function keyFile(key) {
  return Array.from(key, (c) => c.codePointAt(0).toString(16)).join("-");
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/**
 * Makes a `search` function that reads index files through `loadJson(path)`,
 * where `path` is relative to this module's folder (`/search/`).
 */
export function createSearch(loadJson) {
  const cache = new Map();
  const load = (path) => {
    if (!cache.has(path)) cache.set(path, loadJson(path).catch(() => null));
    return cache.get(path);
  };

  async function t2sMap(manifest) {
    const pairs = (await load(manifest.t2s)) || "";
    const chars = Array.from(pairs);
    const map = new Map();
    for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
    return map;
  }

  async function shard(index, key) {
    const file = keyFile(key);
    if (!index.shardSet.has(file)) return { t: {}, f: {} };
    return (await load(`${index.prefix}/${index.manifest.base}/t/${file}.json`)) || { t: {}, f: {} };
  }

  // Resolves one word to term alternatives: [{ term, weight, shard }].
  async function resolveWord(index, word, open) {
    const s = await shard(index, shardKey(word));
    const found = new Map();
    const add = (term, weight) => {
      if (found.size < MAX_PREFIX_TERMS || found.has(term)) found.set(term, Math.max(found.get(term) || 0, weight));
    };
    if (word in s.f) add(s.f[word], 1);
    if (word in s.t) add(word, 1);
    if (found.size === 0) {
      // An inflection the site never used: the longest indexed stem it starts with.
      const chars = Array.from(word);
      for (let n = chars.length - 1; n >= Math.max(3, chars.length - 4); n--) {
        const stem = chars.slice(0, n).join("");
        if (stem in s.t) {
          add(stem, 0.9);
          break;
        }
      }
    }
    if (open && Array.from(word).length >= 2) {
      for (const term of Object.keys(s.t)) if (term.startsWith(word)) add(term, 0.8);
      for (const [form, term] of Object.entries(s.f)) if (form.startsWith(word)) add(term, 0.8);
    }
    const out = [];
    for (const [term, weight] of found) {
      const home = shardKey(term) === shardKey(word) ? s : await shard(index, shardKey(term));
      if (term in home.t) out.push({ term, weight, shard: home });
    }
    return out;
  }

  // Segments a Han run by longest match against the index's words and bigrams.
  async function resolveHan(index, text, open) {
    const chars = Array.from(text);
    const shards = await Promise.all(chars.map((c) => shard(index, c)));
    const groups = [];
    let i = 0;
    while (i < chars.length) {
      let match = null;
      for (let n = chars.length - i; n >= 2; n--) {
        const candidate = chars.slice(i, i + n).join("");
        if (candidate in shards[i].t) {
          match = candidate;
          break;
        }
      }
      if (match) {
        groups.push([{ term: match, weight: 1, shard: shards[i] }]);
        i += Array.from(match).length;
      } else if (i === chars.length - 1 || chars.length === 1) {
        // A lone character: every indexed term that starts with it.
        const alternatives = Object.keys(shards[i].t)
          .filter((t) => t.startsWith(chars[i]))
          .slice(0, MAX_PREFIX_TERMS)
          .map((term) => ({ term, weight: open ? 0.8 : 0.6, shard: shards[i] }));
        groups.push(alternatives);
        i += 1;
      } else {
        groups.push([]); // a character pair the site never uses: nothing can match
        i += 1;
      }
    }
    return groups;
  }

  // Word runs, joining neighbours when the joined word is indexed (wang jing → wangjing).
  async function resolveWords(index, words, lastIsOpen) {
    const groups = [];
    let i = 0;
    while (i < words.length) {
      let done = false;
      for (let n = Math.min(4, words.length - i); n >= 2 && !done; n--) {
        const joined = words.slice(i, i + n).join("");
        const open = lastIsOpen && i + n === words.length;
        const alternatives = (await resolveWord(index, joined, open)).filter((a) => a.weight >= (open ? 0.8 : 1));
        if (alternatives.length) {
          groups.push(alternatives);
          i += n;
          done = true;
        }
      }
      if (!done) {
        groups.push(await resolveWord(index, words[i], lastIsOpen && i === words.length - 1));
        i += 1;
      }
    }
    return groups;
  }

  async function openIndex(lang) {
    const prefix = lang.toLowerCase();
    const manifest = await load(`${prefix}/manifest.json`);
    if (!manifest) throw new Error(`signpost-search: no index for language ${lang}`);
    return { prefix, manifest, shardSet: new Set(manifest.shards) };
  }

  async function documentMeta(index, id) {
    const chunk = await load(`${index.prefix}/${index.manifest.base}/m/${Math.floor(id / index.manifest.chunk)}.json`);
    return chunk && chunk[id % index.manifest.chunk];
  }

  function excerpt(text, needles, t2s) {
    // Normalize character by character, keeping where each came from.
    const original = Array.from(text);
    let normalized = "";
    const origin = [];
    original.forEach((ch, i) => {
      for (const c of normalize(ch, t2s)) {
        normalized += c;
        origin.push(i);
      }
    });
    const norm = Array.from(normalized);
    const marks = new Array(original.length).fill(false);
    let first = -1;
    for (const { text: needle, word } of needles) {
      const n = Array.from(needle);
      for (let i = 0; i + n.length <= norm.length; i++) {
        if (word && i > 0 && isWordChar(norm[i - 1])) continue;
        let ok = true;
        for (let k = 0; k < n.length; k++) if (norm[i + k] !== n[k]) { ok = false; break; }
        if (!ok) continue;
        let end = i + n.length;
        if (word) while (end < norm.length && isWordChar(norm[end])) end++;
        for (let k = i; k < end; k++) marks[origin[k]] = true;
        if (first < 0 || origin[i] < first) first = origin[i];
      }
    }
    const start = Math.max(0, (first < 0 ? 0 : first) - 60);
    const stop = Math.min(original.length, start + 180);
    let html = start > 0 ? "…" : "";
    let open = false;
    for (let i = start; i < stop; i++) {
      if (marks[i] && !open) { html += "<mark>"; open = true; }
      if (!marks[i] && open) { html += "</mark>"; open = false; }
      html += escapeHtml(original[i]);
    }
    if (open) html += "</mark>";
    if (stop < original.length) html += "…";
    return html;
  }

  // The query's groups of alternative terms: every group must match.
  async function queryGroups(index, query) {
    const t2s = HAN.test(query.normalize("NFKC")) ? await t2sMap(index.manifest) : null;
    const lastIsOpen = !/\s$/.test(query);
    const parts = runs(normalize(query, t2s));
    const groups = [];
    let pendingWords = [];
    const flushWords = async (open) => {
      if (pendingWords.length) groups.push(...(await resolveWords(index, pendingWords, open)));
      pendingWords = [];
    };
    for (let p = 0; p < parts.length; p++) {
      const last = p === parts.length - 1;
      if (parts[p].han) {
        await flushWords(false);
        groups.push(...(await resolveHan(index, parts[p].text, last && lastIsOpen)));
      } else {
        pendingWords.push(parts[p].text);
      }
    }
    await flushWords(lastIsOpen);
    return { groups, t2s };
  }

  async function search(query, options = {}) {
    const lang = options.lang || (typeof document !== "undefined" && document.documentElement.lang) || "en";
    const limit = options.limit || 10;
    const filters = options.filters || {};
    if (!query || !query.trim()) return [];
    const index = await openIndex(lang);
    const { groups, t2s } = await queryGroups(index, query);
    if (groups.length === 0) return [];

    // AND across groups; within a group, the best alternative counts.
    const total = index.manifest.docs || 1;
    let scores = null;
    for (const alternatives of groups) {
      const groupScores = new Map();
      for (const { term, weight, shard: s } of alternatives) {
        for (const [doc, score] of s.t[term] || []) {
          groupScores.set(doc, Math.max(groupScores.get(doc) || 0, score * weight));
        }
      }
      const idf = Math.log(1 + total / Math.max(1, groupScores.size));
      const next = new Map();
      for (const [doc, score] of groupScores) {
        if (scores === null || scores.has(doc)) next.set(doc, (scores ? scores.get(doc) : 0) + score * idf);
      }
      scores = next;
      if (scores.size === 0) return [];
    }

    let allowed = null;
    const active = Object.entries(filters).filter(([, value]) => value);
    if (active.length) {
      const table = (await load(`${index.prefix}/${index.manifest.base}/filters.json`)) || {};
      for (const [name, value] of active) {
        const ids = new Set(((table[name] || {})[value]) || []);
        allowed = allowed ? new Set([...allowed].filter((id) => ids.has(id))) : ids;
      }
    }
    const ranked = [...scores]
      .filter(([doc]) => !allowed || allowed.has(doc))
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, limit);

    const needles = [];
    for (const alternatives of groups) {
      for (const { term } of alternatives.slice(0, 5)) needles.push({ text: term, word: !isHan(Array.from(term)[0]) });
    }
    return Promise.all(
      ranked.map(async ([doc, score]) => {
        const [meta, text] = await Promise.all([
          documentMeta(index, doc),
          load(`${index.prefix}/${index.manifest.base}/x/${doc}.json`),
        ]);
        const [url, title, textLang, section, kind, communities] = meta || ["", "", lang, "", null, []];
        return {
          url,
          title,
          excerpt: excerpt(text || "", needles, t2s),
          lang: textLang,
          section,
          kind,
          community: communities[0] || null,
          communities,
          score,
        };
      }),
    );
  }

  /** The terms a query resolves to, group by group (for tests and debugging). */
  search.explain = async (query, options = {}) => {
    const index = await openIndex(options.lang || "en");
    const { groups } = await queryGroups(index, query);
    return groups.map((alternatives) => alternatives.map(({ term, weight }) => ({ term, weight })));
  };
  return search;
}

/** Search with the index next to this module. */
export const search = createSearch(async (path) => {
  const response = await fetch(new URL(path, import.meta.url));
  if (!response.ok) throw new Error(`signpost-search: ${response.status} for ${path}`);
  return response.json();
});
