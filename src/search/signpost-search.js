// signpost-search.js: static, sharded full-text search for signpost sites.
// Dependency-free ES module; no eval, no WebAssembly; works under
// Content-Security-Policy: script-src 'self'.
//
//   import { search } from "/search/signpost-search.js";
//   const hits = await search("望京 医院", { lang: "zh-Hans", limit: 10,
//                                           filters: { community: "wangjing", kind: "hospital" } });
//   hits[i].partial    — true when the page matches only some of the words
//   hits.didYouMean    — the query with misspelt words corrected, or null
//
// The query is normalized exactly as the index was (src/search/tokenize.rs):
// compatibility decomposition, lower case, marks dropped after Latin letters
// (tones, accents) and Cyrillic ones (ё → е), Traditional → Simplified, NFKC;
// then split into runs by script, and British spellings folded into American
// ones. Words are not stemmed here: they are looked up in the index's own
// table of surface forms (hospitals → hospit), or matched to the longest
// indexed stem they start with, or split into indexed words (pinyin typed
// without spaces), or, from 5 letters, corrected to a word of the index's
// vocabulary one edit away (two from 9 letters). Han runs are segmented
// against the indexed words and bigrams. The last word, while typed, also
// matches by prefix. Stop words count only when the query has nothing else.
// Only the shards the query's words start with are fetched (the bucket of the
// character after the key, where a large shard is split).

const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
const WORD = /[\p{Alphabetic}\p{N}]/u;
const ASCII_LETTER = /[a-zA-Z]/;
const MAX_PREFIX_TERMS = 40;
const TYPO_WEIGHT = [1, 0.6, 0.45];

/** Whether a character is Han (the same ranges as the index side). */
export function isHan(ch) {
  return HAN.test(ch);
}

/** Whether a character belongs to a word run (letters and digits of other scripts). */
export function isWordChar(ch) {
  return !HAN.test(ch) && WORD.test(ch);
}

/** Whether a character is Cyrillic (U+0400–U+052F). */
export function isCyrillic(ch) {
  const c = ch.codePointAt(0);
  return c >= 0x400 && c <= 0x52f;
}

function droppedMark(c, previous) {
  const code = c.codePointAt(0);
  if (code < 0x300 || code > 0x36f) return false;
  if (ASCII_LETTER.test(previous)) return true;
  return (code === 0x300 || code === 0x301 || code === 0x308) && previous !== "" && isCyrillic(previous);
}

/** Normalizes text as the index does; `t2s` maps Traditional to Simplified characters. */
export function normalize(text, t2s) {
  let lowered = "";
  for (const ch of text.normalize("NFKD")) lowered += ch.toLowerCase();
  let out = "";
  let previous = "";
  let ascii = true;
  for (const ch of lowered.normalize("NFKD")) {
    if (droppedMark(ch, previous)) continue;
    const c = (t2s && t2s.get(ch)) || ch;
    out += c;
    previous = c;
    if (c.charCodeAt(0) > 0x7f) ascii = false;
  }
  return ascii ? out : out.normalize("NFKC");
}

function scriptClass(ch) {
  if (isHan(ch)) return 0;
  return isCyrillic(ch) ? 1 : 2;
}

/** Splits normalized text into runs by script: [{ text, han }]. */
export function runs(normalized) {
  const out = [];
  let current = "";
  let currentClass = 0;
  for (const ch of normalized) {
    const cls = scriptClass(ch);
    const belongs = cls === 0 || isWordChar(ch);
    if (belongs && (current === "" || cls === currentClass)) {
      current += ch;
      currentClass = cls;
      continue;
    }
    if (current) out.push({ text: current, han: currentClass === 0 });
    current = belongs ? ch : "";
    currentClass = cls;
  }
  if (current) out.push({ text: current, han: currentClass === 0 });
  return out;
}

const OUR = ["", "s", "ed", "ing", "hood", "hoods", "ful", "able", "ite", "ites", "er", "ers", "less"];
const ISE = ["e", "es", "ed", "ing", "er", "ers", "ation", "ations"];
const ENDINGS = [["tre", "ter"], ["tres", "ters"], ["ogue", "og"], ["ogues", "ogs"], ["amme", "am"], ["ammes", "ams"]];

