// qadocs: on a source's index page, forward an old GitHub anchor (#5.问题, #user-content-…,
// GitHub slugs, percent-encoded or not; the spellings a heading had before it was renumbered)
// to the question's own page, and an anchor inside an answer to that place of the question's
// page. The map is made at build time as anchors.json beside the source's page: a generated
// file, never part of a page body, so content cannot forge it. Without JavaScript the page still lists every question.
(function () {
  var hash = location.hash.slice(1);
  if (!hash || !document.querySelector("div.qadocs-anchors")) return;
  var name = hash;
  try { name = decodeURIComponent(hash); } catch (e) { /* keep it as written */ }
  if (document.getElementById(name)) return;
  if (name.toLowerCase().indexOf("user-content-") === 0) name = name.slice("user-content-".length);
  var key = name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  // Once the map has been read and the anchor is in none of it, the page says so on <html>
  // (data-qadocs-anchor="stay"), for whatever waits on the decision.
  function stay() { document.documentElement.setAttribute("data-qadocs-anchor", "stay"); }
  // The page is <source>/ (or <source>/index.html): anchors.json sits beside it.
  fetch("anchors.json", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (data) {
      if (!data) return stay();
      var own = Object.prototype.hasOwnProperty;
      var to = (data.exact && own.call(data.exact, name) && data.exact[name]) ||
               (data.loose && own.call(data.loose, key) && data.loose[key]);
      // Only relative paths inside the site: never a scheme, a host or an absolute path. A target
      // inside a page (a sub-heading of an answer) is `dir/#name`, the name percent-encoded at
      // build time, so the whole URL is ASCII of these few characters.
      var safe = typeof to === "string" && to.indexOf("//") < 0 &&
                 /^(\.\.\/)*[A-Za-z0-9%._\/-]*\/(#[A-Za-z0-9%._~-]+)?$/.test(to);
      if (safe && new URL(to, location.href).origin === location.origin) {
        location.replace(to);
      } else {
        stay();
      }
    })
    .catch(stay); // no map: the page lists every question
})();

// qadocs: share and practise. A question page gets a toolbar (复制链接, 练习模式, 已掌握, 待复习,
// 随机一题); in practice mode its answer is folded behind 显示答案. Index pages show 已掌握 x / n
// of their questions, `a.qadocs-random` links go to a random question of the page's scope, and
// the review page (kind: review) lists the questions marked 待复习. Everything is added here:
// without JavaScript the site is plain and every answer visible. The only request is
// questions.json of this site; the state stays in this browser (localStorage, one versioned key),
// keyed by the questions' permanent ids. Text from the site goes in as text, never as HTML.
(function () {
  var KEY = "qadocs:v1";
  var own = Object.prototype.hasOwnProperty;
  var page = readJSON("qadocs-page") || {};
  var config = readJSON("__config") || {};
  var root = new URL(String(config.base || ".").replace(/\/+$/, "") + "/", location.href);
  var memory = null; // the state when localStorage cannot be used (private mode, disabled)
  var questions = null; // the promise of questions.json's entries

  function readJSON(id) {
    var el = document.getElementById(id);
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  // --- state: {practice: bool, marks: {id: "known" | "review"}} ------------------------------
  function load() {
    var state = memory;
    if (!state) {
      try { state = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { state = null; }
    }
    if (!state || typeof state !== "object") state = {};
    if (!state.marks || typeof state.marks !== "object" || Array.isArray(state.marks)) state.marks = {};
    state.practice = state.practice === true;
    return state;
  }
  function save(state) {
    try { localStorage.setItem(KEY, JSON.stringify(state)); memory = null; } catch (e) { memory = state; }
  }
  function markOf(state, id) {
    return own.call(state.marks, id) ? state.marks[id] : null;
  }
  function setMark(id, mark) {
    var state = load();
    if (mark) Object.defineProperty(state.marks, id, { value: mark, enumerable: true, writable: true, configurable: true });
    else delete state.marks[id];
    save(state);
  }

  // --- questions.json -------------------------------------------------------------------------
  function loadQuestions() {
    if (!questions) {
      questions = fetch(new URL("questions.json", root).href, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { return Array.isArray(data) ? data : []; })
        .catch(function () { return []; });
    }
    return questions;
  }
  // An entry's `url` starts with the path of site_url (`page.base`); the rest is relative to the
  // root this page sees, so links work wherever the site is served. Same origin only.
  function entryHref(entry) {
    var path = String(entry.url || "");
    var base = String(page.base || "/");
    path = path.indexOf(base) === 0 ? path.slice(base.length) : path.replace(/^\/+/, "");
    var url = new URL(path, root);
    return url.origin === location.origin ? url.href : null;
  }
  function startsWith(list, prefix) {
    if (!Array.isArray(list) || !Array.isArray(prefix) || list.length < prefix.length) return false;
    for (var i = 0; i < prefix.length; i++) if (list[i] !== prefix[i]) return false;
    return true;
  }
  // The questions a page stands for: a section's, a source's, a chapter's; a question's source.
  function inScope(entry) {
    switch (page.kind) {
      case "section": return typeof entry.source === "string" && entry.source.indexOf(page.section + "/") === 0;
      case "source": case "question": return entry.source === page.source;
      case "chapter": return entry.source === page.source && startsWith(entry.chapter, page.chapter);
      default: return true;
    }
  }

  // --- small DOM helpers ----------------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs) if (own.call(attrs, name)) node.setAttribute(name, attrs[name]);
    if (text != null) node.textContent = text;
    return node;
  }
  function heading() {
    return document.querySelector("article.md-content__inner > h1");
  }
  function after(ref, node) {
    ref.parentNode.insertBefore(node, ref.nextSibling);
  }

  // --- 复制链接 ----------------------------------------------------------------------------------
  function permanentUrl() {
    return location.origin + location.pathname;
  }
  function legacyCopy(text) {
    var area = el("textarea", { readonly: "", "aria-hidden": "true", "class": "qadocs-copy-buffer" });
    area.value = text;
    document.body.appendChild(area);
    var done = false;
    try {
      area.select();
      area.setSelectionRange(0, text.length);
      done = document.execCommand("copy");
    } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return legacyCopy(text); }
      );
    }
    return Promise.resolve(legacyCopy(text));
  }
  function copyButton(tools, status) {
    var button = el("button", { type: "button", "class": "qadocs-copy" }, "复制链接");
    var timer = null;
    button.addEventListener("click", function () {
      var url = permanentUrl();
      var title = page.title || document.title;
      copyText(title + "\n" + url).then(function (done) {
        if (!done) return showUrl(tools, url, status);
        button.textContent = "已复制";
        status.className = "qadocs-status";
        status.textContent = "已复制链接";
        clearTimeout(timer);
        timer = setTimeout(function () { button.textContent = "复制链接"; status.textContent = ""; }, 2000);
      });
    });
    return button;
  }
  // Last resort: the link, selected, to copy by hand (long press on a phone).
  function showUrl(tools, url, status) {
    var field = tools.querySelector(".qadocs-url");
    if (!field) {
      field = el("input", { type: "text", readonly: "", "class": "qadocs-url", "aria-label": "题目链接" });
      tools.insertBefore(field, status);
    }
    field.value = url;
    field.focus();
    field.select();
    status.className = "qadocs-status qadocs-status--shown";
    status.textContent = "无法自动复制，请长按或手动复制上面的链接";
  }

  // --- 练习模式: the answer folded behind 显示答案 ---------------------------------------------
  // Only in practice mode is the answer (everything after the toolbar) moved into a box of its
  // own; out of it the page's content is as built.
  function answerNodes(ref) {
    var nodes = [];
    for (var node = ref.nextSibling; node; node = node.nextSibling) {
      if (node.nodeType === 1 && node.matches(".md-source-file, .md-feedback")) break;
      nodes.push(node);
    }
    return nodes.some(function (n) { return n.nodeType === 1 || /\S/.test(n.textContent); }) ? nodes : [];
  }
  function fold(state) {
    if (state.answer) return true;
    var nodes = answerNodes(state.ref);
    if (!nodes.length) return false;
    var answer = el("div", { "class": "qadocs-answer", id: "qadocs-answer" });
    var reveal = el("button", { type: "button", "class": "qadocs-reveal", "aria-controls": "qadocs-answer" });
    reveal.addEventListener("click", function () { showAnswer(state, state.answer.hidden); });
    after(state.ref, reveal);
    after(reveal, answer);
    nodes.forEach(function (n) { answer.appendChild(n); });
    state.answer = answer;
    state.reveal = reveal;
    return true;
  }
  function unfold(state) {
    if (!state.answer) return;
    var answer = state.answer;
    while (answer.firstChild) answer.parentNode.insertBefore(answer.firstChild, answer);
    answer.parentNode.removeChild(answer);
    state.reveal.parentNode.removeChild(state.reveal);
    state.answer = state.reveal = null;
  }
  function showAnswer(state, shown) {
    state.answer.hidden = !shown;
    state.reveal.setAttribute("aria-expanded", shown ? "true" : "false");
    state.reveal.textContent = shown ? "隐藏答案" : "显示答案";
  }
  function applyPractice(state, on) {
    if (on && fold(state)) showAnswer(state, targetInside(state.answer));
    else if (!on) unfold(state);
  }
  // A link to a part of the answer (#sub-heading) shows the answer, practice mode or not.
  function targetInside(answer) {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* as written */ }
    var target = id && document.getElementById(id);
    return !!target && answer.contains(target);
  }
  function toggle(label, pressed, onClick) {
    var button = el("button", { type: "button", "aria-pressed": pressed ? "true" : "false" }, label);
    button.addEventListener("click", function () {
      var now = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", now ? "true" : "false");
      onClick(now);
    });
    return button;
  }

  // --- 已掌握 / 待复习 -----------------------------------------------------------------------
  function markButtons(tools) {
    var labels = { known: "已掌握", review: "待复习" };
    var buttons = {};
    Object.keys(labels).forEach(function (mark) {
      buttons[mark] = toggle(labels[mark], markOf(load(), page.id) === mark, function (on) {
        setMark(page.id, on ? mark : null);
        Object.keys(buttons).forEach(function (other) {
          if (other !== mark && on) buttons[other].setAttribute("aria-pressed", "false");
        });
      });
      buttons[mark].className = "qadocs-mark qadocs-mark-" + mark;
      tools.appendChild(buttons[mark]);
    });
  }

  function questionPage() {
    var h1 = heading();
    if (!h1 || !page.id || document.querySelector(".qadocs-tools")) return;
    var where = document.querySelector("article .qadocs-where");
    // The toolbar goes under the title and the lines saying where the question sits (and where
    // else it is written); the answer is what follows.
    var ref = h1;
    while (ref.nextElementSibling && ref.nextElementSibling.matches(".qadocs-where, .qadocs-also-in")) {
      ref = ref.nextElementSibling;
    }
    var tools = el("div", { "class": "qadocs-tools", role: "group", "aria-label": "分享与练习" });
    var status = el("span", { "class": "qadocs-status", role: "status", "aria-live": "polite" });
    var source = where && where.querySelector("a[href]");
    var random = el("a", { "class": "qadocs-random", href: source ? source.getAttribute("href") : root.href }, "随机一题");
    after(ref, tools);
    var folding = { ref: tools, answer: null, reveal: null };
    var practice = toggle("练习模式", load().practice, function (on) {
      var state = load();
      state.practice = on;
      save(state);
      applyPractice(folding, on);
    });
    practice.className = "qadocs-practice";
    tools.appendChild(copyButton(tools, status));
    tools.appendChild(practice);
    markButtons(tools);
    tools.appendChild(random);
    tools.appendChild(status);
    applyPractice(folding, load().practice);
    window.addEventListener("hashchange", function () {
      if (folding.answer && targetInside(folding.answer)) showAnswer(folding, true);
    });
  }

  // --- 已掌握 x / n on index pages -----------------------------------------------------------
  function progress() {
    var h1 = heading();
    if (!h1 || ["home", "section", "source", "chapter"].indexOf(page.kind) < 0) return;
    loadQuestions().then(function (entries) {
      var scope = entries.filter(inScope);
      if (!scope.length) return;
      var state = load();
      var known = 0;
      var review = 0;
      scope.forEach(function (e) {
        var mark = markOf(state, e.id);
        if (mark === "known") known++;
        else if (mark === "review") review++;
      });
      var box = el("div", { "class": "qadocs-progress" });
      var text = el("p", {}, "已掌握 " + known + " / " + scope.length + (review ? "，待复习 " + review : ""));
      var bar = el("div", { "class": "qadocs-progress-bar", "aria-hidden": "true" });
      var fill = el("span", {});
      fill.style.width = Math.round((100 * known) / scope.length) + "%";
      bar.appendChild(fill);
      box.appendChild(text);
      box.appendChild(bar);
      var next = h1.nextElementSibling;
      after(next && next.classList.contains("qadocs-summary") ? next : h1, box);
    });
  }

  // --- 随机一题 ----------------------------------------------------------------------------------
  function randomPick(entries) {
    var state = load();
    var pool = entries.filter(function (e) { return e.id !== page.id && inScope(e); });
    if (page.kind === "review") {
      var marked = entries.filter(function (e) { return markOf(state, e.id) === "review"; });
      if (marked.length) pool = marked;
    }
    while (pool.length) {
      var i = Math.floor(Math.random() * pool.length);
      var href = entryHref(pool[i]);
      if (href) return href;
      pool.splice(i, 1);
    }
    return null;
  }
  function randomLinks() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.qadocs-random");
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var fallback = link.href;
      loadQuestions().then(function (entries) { location.href = randomPick(entries) || fallback; });
    });
  }

  // --- the 待复习 page -----------------------------------------------------------------------
  function reviewPage() {
    var box = document.querySelector("div.qadocs-review");
    if (!box || page.kind !== "review") return;
    loadQuestions().then(function (entries) {
      var state = load();
      var marked = entries.filter(function (e) { return markOf(state, e.id) === "review"; });
      box.textContent = "";
      if (!marked.length) {
        box.appendChild(el("p", { "class": "qadocs-review-empty" },
          "还没有标记为待复习的题目。在题目页点「待复习」，题目就会列在这里（只保存在这个浏览器里）。"));
        return;
      }
      box.appendChild(el("p", { "class": "qadocs-review-count" }, "共 " + marked.length + " 题待复习："));
      var list = el("ul", { "class": "qadocs-review-list" });
      marked.forEach(function (e) {
        var href = entryHref(e);
        if (!href) return;
        var item = el("li", {});
        item.appendChild(el("a", { href: href }, String(e.title)));
        var depth = typeof e.source === "string" ? e.source.split("/").length - 1 : 0;
        var where = Array.isArray(e.chapter) ? e.chapter.slice(depth).join(" › ") : "";
        if (where) item.appendChild(el("span", { "class": "qadocs-review-where" }, where));
        list.appendChild(item);
      });
      box.appendChild(list);
    });
  }

  try {
    // Notes for readers without JavaScript (`p.qadocs-nojs`) are not for this reader.
    Array.prototype.forEach.call(document.querySelectorAll(".qadocs-nojs"), function (n) { n.hidden = true; });
    randomLinks();
    if (page.kind === "question") questionPage();
    progress();
    reviewPage();
  } catch (e) {
    if (window.console) console.warn("qadocs:", e); // the page stays as it was built: plain, readable
  }
})();

