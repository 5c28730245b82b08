// The search page: reads ?q=, searches as the reader types, lists hits as links;
// pages matching only some of the words follow a note saying so, and a
// misspelt word brings a "did you mean" link to the corrected query.
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
    hits = await search(query, { lang, limit: 20 });
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
  const items = [];
  hits.forEach((hit, i) => {
    if (hit.partial && (i === 0 || !hits[i - 1].partial)) {
      const note = document.createElement("li");
      note.className = "search-partial";
      note.dataset.partialNote = "";
      note.textContent = list.dataset.partial;
      items.push(note);
    }
    items.push(item(hit));
  });
  list.replaceChildren(...items);
  showSuggestion(hits.didYouMean);
  status.textContent = hits.length ? countText(hits.length) : status.dataset.none;
  list.dataset.query = query; // the query these results answer
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
