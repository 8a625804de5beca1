// MedRef's search page, enhanced: the page works without this file. With it: "/" goes to the search box, "j"/"k"
// move between results, and results follow the typing (the server-rendered page is fetched and its main part
// swapped in; the address follows, so back, reload and sharing keep working).
"use strict";
(function () {
  const box = document.getElementById("q");
  function typing(event) {
    const t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/" && !typing(event) && box) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (event.key === "Escape" && event.target === box) { box.blur(); return; }
    if ((event.key === "j" || event.key === "k") && !typing(event)) {
      const links = Array.from(document.querySelectorAll("a.result-link"));
      if (links.length === 0) return;
      const at = links.indexOf(document.activeElement);
      const next = event.key === "j" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
      links[next].focus();
      links[next].scrollIntoView({ block: "nearest" });
      event.preventDefault();
    }
  });
  if (!box || !window.fetch || !window.DOMParser || location.pathname !== "/") return;
  let timer = null;
  let latest = 0;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(async function () {
      const query = box.value.trim();
      if (query.length < 2) return;
      const url = "/?q=" + encodeURIComponent(query);
      const ticket = ++latest;
      try {
        const response = await fetch(url, { headers: { "Accept": "text/html" } });
        const html = await response.text();
        if (ticket !== latest) return;
        const page = new DOMParser().parseFromString(html, "text/html");
        const main = page.getElementById("main");
        if (!main) return;
        document.getElementById("main").replaceWith(document.adoptNode(main));
        document.title = page.title;
        history.replaceState(null, "", url);
      } catch (error) {
        // Network trouble: the form still submits normally.
      }
    }, 250);
  });
})();
