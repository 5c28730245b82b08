// Remembers the reader's language choice; on the language chooser, goes to it.
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
})();
