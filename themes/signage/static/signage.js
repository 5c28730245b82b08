// The signage theme's one script (deferred, never render-blocking):
// remembers the reader's language choice and, on the language chooser, goes to
// it — unless the reader asked for the chooser (`/?choose`, or a link from
// within the guide); on the search page, language links carry the query;
// once the page has loaded, asks the service worker to keep the reader's
// language for offline reading and says so in the footer once it is kept.
(function () {
  "use strict";
  var KEY = "signpost-language";
  function remember(code) {
    try { window.localStorage.setItem(KEY, code); } catch (e) { /* storage may be off */ }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-lang]");
    if (!link) { return; }
    remember(link.getAttribute("data-lang"));
  });
  // The search page's language links lead to the same search in that language.
  var input = document.querySelector("[data-search-input]");
  function carryQuery(query) {
    var links = document.querySelectorAll("a[data-lang]");
    for (var i = 0; i < links.length; i++) {
      if (/\/search\/$/.test(links[i].pathname)) {
        links[i].search = query ? "?q=" + encodeURIComponent(query) : "";
      }
    }
  }
  if (input) {
    carryQuery((new URLSearchParams(window.location.search).get("q") || "").trim());
    input.addEventListener("input", function () { carryQuery(input.value.trim()); });
  }
  // The masthead's menus close on Escape (focus back on their button) and when
  // the reader taps elsewhere; opening one closes the other.
  var menus = document.querySelectorAll("details.menu");
  function closeMenus(except) {
    for (var i = 0; i < menus.length; i++) {
      if (menus[i] !== except) { menus[i].open = false; }
    }
  }
  for (var m = 0; m < menus.length; m++) {
    menus[m].addEventListener("toggle", function (event) {
      if (event.target.open) { closeMenus(event.target); }
    });
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest("details.menu")) { closeMenus(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.menu[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
  function asked() {
    if (/(^|[?&])choose(=|&|$)/.test(window.location.search.slice(1))) { return true; }
    try {
      return document.referrer !== "" && new URL(document.referrer).origin === window.location.origin;
    } catch (e) { return false; }
  }
  if (document.body && document.body.classList.contains("chooser") && !asked()) {
    var saved = null;
    try { saved = window.localStorage.getItem(KEY); } catch (e) { saved = null; }
    if (saved) {
      var target = document.querySelector('a[data-lang="' + saved.replace(/"/g, "") + '"]');
      if (target) { window.location.replace(target.getAttribute("href")); }
    }
  }

  var home = document.body && document.body.getAttribute("data-language-home");
  if (!home || !("serviceWorker" in navigator)) { return; }
  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    var note = document.querySelector("[data-offline-note]");
    if (data.type === "language-kept" && data.home === home && note) { note.hidden = false; }
  });
  // Registered once the page has loaded and the browser is idle, so keeping
  // the language never competes with the page the reader is opening.
  function keep() {
    navigator.serviceWorker.register("/sw.js").then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) { registration.active.postMessage({ type: "keep-language", home: home }); }
    }).catch(function () { /* offline reading is a bonus; the site works without it */ });
  }
  function whenIdle() {
    if ("requestIdleCallback" in window) { window.requestIdleCallback(keep, { timeout: 5000 }); } else { window.setTimeout(keep, 1000); }
  }
  if (document.readyState === "complete") { whenIdle(); } else { window.addEventListener("load", whenIdle); }
})();
