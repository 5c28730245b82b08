// The signage theme's one script (deferred, never render-blocking):
// remembers the reader's language choice and, on the language chooser, goes to
// it; asks the service worker to keep the reader's language for offline
// reading and says so in the footer once it is kept.
(function () {
  "use strict";
  var KEY = "signpost-language";
  function remember(code) {
    try { window.localStorage.setItem(KEY, code); } catch (e) { /* storage may be off */ }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-lang]");
    if (link) { remember(link.getAttribute("data-lang")); }
  });
  if (document.body && document.body.classList.contains("chooser")) {
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
  navigator.serviceWorker.register("/sw.js").then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    if (registration.active) { registration.active.postMessage({ type: "keep-language", home: home }); }
  }).catch(function () { /* offline reading is a bonus; the site works without it */ });
})();