/** British → American spelling of a lower-case ASCII word, as the index folds it. */
export function foldSpelling(word) {
  if (!/^[a-z]+$/.test(word)) return word;
  for (const ending of OUR) {
    const rest = word.endsWith(ending) ? word.slice(0, word.length - ending.length) : null;
    if (rest !== null && rest.endsWith("our") && rest.length - 3 >= 3) return `${rest.slice(0, -3)}or${ending}`;
  }
  for (const ending of ISE) {
    for (const [british, american] of [["is", "iz"], ["ys", "yz"]]) {
      const rest = word.endsWith(ending) ? word.slice(0, word.length - ending.length) : null;
      if (rest !== null && rest.endsWith(british) && rest.length - 2 >= 2 && (british === "is" || ending.length <= 3)) {
        return `${rest.slice(0, -2)}${american}${ending}`;
      }
    }
  }
  for (const [british, american] of ENDINGS) {
    if (word.endsWith(british) && word.length - british.length >= 2) return word.slice(0, -british.length) + american;
  }
  return word;
}

/** Edit distance of `a` and `b` (arrays of characters; a transposition is one edit), capped at `max + 1`. */
export function editDistance(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    before = previous;
    previous = row;
  }
  return Math.min(previous[b.length], max + 1);
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

/** The file stem of the shard holding `term` (src/search/mod.rs: `bucket`), or null when there is none. */
export function shardFile(manifest, shardSet, term) {
  const key = shardKey(term);
  const stem = keyFile(key);
  if (!shardSet.has(stem)) return null;
  const buckets = (manifest.split || {})[stem];
  const next = Array.from(term)[Array.from(key).length];
  return buckets && next !== undefined ? `${stem}.${next.codePointAt(0) % buckets}` : stem;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** Normalizes one character as `normalize` would, with fast paths for the common scripts. */
function normalizeChar(ch, t2s) {
  const code = ch.codePointAt(0);
  if (code < 0x80 || (code >= 0x410 && code <= 0x44f)) return ch.toLowerCase();
  if (isHan(ch) && (code < 0xf900 || code > 0xfaff)) return (t2s && t2s.get(ch)) || ch;
  return normalize(ch, t2s);
}

/** Normalized text as an array of characters, each with the index of the character it came from. */
function normalizedWithOrigin(text, t2s) {
  const original = Array.from(text);
  const chars = [];
  const origin = [];
  original.forEach((ch, i) => {
    for (const c of normalizeChar(ch, t2s)) {
      chars.push(c);
      origin.push(i);
    }
  });
  return { original, chars, origin };
}

/** The word runs of normalized text: [{ start, end, text, folded, han }], computed once per document. */
function wordsOf(chars) {
  const out = [];
  let i = 0;
  while (i < chars.length) {
    const cls = isHan(chars[i]) ? 0 : isWordChar(chars[i]) ? scriptClass(chars[i]) : -1;
    if (cls < 0) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < chars.length) {
      const c = chars[end];
      const next = isHan(c) ? 0 : isWordChar(c) ? scriptClass(c) : -1;
      if (next !== cls) break;
      end++;
    }
    const text = chars.slice(i, end).join("");
    out.push({ start: i, end, text, folded: cls === 0 ? text : foldSpelling(text), han: cls === 0 });
    i = end;
  }
  return out;
}

/** Where a query's groups match among a document's words: [{ start, end, group }] (whole words only). */
function matchesIn(words, groups) {
  const found = [];
  const hanTerms = groups.map((group) => group.alternatives.slice(0, 8).map((a) => a.term).filter((t) => isHan(Array.from(t)[0])));
  for (const { start, end, text, folded, han } of words) {
    groups.forEach((group, g) => {
      if (han) {
        for (const term of hanTerms[g]) {
          const length = Array.from(term).length;
          for (let k = text.indexOf(term); k >= 0; k = text.indexOf(term, k + 1)) {
            const at = start + Array.from(text.slice(0, k)).length;
            found.push({ start: at, end: at + length, group: g });
          }
        }
        return;
      }
      if (group.open && folded.startsWith(group.text) && !group.alternatives.some((a) => a.weight >= 0.9)) {
        found.push({ start, end: start + Math.min(end - start, Array.from(group.text).length), group: g });
        return;
      }
      const whole = folded === group.text || (group.corrected && folded === group.corrected) ||
        group.alternatives.some(({ term }) => folded === term || (term.length >= 3 && folded.startsWith(term) && folded.length - term.length <= 4));
      if (whole) found.push({ start, end, group: g });
    });
  }
  return found;
}

