// qadocs: search. Loaded by assets/qadocs.js only when a reader opens search; reads the static
// index under qadocs-search/ (written by qadocs' planner, see core/plan/search.py): meta.json
// (titles, URLs, where each page sits), then only the term shards and page texts a query needs,
// each kept for the rest of the page's life and in the browser's cache. Text is cut into terms
// exactly as at build time (`terms` below and in search.py): NFKC, lower case; Han runs give
// each pair of neighbours and their last character, other letters and digits make words.
// Results: pages holding every term first (else the rarest terms); then the title equal to the query, titles holding
// the query's runs, question pages before index pages, terms in the title, term weight. Only
// this site is asked for anything; text from the index goes into the page as text, never HTML.
(function () {
  "use strict";
  if (window.qadocsSearch) return;
  var script = document.currentScript;
  var root = new URL("../", script && script.src ? script.src : location.href); // assets/ -> root
  var DIR = "qadocs-search/";
  var FORMAT = 1;
  var HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}\\u{30000}-\\u{323af}";
  var RUN_RE = new RegExp("[" + HAN + "]+|(?:(?![" + HAN + "])[\\p{L}\\p{N}])+", "gu");
  var HAN_RE = new RegExp("^[" + HAN + "]", "u");
  var WORD_MAX = 32;
  var TF_MAX = 4;
  var PAGE = 10; // results shown at a time
  var QUERY_MAX = 64; // characters of a query read (a pasted paragraph must not fetch every shard)
  var QUIET_MS = 120; // typing pauses this long before a query runs
  var SNIPPET = 96; // characters of text around the match
  var own = Object.prototype.hasOwnProperty;

  // --- terms: the same as core/plan/search.py ------------------------------------------------
  function fold(text) { return String(text).normalize("NFKC").toLowerCase(); }
  function runs(text) { return fold(text).match(RUN_RE) || []; }
  function isHan(text) { return HAN_RE.test(text); }
  function terms(text) {
    var found = [];
    runs(text).forEach(function (run) {
      var chars = Array.from(run);
      if (isHan(run)) {
        for (var i = 0; i + 1 < chars.length; i++) found.push(chars[i] + chars[i + 1]);
        found.push(chars[chars.length - 1]);
      } else {
        found.push(chars.slice(0, WORD_MAX).join(""));
      }
    });
    return found;
  }
  function shardOf(term, count) {
    var chars = Array.from(term);
    var key = chars[0].codePointAt(0) * 31;
    if (chars.length > 1 && !isHan(term)) key += chars[1].codePointAt(0);
    return key % count;
  }
  // A title or query as compared whole: folded, letters and digits only.
  function squeeze(text) { return runs(text).join(""); }

  // --- the index --------------------------------------------------------------------------------
  var meta = null; // promise of meta.json
  var shards = {}; // k -> promise of the shard
  var texts = {}; // page number -> promise of its text
  var postingCache = {}; // term -> Map(page -> count)
  var titleTerms = {}; // page number -> {term: true}

  function getJSON(path, cache) {
    return fetch(new URL(path, root).href, { credentials: "same-origin", cache: cache || "default" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": " + r.status);
      return r.json();
    });
  }
  // meta.json is asked again of the host on every visit (a 304 when unchanged): its page numbers
  // must be those of the shards and texts, which are asked for by the version it names.
  function loadMeta() {
    if (!meta) {
      meta = getJSON(DIR + "meta.json", "no-cache").then(function (data) {
        if (!data || data.v !== FORMAT || !Array.isArray(data.pages)) throw new Error("format");
        data.squeezed = data.pages.map(function (row) { return squeeze(row[1]); });
        return data;
      });
      meta.catch(function () { meta = null; }); // a failed load is tried again next time
    }
    return meta;
  }
  function loadShard(data, k) {
    if (!own.call(shards, k)) {
      var hash = Array.isArray(data.hash) ? encodeURIComponent(String(data.hash[k] || "")) : "";
      shards[k] = getJSON(DIR + "i/" + k + ".json?v=" + hash);
      shards[k].catch(function () { delete shards[k]; });
    }
    return shards[k];
  }
  function decode(list) {
    var map = new Map();
    var page = 0;
    for (var i = 0; i < list.length; i++) {
      var n = list[i];
      page += Math.floor(n / TF_MAX);
      map.set(page, (n % TF_MAX) + 1);
    }
    return map;
  }
  function postings(shard, term) {
    if (!own.call(postingCache, term)) {
      postingCache[term] = own.call(shard, term) && Array.isArray(shard[term]) ? decode(shard[term]) : new Map();
    }
    return postingCache[term];
  }
  // A prefix's postings: every term of the shard that starts with it, counts added.
  function prefixPostings(shard, prefix) {
    var merged = new Map();
    Object.keys(shard).forEach(function (term) {
      if (term.indexOf(prefix) !== 0) return;
      postings(shard, term).forEach(function (count, page) {
        merged.set(page, Math.min(TF_MAX, (merged.get(page) || 0) + count));
      });
    });
    return merged;
  }

  // --- a query ----------------------------------------------------------------------------------
  // How Chinese asks: words that say "what / how / please explain" and particles carry no topic.
  // In a query they are optional (they weigh in, a page need not hold them): 什么是LoRA needs only
  // lora, 扩散模型的原理 needs 扩散模型 and 原理. Asking words (and 的) are cut wherever they stand,
  // particles only at the edge of a piece of three characters or more; a cut that would leave one
  // character that is no particle was a word's (解释器, 目的): the run is kept whole.
  var ASKING = ["为什么", "怎么样", "是什么", "什么", "怎么", "怎样", "如何", "哪些", "哪个", "哪种", "是否",
                "请问", "简述", "简要", "介绍", "解释", "说说", "谈谈", "一下", "有哪些", "有什么"];
  var LEADING = "的是了吗呢吧和与及或对请";
  var TRAILING = "的是了吗呢吧和与及或中下有";
  function isParticle(ch) { return (LEADING + TRAILING).indexOf(ch) >= 0; }
  function edges(piece, cut) {
    while (piece.length > 2 && LEADING.indexOf(piece[0]) >= 0) cut.push(piece.shift());
    while (piece.length > 2 && TRAILING.indexOf(piece[piece.length - 1]) >= 0) cut.push(piece.pop());
    return piece.join("");
  }
  function pieces(run) {
    var found = [];
    var cut = [];
    var chars = Array.from(run);
    var start = 0;
    for (var i = 0; i < chars.length;) {
      var word = null;
      for (var w = 0; w < ASKING.length && !word; w++) {
        var ask = ASKING[w];
        if (chars.slice(i, i + ask.length).join("") === ask) word = ask;
      }
      if (!word && chars[i] === "的") word = "的";
      if (!word) { i += 1; continue; }
      if (i > start) found.push(chars.slice(start, i));
      cut.push(word);
      i += word.length;
      start = i;
    }
    if (start < chars.length) found.push(chars.slice(start));
    if (found.some(function (p) { return p.length === 1 && !isParticle(p[0]); })) {
      cut = [];
      return { kept: [edges(chars, cut)], cut: cut };
    }
    var kept = [];
    found.forEach(function (piece) {
      if (piece.length === 1) cut.push(piece[0]);
      else kept.push(edges(piece, cut));
    });
    return { kept: kept, cut: cut };
  }
  // Units: what a page is matched by; `need`: it must hold them. A Han piece of two characters or
  // more: its pairs; one Han character: any term starting with it; a word: itself, or any word
  // starting with it when it is the last thing typed (no space after it), two characters or more.
  // `loose`: also each Han character of the needed pieces, as an optional prefix, so that when no
  // page holds every term (a character mistyped: 扩撒模型) the pages sharing most characters lead.
  function parse(query, loose) {
    var found = runs(Array.from(query).slice(0, QUERY_MAX).join(""));
    var open = !/[\s\p{P}\p{S}]$/u.test(query);
    var units = [];
    var seen = {};
    var needed = [];
    function add(term, prefix, need) {
      var key = (prefix ? "*" : "=") + term;
      if (own.call(seen, key)) { if (need) seen[key].need = true; return; }
      seen[key] = { term: term, prefix: prefix, need: need };
      units.push(seen[key]);
    }
    function han(text, need) {
      var chars = Array.from(text);
      if (chars.length === 1) add(text, true, need);
      for (var j = 0; j + 1 < chars.length; j++) add(chars[j] + chars[j + 1], false, need);
    }
    found.forEach(function (run, i) {
      if (isHan(run)) {
        var split = pieces(run);
        han(run, false); // the run's own pairs weigh in: pages with its words side by side lead
        split.kept.forEach(function (piece) {
          needed.push(piece);
          han(piece, true);
          if (loose) Array.from(piece).forEach(function (ch) { add(ch, true, false); });
        });
        split.cut.forEach(function (word) { han(word, false); });
      } else {
        var chars = Array.from(run);
        var word = chars.slice(0, WORD_MAX).join("");
        needed.push(word);
        add(word, open && i === found.length - 1 && chars.length >= 2, true);
      }
    });
    // Asking words alone (什么是): then they are what is asked for.
    if (!needed.length) units.forEach(function (u) { u.need = true; });
    return { query: query, runs: needed.length ? needed : found, squeezed: found.join(""), units: units };
  }
  function titleHas(data, n, unit) {
    if (!own.call(titleTerms, n)) {
      var set = {};
      terms(data.pages[n][1]).forEach(function (t) { set[t] = true; });
      titleTerms[n] = set;
    }
    var set2 = titleTerms[n];
    if (!unit.prefix) return own.call(set2, unit.term);
    return Object.keys(set2).some(function (t) { return t.indexOf(unit.term) === 0; });
  }

  // Every page holding at least one unit, best first: [{n, all, row}].
  function rank(data, q) {
    var count = data.pages.length;
    var need = q.units.map(function (unit) {
      return loadShard(data, shardOf(unit.term, data.shards)).then(function (shard) {
        return unit.prefix ? prefixPostings(shard, unit.term) : postings(shard, unit.term);
      });
    });
    return Promise.all(need).then(function (lists) {
      var held = new Uint16Array(count); // needed units held
      var cover = new Float64Array(count); // the weight of the units held: a rare one counts most
      var weight = new Float64Array(count);
      var needs = 0;
      lists.forEach(function (list, u) {
        var idf = Math.log(1 + count / (1 + list.size));
        var need = q.units[u].need;
        if (need) needs += 1;
        list.forEach(function (tf, n) {
          if (n >= count) return;
          if (need) held[n] += 1;
          cover[n] += idf;
          weight[n] += idf * tf / (tf + 1);
        });
      });
      var hits = [];
      for (var n = 0; n < count; n++) {
        if (!cover[n]) continue;
        var row = data.pages[n];
        var title = data.squeezed[n];
        var inTitle = 0;
        q.runs.forEach(function (run) { if (title.indexOf(run) >= 0) inTitle += 1; });
        var unitsInTitle = 0;
        q.units.forEach(function (unit) { if (titleHas(data, n, unit)) unitsInTitle += 1; });
        hits.push({
          n: n, row: row, all: held[n] === needs ? 1 : 0, cover: cover[n], exact: title === q.squeezed ? 1 : 0, inTitle: inTitle,
          question: row[2] === 0 ? 1 : 0, unitsInTitle: unitsInTitle, weight: weight[n], length: title.length,
        });
      }
      hits.sort(function (a, b) {
        return (b.all - a.all) || (b.all ? 0 : b.cover - a.cover) || (b.exact - a.exact) || (b.inTitle - a.inTitle) ||
               (b.question - a.question) || (b.unitsInTitle - a.unitsInTitle) ||
               (b.weight - a.weight) || (a.length - b.length) || (a.n - b.n);
      });
      return hits;
    });
  }
  // The results of `query`: {query, hits: [...], all: number of pages holding every unit}.
  function search(query) {
    var text = String(query || "");
    var q = parse(text, false);
    if (!q.units.length) return Promise.resolve({ query: q, hits: [], all: 0 });
    function result(data, found, hits) {
      var all = 0;
      hits.forEach(function (h) { if (h.all) all += 1; });
      return { query: found, hits: hits, all: all, data: data };
    }
    return loadMeta().then(function (data) {
      return rank(data, q).then(function (hits) {
        var first = result(data, q, hits);
        var loose = parse(text, true);
        if (first.all || loose.units.length === q.units.length) return first;
        return rank(data, loose).then(function (more) { return result(data, loose, more); });
      });
    });
  }
  function pageText(data, n) {
    if (!own.call(texts, n)) {
      var version = encodeURIComponent(String(data.id || ""));
      texts[n] = getJSON(DIR + "p/" + n + ".json?v=" + version).then(function (d) {
        return d && typeof d.t === "string" ? d.t : "";
      });
      texts[n].catch(function () { delete texts[n]; });
    }
    return texts[n];
  }
  // A page of this site: a relative path from meta.json, resolved under the root, nothing else.
  function hrefOf(row) {
    var url = new URL(String(row[0]), root);
    var ok = (url.protocol === "http:" || url.protocol === "https:") && url.href.indexOf(root.href) === 0;
    return ok ? url.href : root.href;
  }

  // --- snippets and marks -------------------------------------------------------------------
  // `text` folded as queries are (NFKC, lower case), a code point at a time, with where each
  // folded UTF-16 unit came from: a match in the folded text is marked at its place in `text`.
  function folded(text) {
    var out = "";
    var from = [];
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i);
      var ch = String.fromCodePoint(cp);
      var f = ch.normalize("NFKC").toLowerCase();
      for (var k = 0; k < f.length; k++) from.push(i);
      out += f;
      i += ch.length;
    }
    from.push(text.length);
    return { text: out, from: from };
  }
  // The places of the query's needed runs (else of its Han pairs) in `text`: [[start, end]].
  function places(text, q) {
    var f = folded(text);
    var found = [];
    function look(needle) {
      if (!needle) return false;
      var hit = false;
      for (var at = f.text.indexOf(needle); at >= 0; at = f.text.indexOf(needle, at + needle.length)) {
        found.push([f.from[at], f.from[at + needle.length]]);
        hit = true;
        if (found.length > 200) break;
      }
      return hit;
    }
    q.runs.forEach(function (run) {
      if (look(run) || !isHan(run)) return;
      q.units.forEach(function (unit) { if (Array.from(unit.term).length > 1 && run.indexOf(unit.term) >= 0) look(unit.term); });
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    found.forEach(function (p) {
      var last = merged[merged.length - 1];
      if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
      else merged.push([p[0], p[1]]);
    });
    return merged;
  }
  // `text` into `node`, with <mark> around `marks` (within [from, to)).
  function marked(node, text, marks, from, to) {
    var at = from;
    marks.forEach(function (m) {
      var s = Math.max(m[0], from), e = Math.min(m[1], to);
      if (e <= s) return;
      if (s > at) node.appendChild(document.createTextNode(text.slice(at, s)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s, e);
      node.appendChild(mark);
      at = e;
    });
    if (at < to) node.appendChild(document.createTextNode(text.slice(at, to)));
  }
  // An index that does not split a surrogate pair (moved back onto its first half).
  function whole(text, at) {
    var code = text.charCodeAt(at);
    return at > 0 && at < text.length && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
  }
  function snippet(node, text, q) {
    var marks = places(text, q);
    var start = marks.length ? Math.max(0, marks[0][0] - Math.floor(SNIPPET / 4)) : 0;
    if (start > 0) {
      var cut = text.lastIndexOf("\n", marks[0][0]);
      start = cut >= start ? cut + 1 : start;
    }
    start = whole(text, start);
    var end = whole(text, Math.min(text.length, start + SNIPPET));
    node.textContent = "";
    if (start > 0) node.appendChild(document.createTextNode("…"));
    marked(node, text.replace(/\n/g, " "), marks, start, end);
    if (end < text.length) node.appendChild(document.createTextNode("…"));
  }

  // --- the dialog ----------------------------------------------------------------------------
  var ui = null;
  var asked = 0; // the number of the latest query: an answer to an older one is dropped
  var latest = Promise.resolve(); // the latest query's run, for Enter to wait on
  var timer = null;
  var current = null;
  var before = null; // what had the focus when search opened
  var inerted = []; // the page's other parts, inert while the dialog is open
  var coarse = window.matchMedia ? window.matchMedia("(pointer: coarse)") : null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs) if (own.call(attrs, name)) node.setAttribute(name, attrs[name]);
    if (text != null) node.textContent = text;
    return node;
  }
  function build() {
    var box = el("div", { "class": "qadocs-find", role: "dialog", "aria-modal": "true", "aria-label": "搜索题目", hidden: "" });
    var panel = el("div", { "class": "qadocs-find__panel" });
    var form = el("form", { "class": "qadocs-find__form", role: "search" });
    var input = el("input", {
      "class": "qadocs-find__input", type: "search", name: "q", autocomplete: "off", autocapitalize: "off",
      spellcheck: "false", enterkeyhint: "search", placeholder: "搜索题目，例如：扩散模型", "aria-label": "搜索题目",
      "aria-controls": "qadocs-find-results",
    });
    var close = el("button", { type: "button", "class": "qadocs-find__close", "aria-label": "关闭搜索" }, "关闭");
    var status = el("p", { "class": "qadocs-find__status", role: "status", "aria-live": "polite" });
    var list = el("ol", { "class": "qadocs-find__results", id: "qadocs-find-results", "aria-label": "搜索结果" });
    var more = el("button", { type: "button", "class": "qadocs-find__more md-button", hidden: "" }, "显示更多");
    form.appendChild(input);
    form.appendChild(close);
    panel.appendChild(form);
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(more);
    box.appendChild(panel);
    document.body.appendChild(box);
    ui = { box: box, input: input, status: status, list: list, more: more, shown: 0 };

    // Typing waits for a pause; a paste, a committed IME word or a cleared box runs at once.
    input.addEventListener("input", function (e) {
      if (e.isComposing) return;
      clearTimeout(timer);
      if (e.inputType && e.inputType.indexOf("insertText") === 0 && input.value.trim()) timer = setTimeout(run, QUIET_MS);
      else run();
    });
    input.addEventListener("compositionend", function () { clearTimeout(timer); run(); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (coarse && coarse.matches) { input.blur(); return; } // a phone's 搜索 key: results, keyboard away
      clearTimeout(timer);
      run().then(function () {
        var first = list.querySelector("a.qadocs-find__hit");
        if (first) location.href = first.href;
      });
    });
    close.addEventListener("click", function () { hide(); });
    more.addEventListener("click", function () { show(current, ui.shown + PAGE); });
    box.addEventListener("click", function (e) { if (e.target === box) hide(); });
    box.addEventListener("keydown", function (e) {
      if (e.isComposing || e.keyCode === 229) return; // the IME's own keys
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      var links = Array.prototype.slice.call(list.querySelectorAll("a.qadocs-find__hit"));
      if (!links.length) return;
      e.preventDefault();
      var at = links.indexOf(document.activeElement);
      var next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    });
    document.addEventListener("keydown", function (e) {
      if (box.hidden || e.key !== "Escape" || e.isComposing || e.keyCode === 229) return;
      e.preventDefault();
      hide();
    });
    // A phone's back gesture closes search, as it closes any full-screen view, not the page.
    window.addEventListener("popstate", function () { if (!box.hidden) hide(true); });
  }
  function say(text) { ui.status.textContent = text; }
  function run() {
    var query = ui.input.value;
    var number = ++asked;
    if (!query.trim()) {
      ui.list.textContent = "";
      ui.more.hidden = true;
      say("输入题目或关键词，中英文、拼音均可");
      latest = Promise.resolve();
      return latest;
    }
    if (!meta) say("正在载入索引…");
    latest = search(query).then(function (result) {
      if (number !== asked) return;
      current = result;
      show(result, PAGE);
    }, function (error) {
      if (number !== asked) return;
      say(error && error.message === "format" ? "搜索索引的格式不对：请刷新页面" : "搜索索引载入失败，请检查网络后重试");
    });
    return latest;
  }
  function show(result, upTo) {
    var hits = result.hits;
    ui.list.textContent = "";
    if (!hits.length) {
      say("没有找到与“" + result.query.query.trim() + "”相关的题目");
      ui.more.hidden = true;
      return;
    }
    say(result.all ? "找到 " + result.all + " 个结果" : "没有同时包含所有词的页面，以下是部分匹配");
    var shownHits = hits.slice(0, result.all ? Math.min(upTo, result.all) : upTo);
    shownHits.forEach(function (hit) { ui.list.appendChild(item(result, hit)); });
    ui.shown = shownHits.length;
    ui.more.hidden = shownHits.length >= (result.all || hits.length);
  }
  function item(result, hit) {
    var data = result.data;
    var row = hit.row;
    var li = el("li", { "class": "qadocs-find__item" });
    var a = el("a", { "class": "qadocs-find__hit", href: hrefOf(row) });
    var title = el("span", { "class": "qadocs-find__title" });
    var text = String(row[1]);
    marked(title, text, places(text, result.query), 0, text.length);
    a.appendChild(title);
    var where = Array.isArray(data.where) ? data.where[row[3]] : "";
    if (where) a.appendChild(el("span", { "class": "qadocs-find__where" }, String(where)));
    var snip = el("span", { "class": "qadocs-find__snippet" });
    a.appendChild(snip);
    li.appendChild(a);
    pageText(data, hit.n).then(function (t) { if (t) snippet(snip, t, result.query); }, function () {});
    return li;
  }
  function open(query) {
    if (!ui) build();
    if (ui.box.hidden) {
      before = document.activeElement;
      inerted = Array.prototype.filter.call(document.body.children, function (node) {
        return node !== ui.box && !node.inert;
      });
      inerted.forEach(function (node) { node.inert = true; });
      try {
        // `?q=` has done its work (the query is in the box): a reload after closing stays closed.
        var params = new URLSearchParams(location.search);
        if (params.has("q")) {
          params.delete("q");
          var rest = params.toString();
          history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
        }
        history.pushState({ qadocsSearch: true }, "");
      } catch (e) { /* a sandboxed page: no history */ }
    }
    ui.box.hidden = false;
    document.documentElement.classList.add("qadocs-find-shown");
    if (typeof query === "string" && query) ui.input.value = query;
    ui.input.focus();
    loadMeta().catch(function () {});
    return run();
  }
  // `popped`: the back gesture already left the entry that open() pushed.
  function hide(popped) {
    if (!ui || ui.box.hidden) return;
    ui.box.hidden = true;
    document.documentElement.classList.remove("qadocs-find-shown");
    inerted.forEach(function (node) { node.inert = false; });
    inerted = [];
    if (!popped && history.state && history.state.qadocsSearch) history.back();
    if (before && before.focus) before.focus();
  }

  window.qadocsSearch = { open: open, close: hide, search: search, parse: parse, terms: terms, shardOf: shardOf };
})();
