// qadocs: on a source's index page, forward an old GitHub anchor (#5.问题, #user-content-…,
// GitHub slugs, percent-encoded or not) to the question's own page. The map is made at build
// time and kept in div.qadocs-anchors; without JavaScript the page still lists every question.
(function () {
  var holder = document.querySelector("div.qadocs-anchors[data-anchors]");
  var hash = location.hash.slice(1);
  if (!holder || !hash) return;
  var name = hash;
  try { name = decodeURIComponent(hash); } catch (e) { /* keep it as written */ }
  if (document.getElementById(name)) return;
  var data;
  try { data = JSON.parse(holder.getAttribute("data-anchors")); } catch (e) { return; }
  if (name.toLowerCase().indexOf("user-content-") === 0) name = name.slice("user-content-".length);
  var key = name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  var to = (data.exact && data.exact[name]) || (data.loose && data.loose[key]);
  // Only relative paths inside the site: content could imitate the map, so never follow a scheme.
  if (typeof to === "string" && /^(\.\.\/)*[A-Za-z0-9%._\/-]*\/$/.test(to) && to.indexOf("//") < 0) {
    location.replace(to);
  }
})();