/** How many neighbouring pairs of the query's groups stand together in the text. */
function adjacentPairs(matches, groupCount) {
  let pairs = 0;
  for (let g = 0; g + 1 < groupCount; g++) {
    const next = matches.filter((m) => m.group === g + 1);
    if (matches.some((a) => a.group === g && next.some((b) => b.start >= a.end && b.start - a.end <= 2))) pairs++;
  }
  return pairs;
}

/** An excerpt around the first match, with matched words marked. */
function excerptHtml(original, origin, matches) {
  const marks = new Array(original.length).fill(false);
  let first = -1;
  for (const { start, end } of matches) {
    for (let k = start; k < end; k++) marks[origin[k]] = true;
    if (first < 0 || origin[start] < first) first = origin[start];
  }
  const begin = Math.max(0, (first < 0 ? 0 : first) - 60);
  const stop = Math.min(original.length, begin + 180);
  let html = begin > 0 ? "…" : "";
  let open = false;
  for (let i = begin; i < stop; i++) {
    if (marks[i] && !open) { html += "<mark>"; open = true; }
    if (!marks[i] && open) { html += "</mark>"; open = false; }
    html += escapeHtml(original[i]);
  }
  if (open) html += "</mark>";
  if (stop < original.length) html += "…";
  return html;
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
  const tables = new Map();
  const table = (path, make) => {
    if (!tables.has(path)) tables.set(path, load(path).then(make));
    return tables.get(path);
  };
  const texts = new Map();

  const t2sMap = (manifest) =>
    table(manifest.t2s, (pairs) => {
      const chars = Array.from(pairs || "");
      const map = new Map();
      for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
      return map;
    });
  const EMPTY = { t: {}, f: {} };

  // The shard that holds `term` (its bucket, where the shard is split).
  async function shard(index, term) {
    const file = shardFile(index.manifest, index.shardSet, term);
    if (!file) return EMPTY;
    return (await load(`${index.prefix}/${index.manifest.base}/t/${file}.json`)) || EMPTY;
  }

  // Every shard that can hold a term starting with `prefix`: all buckets of a
  // split shard when the prefix ends at the key.
  async function prefixShards(index, prefix) {
    const stem = keyFile(shardKey(prefix));
    const buckets = (index.manifest.split || {})[stem];
    if (!buckets || Array.from(prefix).length > Array.from(shardKey(prefix)).length) return [await shard(index, prefix)];
    const files = [stem, ...Array.from({ length: buckets }, (_, b) => `${stem}.${b}`)];
    return (await Promise.all(files.map((file) => load(`${index.prefix}/${index.manifest.base}/t/${file}.json`)))).map((s) => s || EMPTY);
  }

  const known = (s, word) => word in s.t || word in s.f;
  const wordSets = new WeakMap();
  const words = (s) => {
    if (!wordSets.has(s)) wordSets.set(s, new Set(s.w || []));
    return wordSets.get(s);
  };

  // Resolves one word to term alternatives: [{ term, weight, shard }].
  async function resolveWord(index, word, open) {
    const s = await shard(index, word);
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
      for (const p of await prefixShards(index, word)) {
        for (const term of Object.keys(p.t)) if (term.startsWith(word)) add(term, 0.8);
        for (const [form, term] of Object.entries(p.f)) if (form.startsWith(word)) add(term, 0.8);
      }
    }
    const out = [];
    for (const [term, weight] of found) {
      const home = await shard(index, term);
      if (term in home.t) out.push({ term, weight, shard: home });
    }
    return out;
  }

  // A word typed without spaces, split into indexed words (huairoukexuecheng), or null.
  async function splitWord(index, word, depth) {
    const chars = Array.from(word);
    if (depth > 3 || chars.length < 4) return null;
    for (let n = chars.length - 2; n >= 2; n--) {
      const left = chars.slice(0, n).join("");
      if (!known(await shard(index, left), left)) continue;
      const right = chars.slice(n).join("");
      if (known(await shard(index, right), right)) return [left, right];
      const rest = await splitWord(index, right, depth + 1);
      if (rest) return [left, ...rest];
    }
    return null;
  }

  // The vocabulary word nearest a misspelt one: { word, distance } or null.
  async function correct(index, word) {
    const chars = Array.from(word);
    if (chars.length < 5 || /\d/.test(word)) return null;
    const max = chars.length >= 9 ? 2 : 1;
    const lengths = (index.manifest.vocabulary || []).filter((n) => Math.abs(n - chars.length) <= max);
    const lists = await Promise.all(lengths.map((n) => load(`${index.prefix}/${index.manifest.base}/v/${n}.json`)));
    let best = null;
    for (const list of lists) {
      for (const candidate of list || []) {
        const distance = editDistance(chars, Array.from(candidate), max);
        if (distance > max) continue;
        const better = !best || distance < best.distance ||
          (distance === best.distance && (candidate[0] === word[0]) > (best.word[0] === word[0])) ||
          (distance === best.distance && (candidate[0] === word[0]) === (best.word[0] === word[0]) && candidate < best.word);
        if (better) best = { word: candidate, distance };
      }
    }
    return best;
  }

  // One word run that is neither a stop word nor joined with its neighbours.
  async function resolveSingle(index, word, open, stop) {
    const optional = stop.has(word);
    let alternatives = await resolveWord(index, word, open);
    if (optional || alternatives.some((a) => a.weight >= 1)) return [{ alternatives, optional, text: word, open }];
    if (!alternatives.some((a) => a.weight >= 0.8)) {
      const parts = await splitWord(index, word, 0);
      if (parts) {
        const groups = [];
        for (const part of parts) groups.push({ alternatives: await resolveWord(index, part, false), optional: false, text: part, open: false });
        return groups;
      }
    }
    let corrected = null;
    // Nothing found, or only a stem the word starts with (zhongguancum → zhongguan): a typo?
    if (!alternatives.some((a) => a.weight >= 1 || a.weight === 0.8)) {
      const nearest = await correct(index, word);
      if (nearest) {
        const fixed = (await resolveWord(index, nearest.word, false)).map((a) => ({ ...a, weight: a.weight * TYPO_WEIGHT[nearest.distance] }));
        // A correction that leads back to a term the word already matched
        // (hospitals → hospital → the stem hospit) is no typo: keep the match.
        const added = fixed.filter((f) => !alternatives.some((a) => a.term === f.term));
        if (added.length) {
          corrected = nearest.word;
          alternatives = added.concat(alternatives);
        }
      }
    }
    return [{ alternatives, optional, text: word, open, corrected }];
  }

  // Word runs, joining neighbours when the joined word is indexed (wang jing → wangjing).
  async function resolveWords(index, words, lastIsOpen, stop) {
    const groups = [];
    let i = 0;
    while (i < words.length) {
      let done = false;
      for (let n = Math.min(4, words.length - i); n >= 2 && !done; n--) {
        const joined = words.slice(i, i + n).join("");
        const open = lastIsOpen && i + n === words.length;
        // Only the joined word itself, or its start while typed: not a stem it happens to begin with.
        const alternatives = (await resolveWord(index, joined, open)).filter((a) => a.weight === 1 || (open && a.weight === 0.8));
        if (alternatives.length) {
          groups.push({ alternatives, optional: false, text: joined, open });
          i += n;
          done = true;
        }
      }
      if (!done) {
        groups.push(...(await resolveSingle(index, words[i], lastIsOpen && i === words.length - 1, stop)));
        i += 1;
      }
    }
    return groups;
  }

  // Segments a Han run into indexed words, bigrams and stop words, fewest pieces first.
  async function resolveHan(index, text, open, stop) {
    const chars = Array.from(text);
    const n = chars.length;
    // The pieces starting at i: one character in its shard, longer ones in
    // the bucket of their second character.
    const [ones, twos] = await Promise.all([
      Promise.all(chars.map((c) => shard(index, c))),
      Promise.all(chars.map((c, i) => (i + 1 < n ? shard(index, c + chars[i + 1]) : EMPTY))),
    ]);
    const shardOf = (i, j) => (j - i === 1 ? ones[i] : twos[i]);
    const cost = new Array(n + 1).fill(0);
    const next = new Array(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      cost[i] = Infinity;
      for (let j = Math.min(n, i + 8); j > i; j--) {
        const piece = chars.slice(i, j).join("");
        // Dictionary words cost least, then stop words, then bigrams the text
        // happens to have (人才在 is 人才 + 在, not 人 + 才在), then lone characters.
        const s = shardOf(i, j);
        const c = stop.has(piece) ? 0.5 : j - i >= 2 && piece in s.t ? (words(s).has(piece) ? 1 : 1.6) : j === i + 1 ? 2 : Infinity;
        if (c + cost[j] < cost[i]) {
          cost[i] = c + cost[j];
          next[i] = j;
        }
      }
    }
    const groups = [];
    for (let i = 0; i < n; i = next[i]) {
      const j = next[i];
      const piece = chars.slice(i, j).join("");
      const optional = stop.has(piece);
      const s = shardOf(i, j);
      let alternatives = piece in s.t ? [{ term: piece, weight: 1, shard: s }] : [];
      if (j - i === 1 && !optional && alternatives.length === 0) {
        // A character the index has no term for (易 of 易北京, segmented 易 +
        // 北京): the bigram it forms with its neighbour, as the text has it.
        const after = i + 1 < n ? chars[i] + chars[i + 1] : null;
        const before = i > 0 ? chars[i - 1] + chars[i] : null;
        if (after && after in twos[i].t) alternatives = [{ term: after, weight: 1, shard: twos[i] }];
        else if (before && before in twos[i - 1].t) alternatives = [{ term: before, weight: 1, shard: twos[i - 1] }];
      }
      if (j - i === 1 && !optional && ((open && j === n) || n === 1)) {
        // A lone character being typed: every indexed term that starts with it.
        alternatives = (await prefixShards(index, piece))
          .flatMap((p) => Object.keys(p.t).filter((t) => t.startsWith(piece)).map((term) => ({ term, weight: term === piece ? 1 : 0.8, shard: p })))
          .slice(0, MAX_PREFIX_TERMS);
      }
      groups.push({ alternatives, optional, text: piece, open: false });
    }
    return groups;
  }

  async function openIndex(lang) {
    const prefix = lang.toLowerCase();
    const manifest = await load(`${prefix}/manifest.json`);
    if (!manifest) throw new Error(`signpost-search: no index for language ${lang}`);
    return { prefix, manifest, shardSet: new Set(manifest.shards), stop: new Set(manifest.stop || []) };
  }

  async function documentMeta(index, id) {
    const chunk = await load(`${index.prefix}/${index.manifest.base}/m/${Math.floor(id / index.manifest.chunk)}.json`);
    return chunk && chunk[id % index.manifest.chunk];
  }

  // The query's groups of alternative terms.
  async function queryGroups(index, query) {
    const t2s = HAN.test(query.normalize("NFKC")) ? await t2sMap(index.manifest) : null;
    const stop = index.stop;
    const lastIsOpen = !/\s$/.test(query);
    const parts = runs(normalize(query, t2s));
    const groups = [];
    let pendingWords = [];
    const flushWords = async (open) => {
      if (pendingWords.length) groups.push(...(await resolveWords(index, pendingWords, open, stop)));
      pendingWords = [];
    };
    for (let p = 0; p < parts.length; p++) {
      const last = p === parts.length - 1;
      if (parts[p].han) {
        await flushWords(false);
        groups.push(...(await resolveHan(index, parts[p].text, last && lastIsOpen, stop)));
      } else {
        pendingWords.push(foldSpelling(parts[p].text));
      }
    }
    await flushWords(lastIsOpen);
    if (!groups.some((g) => !g.optional)) for (const g of groups) g.optional = false;
    return { groups, t2s };
  }

  // Score and number of matched words per document (arrays by document
  // number), and the documents any group matched.
  function scoreDocuments(index, groups) {
    const total = index.manifest.docs || 1;
    const scores = new Float64Array(total);
    const matched = new Uint8Array(total);
    const seen = new Uint8Array(total);
    const touched = [];
    const best = new Float64Array(total);
    for (const group of groups) {
      // The group's best alternative per document.
      const docs = [];
      for (const { term, weight, shard: s } of group.alternatives) {
        for (const [doc, score] of s.t[term] || []) {
          if (doc >= total) continue;
          const value = score * weight;
          if (best[doc] === 0) docs.push(doc);
          if (value > best[doc]) best[doc] = value;
        }
      }
      const df = docs.length;
      const factor = Math.log(1 + (total - df + 0.5) / (df + 0.5)) * (group.optional ? 0.3 : 1);
      for (const doc of docs) {
        if (!seen[doc]) {
          seen[doc] = 1;
          touched.push(doc);
        }
        scores[doc] += best[doc] * factor;
        best[doc] = 0;
        if (!group.optional) matched[doc] += 1;
      }
    }
    return { scores, matched, touched };
  }

  // The `limit` best of the matching documents: those matching every
  // required group first; others follow only when those are fewer than `limit`.
  function bestDocuments(scoring, required, allowed, limit) {
    const { scores, matched, touched } = scoring;
    const order = (a, b) => b.matched - a.matched || b.score - a.score || a.doc - b.doc;
    const full = [];
    const partial = [];
    let fullCount = 0;
    const keep = (list, candidate) => {
      if (list.length === limit && order(candidate, list[limit - 1]) >= 0) return;
      let i = list.length;
      while (i > 0 && order(candidate, list[i - 1]) < 0) i--;
      list.splice(i, 0, candidate);
      if (list.length > limit) list.pop();
    };
    for (const doc of touched) {
      if (matched[doc] === 0 || (allowed && !allowed.has(doc))) continue;
      const candidate = { doc, score: scores[doc], matched: matched[doc], partial: matched[doc] < required };
      if (candidate.partial) keep(partial, candidate);
      else {
        fullCount += 1;
        keep(full, candidate);
      }
    }
    return (fullCount >= limit ? full : full.concat(partial)).slice(0, limit);
  }

  async function allowedDocuments(index, filters) {
    const active = Object.entries(filters).filter(([, value]) => value);
    if (!active.length) return null;
    const lists = (await load(`${index.prefix}/${index.manifest.base}/filters.json`)) || {};
    let allowed = null;
    for (const [name, value] of active) {
      const ids = new Set(((lists[name] || {})[value]) || []);
      allowed = allowed ? new Set([...allowed].filter((id) => ids.has(id))) : ids;
    }
    return allowed;
  }

  async function documentText(index, doc, t2s) {
    const key = `${index.prefix}/${index.manifest.base}/x/${doc}.json`;
    const t2sKey = t2s ? "t" : "";
    if (!texts.has(key + t2sKey)) {
      texts.set(key + t2sKey, load(key).then((text) => {
        const normalized = normalizedWithOrigin(text || "", t2s);
        return { ...normalized, words: wordsOf(normalized.chars) };
      }));
    }
    return texts.get(key + t2sKey);
  }

  async function search(query, options = {}) {
    const lang = options.lang || (typeof document !== "undefined" && document.documentElement.lang) || "en";
    const limit = options.limit || 10;
    const done = (hits, didYouMean = null) => Object.assign(hits, { didYouMean });
    if (!query || !query.trim()) return done([]);
    const index = await openIndex(lang);
    const { groups, t2s } = await queryGroups(index, query);
    const required = groups.filter((g) => !g.optional);
    if (required.length === 0) return done([]);
    const scoring = scoreDocuments(index, groups);
    const allowed = await allowedDocuments(index, options.filters || {});
    const ranked = bestDocuments(scoring, required.length, allowed, limit);

    const hits = await Promise.all(
      ranked.map(async ({ doc, score, partial, matched: count }) => {
        const [meta, text] = await Promise.all([documentMeta(index, doc), documentText(index, doc, t2s)]);
        const [url, title, textLang, section, kind, communities] = meta || ["", "", lang, "", null, []];
        const matches = matchesIn(text.words, required);
        const bonus = required.length > 1 ? 1 + (0.25 * adjacentPairs(matches, required.length)) / (required.length - 1) : 1;
        return {
          url,
          title,
          excerpt: excerptHtml(text.original, text.origin, matches),
          lang: textLang,
          section,
          kind,
          community: communities[0] || null,
          communities,
          score: score * bonus,
          partial,
          matched: count,
        };
      }),
    );
    // The proximity bonus reorders hits within the full and the partial ones.
    hits.sort((a, b) => a.partial - b.partial || b.matched - a.matched || b.score - a.score);
    for (const hit of hits) delete hit.matched;
    let didYouMean = null;
    if (groups.some((g) => g.corrected)) {
      didYouMean = "";
      let previousHan = null;
      for (const g of groups) {
        const word = g.corrected || g.text;
        const han = isHan(Array.from(word)[0] || "");
        if (previousHan !== null && !(han && previousHan)) didYouMean += " ";
        didYouMean += word;
        previousHan = han;
      }
    }
    return done(hits, didYouMean);
  }

  /** The terms a query resolves to, group by group (for tests and debugging). */
  search.explain = async (query, options = {}) => {
    const index = await openIndex(options.lang || "en");
    const { groups } = await queryGroups(index, query);
    return groups.map((g) => g.alternatives.map(({ term, weight }) => ({ term, weight })));
  };
  return search;
}

/** Search with the index next to this module. */
export const search = createSearch(async (path) => {
  const response = await fetch(new URL(path, import.meta.url));
  if (!response.ok) throw new Error(`signpost-search: ${response.status} for ${path}`);
  return response.json();
});
