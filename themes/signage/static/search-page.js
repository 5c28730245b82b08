// The search page: reads ?q=, searches as the reader types, lists hits as links;
// pages matching only some of the words follow a note saying so, and a
// misspelt word brings a "did you mean" link to the corrected query. The first
// ten hits are drawn as soon as they are known; ten more follow when the
// reader scrolls near the end of the list (half the requests and excerpts
// before the results are first drawn, none for pages never looked at).
import { search } from "/search/signpost-search.js";

const input = document.querySelector("[data-search-input]");
const list = document.querySelector("[data-search-results]");
const status = document.querySelector("[data-search-status]");
const suggestion = document.querySelector("[data-search-suggestion]");
const examples = document.querySelector("[data-search-examples]");
const lang = document.documentElement.lang;
const forms = JSON.parse(status.dataset.forms || "{}");
const rules = new Intl.PluralRules(lang);
const numbers = new Intl.NumberFormat(lang);
let latest = 0;
let timer = 0;
const FIRST = 10;
const MORE = 20;
let more = null;

function countText(n) {
  const form = forms[rules.select(n)] || forms.other || "{count}";
  return form.replace("{count}", numbers.format(n));
}

async function run() {
  const query = input.value;
  const ticket = ++latest;
  const url = new URL(window.location.href);
  if (query.trim()) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
  if (examples) examples.hidden = Boolean(query.trim());
  if (!query.trim()) {
    list.replaceChildren();
    status.textContent = "";
    showSuggestion(null);
    list.dataset.query = query;
    return;
  }
  let hits;
  try {
    hits = await search(query, { lang, limit: FIRST });
  } catch (error) {
    if (ticket === latest) {
      status.textContent = navigator.onLine === false ? status.dataset.offline : status.dataset.failed;
      list.replaceChildren();
      showSuggestion(null);
      list.dataset.query = query;
    }
    return;
  }
  if (ticket !== latest) return;
  list.replaceChildren(...items(hits, null));
  showSuggestion(hits.didYouMean);
  status.textContent = hits.length ? countText(hits.length) : status.dataset.none;
  list.dataset.query = query; // the query these results answer
  if (more) more.disconnect();
  if (hits.length < FIRST || !window.IntersectionObserver) return;
  more = new IntersectionObserver(async (entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    more.disconnect();
    let next;
    try {
      next = await search(query, { lang, limit: MORE });
    } catch {
      return;
    }
    if (ticket !== latest) return;
    const shown = new Set(hits.map((hit) => hit.url));
    const added = next.filter((hit) => !shown.has(hit.url));
    if (!added.length) return;
    list.append(...items(added, hits[hits.length - 1]));
    status.textContent = countText(hits.length + added.length);
  }, { rootMargin: "0px 0px 400px 0px" });
  more.observe(list.lastElementChild);
}

/** List items for `hits` after `previous` (the last hit shown, or null), with the note before the first partial one. */
function items(hits, previous) {
  const out = [];
  hits.forEach((hit, i) => {
    const before = i === 0 ? previous : hits[i - 1];
    if (hit.partial && !(before && before.partial)) {
      const note = document.createElement("li");
      note.className = "search-partial";
      note.dataset.partialNote = "";
      note.textContent = list.dataset.partial;
      out.push(note);
    }
    out.push(item(hit));
  });
  return out;
}

/** One hit: its title as a link, then the excerpt. */
function item(hit) {
  const entry = document.createElement("li");
  const link = document.createElement("a");
  link.href = hit.url;
  link.lang = hit.lang;
  link.textContent = hit.title;
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.lang = hit.lang;
  excerpt.innerHTML = hit.excerpt;
  entry.append(link, excerpt);
  if (hit.partial) entry.dataset.partial = "";
  return entry;
}

/** Shows "did you mean" with a link to the corrected query, or hides it. */
function showSuggestion(corrected) {
  if (!suggestion) return;
  if (!corrected) {
    suggestion.hidden = true;
    suggestion.replaceChildren();
    return;
  }
  const [before, after] = suggestion.dataset.label.split("{query}");
  const link = document.createElement("a");
  const url = new URL(window.location.href);
  url.searchParams.set("q", corrected);
  link.href = url.pathname + url.search;
  link.textContent = corrected;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    input.value = corrected;
    run();
  });
  suggestion.replaceChildren(before || "", link, after || "");
  suggestion.hidden = false;
}

input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
});
input.form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(timer);
  run();
});
const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run();
} else {
  input.focus();
}
