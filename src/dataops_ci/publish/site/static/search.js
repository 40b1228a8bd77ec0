// Search over window.DATAOPS_SEARCH (assets/search-index.js), with no server: the index is a script file
// because fetch() does not work from file://. Every value is shown with textContent, never as HTML.
(function () {
  "use strict";
  var entries = window.DATAOPS_SEARCH || [];
  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var input = document.getElementById("search");
  var results = document.getElementById("results");

  function matches(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    return entries.filter(function (e) {
      var text = (e.title + " " + e.detail + " " + e.kind).toLowerCase();
      return words.every(function (w) { return text.indexOf(w) !== -1; });
    });
  }

  function show(query) {
    if (!results) return;
    var found = matches(query);
    var list = document.getElementById("result-list");
    list.textContent = "";
    found.slice(0, 200).forEach(function (e) {
      var item = document.createElement("li");
      item.className = "result result-" + e.kind.replace(/\s+/g, "-");
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e.kind;
      var link = document.createElement("a");
      link.href = root + e.url;  // our own slugs only (write.py)
      link.textContent = e.title;
      var detail = document.createElement("small");
      detail.textContent = " " + e.detail;
      item.append(kind, link, detail);
      list.appendChild(item);
    });
    document.getElementById("result-count").textContent =
      found.length + (found.length === 1 ? " match" : " matches") + " for \u201c" + query + "\u201d";
    results.hidden = !query;
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  if (input) {
    input.value = query;
    input.addEventListener("input", function () { show(input.value.trim()); });
  }
  if (query) show(query.trim());
})();
