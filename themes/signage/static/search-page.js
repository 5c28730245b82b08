// The search page: reads ?q=, searches as the reader types, lists hits as links.
import { search } from "/search/signpost-search.js";

const input = document.querySelector("[data-search-input]");
const list = document.querySelector("[data-search-results]");
const status = document.querySelector("[data-search-status]");
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
    list.dataset.query = query;
    return;
  }
  let hits;
  try {
    hits = await search(query, { lang, limit: 20 });
  } catch (error) {
    if (ticket === latest) {
      status.textContent = status.dataset.failed;
      list.dataset.query = query;
    }
    return;
  }
  if (ticket !== latest) return;
  list.replaceChildren(
    ...hits.map((hit) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = hit.url;
      link.lang = hit.lang;
      link.textContent = hit.title;
      const excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerpt.lang = hit.lang;
      excerpt.innerHTML = hit.excerpt;
      item.append(link, excerpt);
      return item;
    }),
  );
  status.textContent = hits.length ? countText(hits.length) : status.dataset.none;
  list.dataset.query = query; // the query these results answer
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