// qadocs: search. A button in the header (and the keys / and s, links `a.qadocs-search`, an
// address with `?q=`, the 404 page's form) opens it; only then is assets/qadocs-search.js loaded,
// and it loads the index. Where the theme's own search is on the page, that one is left alone.
(function () {
  var SEARCH = true; // false when the site is built with `search: false` (qadocs writes this line)
  var script = document.currentScript;
  var root = new URL("../", script && script.src ? script.src : location.href); // assets/ -> root
  if (!SEARCH || document.querySelector('[data-md-component="search"]')) return;
  var loading = null;
  function load() {
    if (window.qadocsSearch) return Promise.resolve(window.qadocsSearch);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = new URL("assets/qadocs-search.js", root).href;
        tag.onload = function () { window.qadocsSearch ? resolve(window.qadocsSearch) : reject(new Error("search")); };
        tag.onerror = function () { loading = null; reject(new Error("search")); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }
  function open(query) {
    return load().then(function (search) { return search.open(query); }, function (e) {
      if (window.console) console.warn("qadocs: search could not be loaded", e);
    });
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "qadocs-find-button md-header__button md-icon";
  button.setAttribute("aria-label", "搜索");
  button.title = "搜索（/）";
  button.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
    '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5"/></svg>';
  button.addEventListener("click", function () { open(""); });
  var header = document.querySelector(".md-header__inner");
  if (header) header.insertBefore(button, header.querySelector(".md-header__source"));
  else document.body.insertBefore(button, document.body.firstChild);

  document.addEventListener("click", function (e) {
    var link = e.target && e.target.closest ? e.target.closest("a.qadocs-search") : null;
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
    e.preventDefault();
    open("");
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (e.key !== "/" && e.key !== "s") return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    open("");
  });
  var form = document.querySelector("form.qadocs-404-search");
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var field = form.querySelector("input[name=q]");
      open(field ? field.value : "");
    });
  }
  var params = new URLSearchParams(location.search);
  if (params.has("q")) open(params.get("q") || "");
})();
