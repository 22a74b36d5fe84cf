// qadocs: on a source's index page, forward an old GitHub anchor (#5.问题, #user-content-…,
// GitHub slugs, percent-encoded or not) to the question's own page. The map is made at build
// time as anchors.json beside the source's page: a generated file, never part of a page body,
// so content cannot forge it. Without JavaScript the page still lists every question.
(function () {
  var hash = location.hash.slice(1);
  if (!hash || !document.querySelector("div.qadocs-anchors")) return;
  var name = hash;
  try { name = decodeURIComponent(hash); } catch (e) { /* keep it as written */ }
  if (document.getElementById(name)) return;
  if (name.toLowerCase().indexOf("user-content-") === 0) name = name.slice("user-content-".length);
  var key = name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  // The page is <source>/ (or <source>/index.html): anchors.json sits beside it.
  fetch("anchors.json", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data) return;
      var own = Object.prototype.hasOwnProperty;
      var to = (data.exact && own.call(data.exact, name) && data.exact[name]) ||
               (data.loose && own.call(data.loose, key) && data.loose[key]);
      // Only relative paths inside the site: never a scheme, a host or an absolute path.
      if (typeof to === "string" && /^(\.\.\/)*[A-Za-z0-9%._\/-]*\/$/.test(to) && to.indexOf("//") < 0) {
        location.replace(to);
      }
    })
    .catch(function () { /* no map: the page lists every question */ });
})();
