/* claimgraph landscape page.
 *
 * Safety rule for this file: dataset text reaches the DOM only through textContent, createTextNode
 * or canvas labels, never through innerHTML/outerHTML/insertAdjacentHTML/document.write; links are
 * made only for http(s) urls (checked in Python and again here). The print picture is SVG built
 * with createElementNS, its text set with textContent; attributes hold only our own numbers,
 * colours and class names.
 *
 * The view (explore set, filters, dates, merging, selection) is one `state` object. It is written
 * to the URL fragment (#view:...) after every change, so a copied link reopens the same view, and
 * read back from it when the page opens or the fragment changes.
 */
(function () {
  "use strict";

  // performance marks (cg:*) say where a big page's opening time goes (benchmarks/, docs/html.md)
  function mark(name) { if (window.performance && performance.mark) performance.mark("cg:" + name); }
  mark("start");
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  mark("parsed");
  // a big page's data comes packed (claimgraph/viz/data.py, pack_page_data): columns, and each
  // repeated string (entity ids, predicates, statuses, dates, asserters, sources) once, in a
  // table, referred to by index. Unpacked here into what an unpacked page carries.
  if (data.packed) { unpack(data); mark("unpacked"); }
  function unpack(d) {
    var N = d.nodes, C = d.claims, S = d.sources, i, j;
    var nodes = new Array(N.id.length);
    for (i = 0; i < nodes.length; i++) {
      var n = { id: N.id[i], name: N.name[i], kind: d.kinds[N.kind[i]].name, aliases: N.aliases[i],
                notes: N.notes[i], size: N.size[i] };
      if (N.x) { n.x = N.x[i]; n.y = N.y[i]; }
      nodes[i] = n;
    }
    var sources = Object.create(null);
    for (i = 0; i < S.id.length; i++) {
      sources[S.id[i]] = { title: S.title[i], publisher: S.publisher[i], date: S.date[i], url: S.url[i],
                           shownUrl: S.shownUrl[i], tier: S.tier[i], lang: S.lang[i] };
    }
    var dates = d.dates, names = d.names, DATES = ["sd", "vf", "vu", "on", "hf"], TEXTS = ["t", "l", "v", "n"];
    var claims = new Array(C.id.length);
    for (i = 0; i < claims.length; i++) {
      var c = { id: C.id[i], s: N.id[C.s[i]], p: d.predicates[C.p[i]].name, st: d.statuses[C.st[i]].name };
      if (C.o[i] >= 0) c.o = N.id[C.o[i]];
      for (j = 0; j < TEXTS.length; j++) if (C[TEXTS[j]][i]) c[TEXTS[j]] = C[TEXTS[j]][i];
      for (j = 0; j < DATES.length; j++) if (C[DATES[j]][i] >= 0) c[DATES[j]] = dates[C[DATES[j]][i]];
      if (C.f[i] & 1) c.mm = 1;
      if (C.f[i] & 2) c.ud = 1;
      if (C.by[i].length) c.by = C.by[i].map(function (k) { return names[k]; });
      c.ev = C.ev[i].map(function (e) { return typeof e[0] === "number" ? [S.id[e[0]]].concat(e.slice(1)) : e; });
      claims[i] = c;
    }
    d.nodes = nodes; d.claims = claims; d.sources = sources;
    delete d.dates; delete d.names;
  }
  var meta = data.meta;
  var api = (window.claimgraph = { data: data, ready: false, readyAt: null, clicks: 0 });
  var isReport = document.body.classList.contains("cg-report");

  // -- indexes ------------------------------------------------------------------------------
  // every map keyed by dataset text has no prototype: an id such as "constructor", "toString"
  // or "__proto__" is a key like any other (in a {} it finds Object.prototype's members, and
  // assigning "__proto__" replaces the prototype instead of adding an entry)
  function dict() { return Object.create(null); }
  // vis-network keeps its nodes and edges in plain objects and arrays: an id that names a
  // member of Object.prototype, Array.prototype or Function.prototype ("constructor",
  // "length") goes to vis under another name (a prefix no dataset id can start with)
  var VIS = "\u0001cg:";
  function visId(id) {
    return id in Object.prototype || id in Array.prototype || id in Function.prototype ||
      String(id).indexOf(VIS) === 0 ? VIS + id : id;
  }
  function dataId(vid) { return typeof vid === "string" && vid.indexOf(VIS) === 0 ? vid.slice(VIS.length) : vid; }
  api.visId = visId; api.dataId = dataId;
  var sourceById = dict();
  Object.keys(data.sources).forEach(function (k) { sourceById[k] = data.sources[k]; });
  var nodeById = dict();
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  // a partial date (2016, 2019-06, 2025-10-08) covers its whole year or month
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function firstDay(p) {
    var a = p.split("-");
    return a[0] + "-" + (a[1] || "01") + "-" + (a[2] || "01");
  }
  function lastDay(p) {
    var a = p.split("-");
    if (a[2]) return p;
    if (a[1]) return a[0] + "-" + a[1] + "-" + pad(new Date(Date.UTC(+a[0], +a[1], 0)).getUTCDate());
    return a[0] + "-12-31";
  }
  api.dateRange = function (p) { return [firstDay(p), lastDay(p)]; };
  var DAY = /^\d{4}-\d{2}-\d{2}$/;
  // time axes (valid time now; a knowledge-time axis is one more entry in data.time.axes, with
  // its own start and end keys on each claim)
  var axes = (data.time && data.time.axes) || [];
  var predInfo = dict();
  data.predicates.forEach(function (p) { predInfo[p.name] = p; });
  var statusRank = dict();
  data.statuses.forEach(function (s, i) { statusRank[s.name] = data.statuses.length - i; });
  var claimById = dict();
  var claimsOfNode = dict();
  var pairClaims = dict();  // "a|b" (a < b) -> the relational claims between a and b, either way
  data.claims.forEach(function (c) {
    // expand the compact keys written by claimgraph/viz/data.py
    var pi = predInfo[c.p] || { stance: "attribute", sym: false };
    c.stance = pi.stance; c.sym = pi.sym;
    c.money = c.mm === 1;
    // a claim that moves money counts as financial too, whatever its predicate's stance
    c.stances = c.money && c.stance !== "financial" ? [c.stance, "financial"] : [c.stance];
    c.status = c.st; c.text = c.t; c.label = c.l || ""; c.value = c.v || null; c.o = c.o || null;
    // keyed by our own axis ids (data.time.axes), never by dataset text: plain objects, which V8
    // makes far faster than prototype-less ones (100,000 claims, three each)
    c.t0 = {}; c.t1 = {}; c.undatedOn = {};
    axes.forEach(function (a) {
      // an axis may say from when a claim without a start holds (valid time: hf, when it was
      // said or sourced; or where a period's own bounds say otherwise) and which claims have no date at all (ud: left out of a dated view)
      c.t0[a.id] = (a.held && c[a.held]) || (c[a.start] ? firstDay(c[a.start]) : null);
      c.undatedOn[a.id] = !c[a.start] && !!(a.undated && c[a.undated]);
      c.t1[a.id] = c[a.end] ? lastDay(c[a.end]) : null;
    });
    c.stated = c.sd || null; c.vfText = c.vf || null; c.vuText = c.vu || null;
    c.vf = c.vf ? firstDay(c.vf) : null; c.vu = c.vu ? lastDay(c.vu) : null;
    // valid time (docs/time.md): known to hold from vf, else from hf (when it was said or
    // sourced; an event's date); an undated claim (ud) is left out of an as-of view
    c.onText = c.on || null; c.from = c.hf || c.vf || null; c.undated = !!c.ud;
    c.by = c.by || []; c.notes = c.n || "";
    c.rank = statusRank[c.status] || 0;
    c.ev = (c.ev || []).map(function (e) {
      return { src: e[0], effect: e[1] ? "contradicts" : "supports", loc: e[2] || "", para: e[3] || "" };
    });
    claimById[c.id] = c;
    (claimsOfNode[c.s] || (claimsOfNode[c.s] = [])).push(c);
    if (c.o) {
      (claimsOfNode[c.o] || (claimsOfNode[c.o] = [])).push(c);
      if (c.o !== c.s) {
        c.pk = c.s < c.o ? c.s + "|" + c.o : c.o + "|" + c.s;
        (pairClaims[c.pk] || (pairClaims[c.pk] = [])).push(c);
      }
    }
  });
  // stances and kinds are styled by the vocabulary (data.stances, data.kinds); a stance the data
  // names without a style still gets its own filter and a grey line, never hidden
  var stanceColor = dict();
  var stanceLabel = dict();
  data.stances.forEach(function (s) { stanceColor[s.name] = s.color; stanceLabel[s.name] = s.label || s.name; });
  data.claims.forEach(function (c) {
    if (stanceColor[c.stance] === undefined) {
      data.stances.push({ name: c.stance, label: c.stance, color: "#888888" });
      stanceColor[c.stance] = "#888888"; stanceLabel[c.stance] = c.stance;
    }
  });
  var statusStyle = dict();
  data.statuses.forEach(function (s) { statusStyle[s.name] = s; });
  var kindStyle = dict();
  data.kinds.forEach(function (k) { kindStyle[k.name] = k; });
  var PAIR = "pair:";  // bundle edge ids; claim ids are slugs and never hold ':'

  // -- safe DOM helpers -----------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === "") continue;
      parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function button(cls, text, onClick) {
    var b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  var HTTP = /^https?:\/\/[^\s<>"']+$/i;
  function sourceLink(url, text) {
    if (typeof url === "string" && HTTP.test(url)) {
      var a = el("a", "cg-src-link", text);
      a.setAttribute("href", url);
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
      return a;
    }
    return el("span", "cg-src-title", text);
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fold(text) {
    return String(text).normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }
  function words(name) { return name.toLowerCase().replace(/_/g, " "); }
  function nameOf(id) { return nodeById[id] ? nodeById[id].name : id; }

  // -- the view state -------------------------------------------------------------------------
  var state;
  function defaultState() {
    var s = { statuses: dict(), stances: dict(), predicate: "", time: dict(), merge: false, isolated: false,
              explore: null, split: dict(), sel: null };
    data.statuses.forEach(function (x) { s.statuses[x.name] = true; });
    data.stances.forEach(function (x) { s.stances[x.name] = true; });
    axes.forEach(function (a) { s.time[a.id] = ""; });
    return s;
  }
  state = defaultState();

  function visible(c) {
    if (!state.statuses[c.status]) return false;
    var st = c.stances, ok = false;
    for (var i = 0; i < st.length; i++) if (state.stances[st[i]]) { ok = true; break; }
    if (!ok) return false;
    if (state.predicate && c.p !== state.predicate) return false;
    for (var j = 0; j < axes.length; j++) {
      var id = axes[j].id, day = state.time[id];
      if (!day) continue;
      if (c.undatedOn[id]) return false;
      if (c.t0[id] && day < c.t0[id]) return false;
      if (c.t1[id] && day > c.t1[id]) return false;
    }
    return true;
  }

  // -- the URL fragment ------------------------------------------------------------------------
  var VIEW = "#view:";
  function enc(v) { return encodeURIComponent(v).replace(/%2C/gi, ",").replace(/%7C/gi, "|").replace(/%3A/gi, ":"); }
  function encList(list) { return list.map(enc).join(","); }
  function encodeState() {
    var p = [];
    if (state.explore) {
      p.push("nodes=" + encList(state.explore.nodes));
      if (state.explore.open.length) p.push("open=" + encList(state.explore.open));
    }
    var st = Object.keys(state.statuses), on = st.filter(function (k) { return state.statuses[k]; });
    if (on.length !== st.length) p.push("status=" + encList(on));
    var sn = Object.keys(state.stances), son = sn.filter(function (k) { return state.stances[k]; });
    if (son.length !== sn.length) p.push("stance=" + encList(son));
    if (state.predicate) p.push("pred=" + enc(state.predicate));
    axes.forEach(function (a) { if (state.time[a.id]) p.push(a.id + "=" + enc(state.time[a.id])); });
    if (state.merge) {
      p.push("merge=1");
      var sp = Object.keys(state.split);
      if (sp.length) p.push("split=" + encList(sp));
    }
    if (state.isolated) p.push("iso=1");
    var s = state.sel;
    if (s) p.push((s.kind === "claims" && s.ids.length === 1 ? "claim" : s.kind) + "=" + encList(s.ids));
    return p.join("&");
  }
  function parseState(text) {
    var s = defaultState();
    if (!text) return s;
    text.split("&").forEach(function (part) {
      var i = part.indexOf("=");
      if (i < 0) return;
      var key = part.slice(0, i), raw = part.slice(i + 1);
      var val;
      try { val = decodeURIComponent(raw); } catch (e) { return; }
      var list = function () {
        return raw === "" ? [] : raw.split(",").map(function (x) { try { return decodeURIComponent(x); } catch (e) { return ""; } })
          .filter(Boolean);
      };
      if (key === "nodes" || key === "open") {
        s.explore = s.explore || { nodes: [], open: [] };
        s.explore[key] = list().filter(function (id) { return nodeById[id]; });
      } else if (key === "status" || key === "stance") {
        var group = key === "status" ? s.statuses : s.stances, want = dict();
        list().forEach(function (x) { want[x] = true; });
        Object.keys(group).forEach(function (k) { group[k] = !!want[k]; });
      } else if (key === "pred") {
        if (predInfo[val]) s.predicate = val;
      } else if (key === "merge") {
        s.merge = val === "1";
      } else if (key === "split") {
        list().forEach(function (pk) { if (pairClaims[pk]) s.split[pk] = true; });
      } else if (key === "iso") {
        s.isolated = val === "1";
      } else if (key === "node") {
        if (nodeById[val]) s.sel = { kind: "node", ids: [val] };
      } else if (key === "pair") {
        if (pairClaims[val]) s.sel = { kind: "pair", ids: [val] };
      } else if (key === "claim" || key === "claims") {
        var ids = list().filter(function (id) { return claimById[id]; });
        if (ids.length) s.sel = { kind: ids.length === 1 ? "claim" : "claims", ids: ids };
      } else if (key in s.time) {
        if (DAY.test(val)) s.time[key] = val;
      }
    });
    if (s.explore && !s.explore.nodes.length && !s.explore.open.length) s.explore = null;
    return s;
  }
  api.viewFragment = function () { var t = encodeState(); return t ? VIEW + t : ""; };
  var written = null, writeTimer = null, lastWrite = 0;
  function writeHash() {
    // at most a few times a second (a moving slider would otherwise flood the history API)
    var wait = 250 - (Date.now() - lastWrite);
    clearTimeout(writeTimer);
    if (wait > 0) { writeTimer = setTimeout(writeHash, wait); return; }
    lastWrite = Date.now();
    var t = encodeState();
    var frag = t ? VIEW + t : "";
    if (frag === written) return;
    written = frag;
    var here = location.hash;
    if (!frag && here.indexOf(VIEW) !== 0) return;  // leave the report's own anchors alone
    try {
      history.replaceState(null, "", frag || location.pathname + location.search);
    } catch (e) {
      // a sandboxed frame (the notebook view) may not change its address: the view still works
    }
  }
  function hashView() {
    var h = location.hash;
    if (h.indexOf(VIEW) === 0) return h.slice(VIEW.length);
    return null;
  }
  api.hashWritten = function () { return written; };

  var hashAtOpen = hashView();
  state = parseState(hashAtOpen !== null ? hashAtOpen : (meta.view || "").slice(VIEW.length));

  // -- vis data -------------------------------------------------------------------------------
  // a summary page (a big landscape) gives vis only what has been shown: vis builds its objects
  // for every item it is given, shown or hidden, and at 100,000 claims that alone took seconds
  var lazy = !!meta.summary;
  var inVisNode = dict(), inVisEdge = dict(), pendingEdge = dict();
  function visNode(n) {
    var ks = kindStyle[n.kind] || { color: "#888888", shape: "dot" };
    var item = {
      id: visId(n.id), label: n.name, shape: ks.shape, size: n.size,
      color: { background: ks.color, border: "#333333",
               highlight: { background: ks.color, border: "#000000" },
               hover: { background: ks.color, border: "#000000" } }
    };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }
  var visNodes = lazy ? [] : data.nodes.map(visNode);
  var visEdges = [];
  var baseOpacity = dict();
  function visEdge(c) {
    var st = statusStyle[c.status];
    var col = stanceColor[c.stance] || "#666666";
    // large graphs start without dashes and arrow heads (the costliest strokes to draw); they
    // return when the user zooms in (see edgeDetail below)
    var plain = meta.large && detailed !== true;  // (detailed: see edgeDetail below)
    var e = {
      id: visId(c.id), from: visId(c.s), to: visId(c.o), width: st.width, dashes: plain ? false : st.dashes,
      color: { color: col, highlight: col, hover: col, opacity: st.opacity },
      arrows: c.sym || plain ? "" : "to"
    };
    if (c.label) e.label = c.label;
    if (c.curve) e.smooth = { enabled: true, type: c.curve, roundness: c.round };
    return e;
  }
  data.claims.forEach(function (c) {
    if (!c.o) return;
    baseOpacity[c.id] = statusStyle[c.status].opacity;
    if (!lazy) visEdges.push(visEdge(c));
  });
  // vis's update adds the items it lacks: on a summary page, update only what vis holds (a
  // bundle not yet drawn takes the change in its waiting item)
  function nodeUpdate(list) {
    if (lazy) list = list.filter(function (u) { return inVisNode[dataId(u.id)]; });
    if (list.length) nodes.update(list);
  }
  function edgeUpdate(list) {
    if (lazy) {
      list = list.filter(function (u) {
        var id = dataId(u.id);
        if (!inVisEdge[id] && pendingEdge[id]) Object.assign(pendingEdge[id], u);
        return inVisEdge[id];
      });
    }
    if (list.length) edges.update(list);
  }

  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var BASE_FONT = 14, BASE_EDGE_FONT = 11;
  // what is drawn: recompute() works it out (nodeOn, edgeOn), apply() hides the rest with vis's
  // `hidden` (hidden nodes and edges are neither drawn nor picked; showing them again makes no
  // new vis objects, where a DataView refresh took seconds at 13,000 edges, changed or not)
  var nodeOn = dict(), edgeOn = dict();
  var drawnNode = dict(), drawnEdge = dict(), edgeIds = [];
  // these maps and lists hold data ids; vis gets them through visId (and gives back dataId)
  data.nodes.forEach(function (n) { drawnNode[n.id] = !lazy; });
  data.claims.forEach(function (c) { if (c.o) { drawnEdge[c.id] = !lazy; edgeIds.push(c.id); } });
  var laidOut = !!meta.large || data.nodes.length === 0;  // physics pages lay out everything first

  // -- what is shown --------------------------------------------------------------------------
  var counts = { claims: 0, edges: 0, nodes: 0 };
  var pairCount = dict();
  var bundlesMade = false;
  function exploreSet() {
    var ex = state.explore;
    if (!ex) return null;
    var set = dict();
    ex.nodes.forEach(function (id) { if (nodeById[id]) set[id] = true; });
    ex.open.forEach(function (id) {
      if (!nodeById[id]) return;
      set[id] = true;
      (claimsOfNode[id] || []).forEach(function (c) {
        if (c.o && visible(c)) { set[c.s] = true; set[c.o] = true; }
      });
    });
    return set;
  }
  function selectedNodes() {
    var s = state.sel, out = dict();
    if (s && s.kind === "node") out[s.ids[0]] = true;
    return out;
  }
  function makeBundles() {
    if (bundlesMade) return;
    bundlesMade = true;
    var items = [];
    Object.keys(pairClaims).forEach(function (pk) {
      var list = pairClaims[pk];
      if (list.length < 2) return;
      var ends = pk.split("|");
      drawnEdge[PAIR + pk] = false;
      edgeIds.push(PAIR + pk);
      items.push({ id: visId(PAIR + pk), pair: pk, from: visId(ends[0]), to: visId(ends[1]), width: 3, arrows: "", hidden: true,
                   label: "×" + list.length, color: { color: "#555555", highlight: "#222222", hover: "#222222", opacity: 0.9 },
                   font: { size: BASE_EDGE_FONT + 1, strokeWidth: 4 }, smooth: meta.large ? false : { enabled: false } });
      baseOpacity[PAIR + pk] = 0.9;
    });
    if (lazy) items.forEach(function (it) { pendingEdge[dataId(it.id)] = it; });
    else edges.add(items);
  }
  function recompute() {
    var ex = exploreSet();
    var inView = function (id) { return !ex || ex[id] === true; };
    var degree = dict();
    var pc = dict();
    var drawable = [];
    for (var i = 0; i < data.claims.length; i++) {
      var c = data.claims[i];
      if (!c.o || !visible(c) || !inView(c.s) || !inView(c.o)) continue;
      drawable.push(c);
      degree[c.s] = (degree[c.s] || 0) + 1;
      degree[c.o] = (degree[c.o] || 0) + 1;
      if (c.pk) pc[c.pk] = (pc[c.pk] || 0) + 1;
    }
    var keepSel = selectedNodes();
    nodeOn = dict();
    var nn = 0;
    data.nodes.forEach(function (n) {
      if (inView(n.id) && (!state.isolated || degree[n.id] > 0 || keepSel[n.id])) { nodeOn[n.id] = true; nn++; }
    });
    edgeOn = dict();
    var ne = 0;
    if (state.merge) makeBundles();
    var labels = [];
    drawable.forEach(function (c) {
      var merged = state.merge && c.pk && !state.split[c.pk] && pc[c.pk] >= 2;
      if (merged) {
        var b = PAIR + c.pk;
        if (!edgeOn[b]) {
          edgeOn[b] = true; ne++;
          if (pairCount[c.pk] !== pc[c.pk]) labels.push({ id: visId(b), label: "×" + pc[c.pk], width: Math.min(2 + pc[c.pk], 8) });
        }
      } else {
        edgeOn[c.id] = true; ne++;
      }
    });
    if (labels.length) edgeUpdate(labels);
    pairCount = pc;
    counts = { claims: drawable.length, edges: ne, nodes: nn };
  }
  function apply() {
    var nu = [], eu = [], i, id, on, item;
    for (i = 0; i < data.nodes.length; i++) {
      id = data.nodes[i].id; on = nodeOn[id] === true;
      if (on === drawnNode[id]) continue;
      drawnNode[id] = on;
      if (!lazy || inVisNode[id]) nu.push({ id: visId(id), hidden: !on });
      else { nu.push(visNode(data.nodes[i])); inVisNode[id] = true; }  // shown for the first time
    }
    for (i = 0; i < edgeIds.length; i++) {
      id = edgeIds[i]; on = edgeOn[id] === true;
      if (on === drawnEdge[id]) continue;
      drawnEdge[id] = on;
      if (!lazy || inVisEdge[id]) eu.push({ id: visId(id), hidden: !on });
      else {
        item = claimById[id] ? visEdge(claimById[id]) : pendingEdge[id];
        item.hidden = false;
        eu.push(item); inVisEdge[id] = true; delete pendingEdge[id];
      }
    }
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
  }
  function shownNodeIds() { return Object.keys(nodeOn); }

  var options = {
    autoResize: true,
    nodes: {
      borderWidth: 1,
      font: { size: BASE_FONT, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 7 } }
    },
    edges: {
      font: { size: BASE_EDGE_FONT, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff", align: "horizontal" },
      arrows: { to: { scaleFactor: 0.55 } },
      selectionWidth: 2,
      smooth: meta.large ? false : { enabled: true, type: "continuous", roundness: 0.2 }
    },
    layout: { randomSeed: 7, improvedLayout: !meta.large },
    physics: meta.large ? false : {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -80, springLength: 140, avoidOverlap: 0.6 },
      stabilization: { enabled: true, iterations: 400, updateInterval: 100, fit: true }
    },
    interaction: {
      // hover is ours (see pick): the tooltip and a click name the same thing at the same point
      hover: false, tooltipDelay: 120, hideEdgesOnDrag: meta.large, hideEdgesOnZoom: meta.large,
      keyboard: false, multiselect: false
    }
  };

  mark("indexed");
  if (laidOut) { recompute(); apply(); }  // positions are known: draw the view straight away
  var container = document.getElementById("cg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  mark("network");
  api.network = network; api.nodes = nodes; api.edges = edges;
  // what vis draws (and picks from): not hidden, both ends shown
  api.shownNodes = function () { return network.body.nodeIndices.map(dataId); };
  api.shownEdges = function () { return network.body.edgeIndices.map(dataId); };

  // the first positions, to return to after a new layout
  var firstPositions = null;
  // positions of these entities (data ids), keyed by data id
  function positionsOf(ids) {
    var pos = network.getPositions(ids.map(visId)), out = dict();
    Object.keys(pos).forEach(function (v) { out[dataId(v)] = pos[v]; });
    return out;
  }
  function keepPositions(ids) {
    var pos = positionsOf(ids);
    var upd = [];
    Object.keys(pos).forEach(function (id) { upd.push({ id: visId(id), x: pos[id].x, y: pos[id].y }); });
    nodeUpdate(upd);
    return pos;
  }

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyAt = performance.now();
    mark("ready");
    document.body.setAttribute("data-ready", "1");
  }

  // level of detail for large graphs: dashes and arrows only when zoomed in
  var detailed = !meta.large;
  var DETAIL_SCALE = 0.6;
  function edgeDetail(on) {
    detailed = on;
    var upd = [];
    data.claims.forEach(function (c) {
      if (!c.o || (lazy && !inVisEdge[c.id])) return;  // the others get it when first drawn
      upd.push({ id: visId(c.id), dashes: on ? statusStyle[c.status].dashes : false, arrows: on && !c.sym ? "to" : "" });
    });
    edgeUpdate(upd);
    document.body.setAttribute("data-detail", on ? "1" : "0");
  }
  api.edgeDetail = edgeDetail;

  // labels: at least MIN_LABEL_PX on screen (vis draws them at font size x zoom, and not at all
  // below 7 px) whenever a few hundred nodes or fewer are shown; on a full large graph they appear
  // as you zoom in, as vis draws them
  var MIN_LABEL_PX = 12, MIN_EDGE_LABEL_PX = 10, LABEL_NODES = 250, MAX_GROWTH = 3.5;
  var fontNow = BASE_FONT, edgeFontNow = BASE_EDGE_FONT;
  function adaptLabels() {
    var scale = network.getScale();
    var few = counts.nodes <= LABEL_NODES;
    var f = few ? Math.min(BASE_FONT * MAX_GROWTH, Math.max(BASE_FONT, MIN_LABEL_PX / scale)) : BASE_FONT;
    var fe = few ? Math.min(BASE_EDGE_FONT * MAX_GROWTH, Math.max(BASE_EDGE_FONT, MIN_EDGE_LABEL_PX / scale)) : BASE_EDGE_FONT;
    if (Math.abs(f - fontNow) / fontNow < 0.03 && Math.abs(fe - edgeFontNow) / edgeFontNow < 0.03) return;
    fontNow = f; edgeFontNow = fe;
    network.setOptions({ nodes: { font: { size: f } }, edges: { font: { size: fe } } });
  }
  api.labelPx = function () { return fontNow * network.getScale(); };
  api.edgeLabelPx = function () { return edgeFontNow * network.getScale(); };
  var zoomQueued = false;
  network.on("zoom", function () {
    if (zoomQueued) return;
    zoomQueued = true;
    requestAnimationFrame(function () {
      zoomQueued = false;
      if (meta.large) {
        var on = network.getScale() >= DETAIL_SCALE;
        if (on !== detailed) edgeDetail(on);
      }
      adaptLabels();
    });
  });

  function fitView() {
    var ids = shownNodeIds();
    if (!ids.length) return;
    if (ids.length === data.nodes.length) network.fit({ animation: false });
    else network.fit({ nodes: ids.map(visId), animation: false });
    if (ids.length === 1) network.moveTo({ scale: 1, animation: false });
    adaptLabels();
  }
  api.fit = fitView;

  // -- counts ---------------------------------------------------------------------------------
  var countEl = document.getElementById("cg-count");
  function updateCount() {
    var n = counts.edges;
    document.body.setAttribute("data-visible-edges", String(n));
    document.body.setAttribute("data-visible-claims", String(counts.claims));
    document.body.setAttribute("data-visible-nodes", String(counts.nodes));
    clear(countEl);
    var text = counts.claims + " of " + meta.relations + " relations shown";
    if (state.merge && n !== counts.claims) text += " (drawn as " + n + " edges)";
    text += " · " + (counts.nodes === meta.entities ? meta.entities + " entities" : counts.nodes + " of " + meta.entities + " entities");
    text += " · " + meta.valueClaims + " value claims · " + meta.sources + " sources";
    add(countEl, text);
  }
  api.visibleEdgeCount = function () { return counts.edges; };
  api.drawnCounts = function () {
    return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
  };
  api.countText = function () { return countEl.textContent; };

  // -- controls -------------------------------------------------------------------------------
  function swatchLine(color, st) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", "34"); svg.setAttribute("height", "10"); svg.setAttribute("class", "cg-swatch");
    var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    line.setAttribute("x1", "1"); line.setAttribute("y1", "5"); line.setAttribute("x2", "33"); line.setAttribute("y2", "5");
    line.setAttribute("stroke", color);
    line.setAttribute("stroke-width", String(st ? Math.max(st.width, 1.5) : 3));
    if (st) {
      line.setAttribute("stroke-opacity", String(Math.max(st.opacity, 0.3)));
      if (st.dashes) line.setAttribute("stroke-dasharray", st.dashes.join(" "));
    }
    svg.appendChild(line);
    return svg;
  }
  function swatchShape(color, shape) {
    var s = el("span", "cg-shape cg-shape-" + shape);
    s.style.background = color;
    return s;
  }
  function checkbox(group, name, labelChildren) {
    var row = el("div", "cg-check-row");
    var label = el("label", "cg-check");
    var box = el("input");
    box.type = "checkbox"; box.checked = true;
    box.setAttribute("data-group", group); box.setAttribute("data-name", name);
    box.addEventListener("change", function () { state[group][name] = box.checked; changed(); });
    label.appendChild(box);
    labelChildren.forEach(function (c) { add(label, c); });
    row.appendChild(label);
    // show this one alone
    var only = button("cg-only", "only", function () {
      Object.keys(state[group]).forEach(function (k) { state[group][k] = k === name; });
      changed();
    });
    only.setAttribute("data-group", group); only.setAttribute("data-name", name);
    only.setAttribute("title", "show only " + name);
    row.appendChild(only);
    return row;
  }
  function allButton(group) {
    var b = button("cg-all", "all", function () {
      Object.keys(state[group]).forEach(function (k) { state[group][k] = true; });
      changed();
    });
    b.setAttribute("data-group", group);
    return b;
  }
  var statusBox = document.getElementById("cg-f-status");
  if (meta.large) {
    statusBox.appendChild(el("div", "cg-muted", "Large graph: dashes and arrows appear when you zoom in; faded lines are weaker claims."));
  }
  data.statuses.forEach(function (s) {
    statusBox.appendChild(checkbox("statuses", s.name, [swatchLine("#444444", s), " " + s.name,
      el("span", "cg-muted", " " + s.pattern)]));
  });
  statusBox.appendChild(allButton("statuses"));
  var stanceBox = document.getElementById("cg-f-stance");
  data.stances.forEach(function (s) {
    stanceBox.appendChild(checkbox("stances", s.name, [swatchLine(s.color, null), " " + stanceLabel[s.name]]));
  });
  stanceBox.appendChild(allButton("stances"));
  if (data.claims.some(function (c) { return c.money && c.stance !== "financial"; })) {
    stanceBox.appendChild(el("div", "cg-muted", "Financial includes every claim that moves money (an amount invested, paid or committed), whatever its predicate."));
  }
  var predSel = document.getElementById("cg-f-predicate");
  add(predSel, el("option", null, "all predicates"));
  predSel.firstChild.value = "";
  data.predicates.forEach(function (p) {
    var o = el("option", null, words(p.name) + " (" + (stanceLabel[p.stance] || p.stance) + ")");
    o.value = p.name;
    predSel.appendChild(o);
  });
  predSel.addEventListener("change", function () { state.predicate = predSel.value; changed(); });

  // time: a slider per axis over the days where claims start or stop holding; its last position
  // is "all dates"; the date field sets the valid-time day directly
  var timeBox = document.getElementById("cg-time");
  var sliders = dict();
  axes.forEach(function (a) {
    var row = el("div", "cg-slider-row");
    var lab = el("label", "cg-slider-label", a.label + " ");
    var out = el("output", "cg-slider-value");
    var r = el("input", "cg-slider");
    r.type = "range"; r.min = "0"; r.max = String(a.stops.length); r.step = "1"; r.value = String(a.stops.length);
    r.setAttribute("data-axis", a.id);
    r.setAttribute("aria-label", a.label);
    var queued = false;
    r.addEventListener("input", function () {
      var i = +r.value;
      state.time[a.id] = i >= a.stops.length ? "" : a.stops[i];
      out.textContent = state.time[a.id] || "all dates";
      if (queued) return;  // redraw as it moves, at most once a frame
      queued = true;
      requestAnimationFrame(function () { queued = false; changed(); });
    });
    add(lab, out);
    add(row, lab, r);
    if (a.stops.length) {
      add(row, el("div", "cg-muted cg-slider-ends", a.stops[0] + " … " + a.stops[a.stops.length - 1] + " · all"));
    }
    timeBox.appendChild(row);
    sliders[a.id] = { input: r, out: out, axis: a };
  });
  function sliderIndex(a, day) {
    if (!day) return a.stops.length;
    // the last stop on or before the day (the set of claims is the same until the next stop)
    var lo = 0, hi = a.stops.length - 1, best = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (a.stops[mid] <= day) { best = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  }
  var dateIn = document.getElementById("cg-f-date");
  dateIn.addEventListener("change", function () {
    var v = dateIn.value || "";
    if (v && !DAY.test(v)) return;
    state.time.valid = v; changed();
  });
  document.getElementById("cg-f-date-clear").addEventListener("click", function () {
    axes.forEach(function (a) { state.time[a.id] = ""; });
    changed();
  });
  var kindBox = document.getElementById("cg-legend-kinds");
  data.kinds.forEach(function (k) {
    add(kindBox, add(el("span", "cg-legend-item"), swatchShape(k.color, k.shape), " " + (k.label || k.name)));
  });
  var isoBox = document.getElementById("cg-f-isolated");
  isoBox.addEventListener("change", function () { state.isolated = isoBox.checked; changed(); });
  var mergeBox = document.getElementById("cg-f-merge");
  mergeBox.addEventListener("change", function () { state.merge = mergeBox.checked; state.split = dict(); changed(); });

  var exploreBox = document.getElementById("cg-explore");
  // a new layout of what is shown (physics from the current positions), up to this many nodes
  var RELAYOUT_LIMIT = 400, relayoutRunning = false;
  var relayoutBtn = document.getElementById("cg-relayout");
  function syncControls() {
    document.querySelectorAll("input[data-group]").forEach(function (b) {
      b.checked = !!state[b.getAttribute("data-group")][b.getAttribute("data-name")];
    });
    predSel.value = state.predicate;
    dateIn.value = state.time.valid || "";
    Object.keys(sliders).forEach(function (id) {
      var s = sliders[id];
      s.input.value = String(sliderIndex(s.axis, state.time[id]));
      s.out.textContent = state.time[id] || "all dates";
    });
    isoBox.checked = state.isolated;
    mergeBox.checked = state.merge;
    relayoutBtn.disabled = relayoutRunning || counts.nodes > RELAYOUT_LIMIT;
    clear(exploreBox);
    if (state.explore) {
      var ex = state.explore;
      var root = ex.nodes.concat(ex.open).filter(function (id, i, all) { return nodeById[id] && all.indexOf(id) === i; });
      var top = meta.top || [];
      var isTop = meta.summary && !ex.open.length && ex.nodes.length === top.length &&
        ex.nodes.every(function (id, i) { return id === top[i]; });
      add(exploreBox, el("div", "cg-explore-state", isTop
        ? "A big landscape: showing its " + top.length + " most influential entities and the ties between them (" +
          counts.nodes + " of " + meta.entities + " entities). Search for any entity; click one for its claims, double-click (or use its panel) to expand it."
        : "Exploring from " + root.slice(0, 3).map(nameOf).join(", ") + (root.length > 3 ? " and " + (root.length - 3) + " more" : "") +
          ": " + counts.nodes + " of " + meta.entities + " entities. Double-click a node (or use its panel) to expand it."),
        button("cg-show-all", "show everything", function () { state.explore = null; changed(); fitView(); }));
      if (meta.summary) add(exploreBox, el("div", "cg-muted", "(everything is " + meta.entities + " entities and " + meta.relations + " relations: slow to draw)"));
    } else {
      add(exploreBox, el("div", "cg-muted", "Showing everything. Search for an entity or click one, then “explore from here” to grow the graph one node at a time."));
    }
  }

  // -- claim rendering ------------------------------------------------------------------------
  function dates(c) {
    var parts = [];
    if (c.stated) parts.push("stated " + c.stated);
    if (c.onText) parts.push("on " + c.onText);
    if (c.vfText || c.vuText) parts.push("valid " + (c.vfText || "…") + " – " + (c.vuText || "…"));
    return parts.join(" · ");
  }
  function claimBlock(c, withLinks) {
    var box = el("div", "cg-claim cg-status-" + c.status);
    box.setAttribute("data-claim", c.id);
    if (!visible(c)) box.classList.add("cg-filtered");
    var head = el("div", "cg-claim-text");
    add(head, el("span", "cg-badge cg-badge-" + c.status, c.status), " ", c.text);
    box.appendChild(head);
    var sub = el("div", "cg-claim-meta");
    add(sub, (stanceLabel[c.stance] || c.stance) + (c.money && c.stance !== "financial" ? " (moves money: financial too)" : "") + " · " + words(c.p));
    var d = dates(c);
    if (d) add(sub, " · " + d);
    if (c.by.length) add(sub, " · asserted by " + c.by.join(", "));
    add(sub, " · id " + c.id);
    box.appendChild(sub);
    if (c.notes) box.appendChild(el("div", "cg-claim-notes", c.notes));
    var list = el("ul", "cg-sources");
    c.ev.forEach(function (ev) {
      var s = sourceById[ev.src];
      var li = el("li", "cg-ev-" + ev.effect);
      add(li, el("span", "cg-effect", ev.effect === "supports" ? "supports" : "contradicts"), " ");
      if (s) {
        add(li, withLinks ? sourceLink(s.url, s.title) : el("span", "cg-src-title", s.title),
            " — " + s.publisher + (s.date ? ", " + s.date : "") + " (" + s.tier + ")");
        if (!s.url && s.shownUrl) add(li, el("span", "cg-muted", " [link not opened: not http(s)]"));
      } else {
        add(li, ev.src);
      }
      if (ev.loc) add(li, el("span", "cg-muted", " · " + ev.loc));
      if (ev.para) add(li, el("div", "cg-para", "“" + ev.para + "”"));
      list.appendChild(li);
    });
    box.appendChild(list);
    return box;
  }
  function strongestFirst(a, b) {
    return (b.rank - a.rank) || (visible(b) - visible(a)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  function statusSummary(list) {
    var n = dict();
    list.forEach(function (c) { n[c.status] = (n[c.status] || 0) + 1; });
    return data.statuses.filter(function (s) { return n[s.name]; })
      .map(function (s) { return n[s.name] + " " + s.name; }).join(" · ");
  }

  // -- details panel and selection -------------------------------------------------------------
  var details = document.getElementById("cg-details");
  var LIST_PAGE = 60;
  var dimmed = false;

  // the entities and edges a selection keeps bright
  function keepOf(sel) {
    if (!sel) return null;
    var kn = dict(), ke = dict();
    function keepClaim(c) {
      kn[c.s] = true;
      if (c.o) { kn[c.o] = true; ke[c.id] = true; if (c.pk) ke[PAIR + c.pk] = true; }
    }
    if (sel.kind === "node") {
      var id = sel.ids[0];
      kn[id] = true;
      (claimsOfNode[id] || []).forEach(function (c) { if (c.o && visible(c)) keepClaim(c); });
    } else if (sel.kind === "pair") {
      (pairClaims[sel.ids[0]] || []).forEach(keepClaim);
    } else {
      sel.ids.forEach(function (cid) { if (claimById[cid]) keepClaim(claimById[cid]); });
    }
    return { nodes: kn, edges: ke };
  }
  function unselect() {  // only when something is selected: vis redraws on every call
    if (network.getSelectedNodes().length || network.getSelectedEdges().length) network.unselectAll();
  }
  function highlight() {
    var keep = keepOf(state.sel);
    if (meta.large) {
      // thousands of nodes: select the neighbourhood (drawn highlighted) instead of restyling all
      if (keep) {
        network.setSelection({ nodes: Object.keys(keep.nodes).filter(function (id) { return nodeOn[id]; }).map(visId),
                               edges: Object.keys(keep.edges).filter(function (id) { return edgeOn[id]; }).map(visId) },
                             { unselectAll: true, highlightEdges: false });
      } else {
        unselect();
      }
      return;
    }
    // vis draws what it picked on a click as selected: make that what we picked
    var s = state.sel;
    if (!s) unselect();
    else if (s.kind === "node") {
      if (nodeOn[s.ids[0]]) network.selectNodes([visId(s.ids[0])]); else unselect();
    } else {
      network.setSelection({ nodes: [], edges: Object.keys(keep.edges).filter(function (id) { return edgeOn[id]; }).map(visId) },
                           { unselectAll: true, highlightEdges: false });
    }
    if (!keep && !dimmed) return;
    var upd = [];
    data.nodes.forEach(function (n) {
      upd.push({ id: visId(n.id), opacity: !keep || keep.nodes[n.id] ? 1 : 0.15 });
    });
    nodeUpdate(upd);
    var eupd = [];
    edges.forEach(function (e) {
      var base = baseOpacity[dataId(e.id)];
      var op = !keep || keep.edges[dataId(e.id)] ? base : Math.min(base, 0.1);
      eupd.push({ id: e.id, color: { color: e.color.color, highlight: e.color.highlight, hover: e.color.hover, opacity: op } });
    });
    edgeUpdate(eupd);
    dimmed = !!keep;
  }
  api.edgeOpacity = function (id) { var e = edges.get(visId(id)); return e ? e.color.opacity : null; };

  function claimList(cl, grouped) {
    var list = el("div", "cg-claim-list");
    var lastGroup = null;
    function render(upto) {
      clear(list);
      lastGroup = null;
      cl.slice(0, upto).forEach(function (c) {
        if (grouped && c.p !== lastGroup) {
          lastGroup = c.p;
          var members = cl.filter(function (x) { return x.p === c.p; });
          var h = el("h4", "cg-group", words(c.p) + " (" + members.length + ")");
          h.setAttribute("data-predicate", c.p);
          add(h, el("span", "cg-muted", " " + statusSummary(members)));
          list.appendChild(h);
        }
        list.appendChild(claimBlock(c, true));
      });
    }
    render(LIST_PAGE);
    var wrap = el("div");
    wrap.appendChild(list);
    if (cl.length > LIST_PAGE) {  // a hub may have thousands: render the rest on demand
      var more = button("cg-more", "show all " + cl.length + " claims", function () {
        more.remove();
        render(cl.length);
      });
      wrap.appendChild(more);
    }
    return wrap;
  }
  // the entity's claims grouped by predicate, groups and claims strongest first
  function groupedClaims(id) {
    var groups = dict();
    (claimsOfNode[id] || []).forEach(function (c) { (groups[c.p] || (groups[c.p] = [])).push(c); });
    var keys = Object.keys(groups);
    keys.forEach(function (k) { groups[k].sort(strongestFirst); });
    keys.sort(function (a, b) {
      var ga = groups[a], gb = groups[b];
      return (gb[0].rank - ga[0].rank) || (gb.length - ga.length) || (a < b ? -1 : 1);
    });
    var out = [];
    keys.forEach(function (k) { out = out.concat(groups[k]); });
    return out;
  }
  function neighboursHidden(id) {
    var ex = exploreSet(), n = 0, seen = dict();
    (claimsOfNode[id] || []).forEach(function (c) {
      if (!c.o || !visible(c)) return;
      var other = c.s === id ? c.o : c.s;
      if (!seen[other] && (!ex || !ex[other])) { seen[other] = true; n++; }
    });
    return n;
  }
  function renderNode(id) {
    var n = nodeById[id];
    var h = el("h2", null, n.name);
    details.appendChild(h);
    add(details, el("div", "cg-muted", n.kind + " · id " + n.id));
    if (n.aliases.length) add(details, el("div", "cg-aliases", "also: " + n.aliases.join(" · ")));
    if (n.notes) add(details, el("p", "cg-notes", n.notes));
    var acts = el("div", "cg-buttons cg-node-actions");
    var ex = state.explore;
    var isOpen = ex && ex.open.indexOf(id) >= 0;
    if (!ex) {
      acts.appendChild(button("cg-explore-here", "explore from here", function () { exploreFrom(id); }));
    } else if (!isOpen) {
      var hidden = neighboursHidden(id);
      acts.appendChild(button("cg-expand", "expand: show its " + hidden + " hidden neighbour" + (hidden === 1 ? "" : "s"),
        function () { expand(id); }));
    } else {
      acts.appendChild(button("cg-collapse", "collapse its neighbours", function () { collapse(id); }));
    }
    if (ex) acts.appendChild(button("cg-explore-here", "start again from here", function () { exploreFrom(id); }));
    details.appendChild(acts);
    var cl = groupedClaims(id);
    var shown = cl.filter(visible).length;
    add(details, el("h3", null, cl.length + " claims (" + shown + " pass the filters), by predicate, strongest first"));
    var wrap = claimList(cl, true);
    wrap.firstChild.setAttribute("data-node", id);
    details.appendChild(wrap);
  }
  function renderPair(pk) {
    var list = (pairClaims[pk] || []).slice().sort(strongestFirst);
    var ends = pk.split("|");
    details.appendChild(el("h2", null, nameOf(ends[0]) + " – " + nameOf(ends[1])));
    add(details, el("div", "cg-muted", list.length + " claims between them · " + statusSummary(list)));
    var acts = el("div", "cg-buttons");
    if (state.merge && !state.split[pk]) {
      acts.appendChild(button("cg-split", "draw them separately", function () {
        state.split[pk] = true; state.sel = { kind: "claims", ids: list.map(function (c) { return c.id; }) }; changed();
      }));
    }
    details.appendChild(acts);
    details.appendChild(claimList(list, false));
  }
  function renderClaims(ids) {
    var list = ids.map(function (i) { return claimById[i]; }).filter(Boolean);
    details.appendChild(el("h2", null, list.length === 1 ? "Claim" : list.length + " claims"));
    if (list.length === 1) { details.appendChild(claimBlock(list[0], true)); return; }
    list.sort(strongestFirst);
    details.appendChild(claimList(list, false));
  }
  function renderDetails() {
    clear(details);
    var s = state.sel;
    if (s && s.kind === "node" && nodeById[s.ids[0]]) renderNode(s.ids[0]);
    else if (s && s.kind === "pair" && pairClaims[s.ids[0]]) renderPair(s.ids[0]);
    else if (s && (s.kind === "claim" || s.kind === "claims")) renderClaims(s.ids);
    else {
      state.sel = null;
      add(details, el("p", "cg-muted", "Click a node to see its neighbourhood and claims; click an edge for its sources. " +
        "Double-click a node to explore from it."));
    }
    if (state.sel) {
      document.body.setAttribute("data-selected", state.sel.kind === "pair" ? PAIR + state.sel.ids[0] : state.sel.ids.join(","));
      document.body.classList.add("cg-has-selection");
    } else {
      document.body.removeAttribute("data-selected");
      document.body.classList.remove("cg-has-selection");
    }
  }

  // -- exploring -------------------------------------------------------------------------------
  function exploreFrom(id) {
    state.explore = { nodes: [id], open: [id] };
    state.sel = { kind: "node", ids: [id] };
    changed();
    fitView();
  }
  function expand(id) {
    var ex = state.explore;
    if (!ex) { exploreFrom(id); return; }
    if (ex.nodes.indexOf(id) < 0) ex.nodes.push(id);
    if (ex.open.indexOf(id) < 0) ex.open.push(id);
    state.sel = { kind: "node", ids: [id] };
    changed();
    fitView();
  }
  function collapse(id) {
    var ex = state.explore;
    if (!ex) return;
    ex.open = ex.open.filter(function (x) { return x !== id; });
    if (ex.nodes.indexOf(id) < 0) ex.nodes.push(id);
    changed();
  }
  api.exploreFrom = exploreFrom;
  api.expand = expand;

  // -- changes ---------------------------------------------------------------------------------
  function changed() {
    if (!laidOut) { syncControls(); return; }
    recompute();
    apply();
    highlight();
    updateCount();
    syncControls();
    renderDetails();
    writeHash();
  }
  api.setFilter = function (patch) {
    Object.keys(patch).forEach(function (k) {
      if (k === "asOf") state.time.valid = patch[k];
      else state[k] = patch[k];
    });
    changed();
  };
  function applyView(text, fit) {
    state = parseState(text);
    written = null;
    changed();
    if (fit && laidOut) {
      if (state.explore) fitView();
      else if (state.sel && state.sel.kind !== "node") {
        var keep = keepOf(state.sel);
        var ids = Object.keys(keep.nodes).filter(function (id) { return nodeOn[id]; });
        if (ids.length) { network.fit({ nodes: ids.map(visId), animation: false }); adaptLabels(); }
      } else if (state.sel) {
        focusNode(state.sel.ids[0]);
      } else fitView();
    }
  }
  api.applyView = function (frag) { applyView(frag.indexOf(VIEW) === 0 ? frag.slice(VIEW.length) : frag, true); };
  window.addEventListener("hashchange", function () {
    var v = hashView();
    if (v === null || VIEW + v === written) return;
    applyView(v, true);
    if (isReport) container.scrollIntoView();
  });

  function focusNode(id) {
    if (!nodeOn[id]) return;
    if (!meta.large) network.selectNodes([visId(id)]);
    network.focus(visId(id), { scale: Math.max(network.getScale(), 0.8), animation: false });
    adaptLabels();
    if (!meta.large) highlight();
  }
  function selectNode(id, focus) {
    if (!nodeById[id]) return;
    if (state.explore && !nodeOn[id]) {
      // a searched entity outside the explored part joins it
      if (state.explore.nodes.indexOf(id) < 0) state.explore.nodes.push(id);
    }
    state.sel = { kind: "node", ids: [id] };
    changed();
    if (focus) focusNode(id);
    api.clicks += 1;
  }
  function selectEdge(id) {
    if (id.indexOf(PAIR) === 0) state.sel = { kind: "pair", ids: [id.slice(PAIR.length)] };
    else if (claimById[id]) state.sel = { kind: "claim", ids: [id] };
    else return;
    changed();
    api.clicks += 1;
  }
  function clearSelection() {
    state.sel = null;
    changed();
  }
  api.selectNode = function (id) { selectNode(id, true); };
  api.selectEdge = selectEdge;

  // what is under a point of the graph: a node first, else the nearest edge (vis's own rule,
  // used for both the tooltip and the click, so they always agree)
  function pick(pointer) {
    var n = network.getNodeAt(pointer);
    if (n !== undefined) return { kind: "node", id: dataId(n) };
    var e = network.getEdgeAt(pointer);
    if (e !== undefined) return { kind: "edge", id: dataId(e) };
    return null;
  }
  // the point of a mouse event in the graph's coordinates, computed one way for moves and clicks
  // (vis rounds a click's point but not a move's: a pixel apart, they can name different edges)
  function pointOf(ev) {
    var r = container.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top };
  }
  function clickPoint(p) {
    var src = p.event && p.event.srcEvent;
    return src && typeof src.clientX === "number" ? pointOf(src) : p.pointer.DOM;
  }
  api.pickAt = function (x, y) { return pick({ x: x, y: y }); };
  network.on("click", function (p) {
    tip.hidden = true;
    var hit = pick(clickPoint(p));
    if (!hit) clearSelection();
    else if (hit.kind === "node") selectNode(hit.id, false);
    else selectEdge(hit.id);
  });
  network.on("doubleClick", function (p) {
    var hit = pick(clickPoint(p));
    if (hit && hit.kind === "node") expand(hit.id);
  });
  network.on("dragEnd", function (p) {
    if (p.nodes && p.nodes.length) keepPositions(p.nodes.map(dataId));
  });

  // -- tooltip ----------------------------------------------------------------------------------
  var tip = document.getElementById("cg-tooltip");
  var tipFor = null;
  function placeTip(pointer) {
    var r = container.getBoundingClientRect();
    var x = r.left + window.scrollX + pointer.x + 14;
    var y = r.top + window.scrollY + pointer.y + 14;
    tip.style.left = Math.max(window.scrollX, Math.min(x, window.scrollX + document.documentElement.clientWidth - 390)) + "px";
    tip.style.top = y + "px";
    tip.hidden = false;
  }
  function showTip(hit, pointer) {
    var key = hit ? hit.kind + ":" + hit.id : null;
    if (!hit) { tip.hidden = true; tipFor = null; tip.removeAttribute("data-for"); return; }
    if (key !== tipFor) {
      tipFor = key;
      clear(tip);
      tip.setAttribute("data-for", hit.id);
      if (hit.kind === "node") {
        var n = nodeById[hit.id];
        add(tip, el("strong", null, n.name), el("span", "cg-muted", " " + n.kind));
        if (n.aliases.length) tip.appendChild(el("div", "cg-aliases", n.aliases.join(" · ")));
        var cl = claimsOfNode[n.id] || [];
        tip.appendChild(el("div", "cg-muted", cl.filter(visible).length + " of " + cl.length + " claims shown · click for the list, double-click to expand"));
        cl.filter(function (c) { return !c.o; }).slice(0, 4).forEach(function (c) {
          tip.appendChild(el("div", "cg-tip-value", c.status + ": " + c.text));
        });
      } else if (hit.id.indexOf(PAIR) === 0) {
        var pk = hit.id.slice(PAIR.length), ends = pk.split("|");
        var list = (pairClaims[pk] || []).filter(visible).sort(strongestFirst);
        add(tip, el("strong", null, list.length + " claims: " + nameOf(ends[0]) + " – " + nameOf(ends[1])));
        list.slice(0, 6).forEach(function (c) { tip.appendChild(el("div", "cg-tip-value", c.status + ": " + c.text)); });
        tip.appendChild(el("div", "cg-muted", "click to list them all"));
      } else {
        // a preview (no links: the tooltip lets the pointer through); click for the sources' links
        tip.appendChild(claimBlock(claimById[hit.id], false));
      }
    }
    placeTip(pointer);
  }
  var moveQueued = null;
  container.addEventListener("pointermove", function (ev) {
    var first = moveQueued === null;
    moveQueued = pointOf(ev);
    if (!first) return;
    requestAnimationFrame(function () {
      var p = moveQueued;
      moveQueued = null;
      if (!api.ready) return;
      showTip(pick(p), p);
    });
  });
  container.addEventListener("pointerleave", function () { tip.hidden = true; tipFor = null; });
  network.on("dragStart", function () { tip.hidden = true; tipFor = null; });
  network.on("zoom", function () { tip.hidden = true; tipFor = null; });
  api.tooltipFor = function () { return tip.hidden ? null : tip.getAttribute("data-for"); };

  // -- search -----------------------------------------------------------------------------------
  var search = document.getElementById("cg-search");
  var results = document.getElementById("cg-results");
  var searchReady = false;
  function find(q) {
    var f = fold(q);
    if (!f) return [];
    if (!searchReady) {  // folded once, on first use: id, name and aliases (NFKC, lower case)
      data.nodes.forEach(function (n) {
        n.search = [n.id, n.name].concat(n.aliases).map(fold).join("\n");
      });
      searchReady = true;
    }
    var exact = [], partial = [];
    for (var i = 0; i < data.nodes.length; i++) {
      var n = data.nodes[i];
      var keys = n.search.split("\n");
      if (keys.indexOf(f) >= 0) exact.push(n);
      else if (n.search.indexOf(f) >= 0) partial.push(n);
      if (exact.length + partial.length >= 200) break;
    }
    return exact.concat(partial).slice(0, 30);
  }
  api.find = function (q) { return find(q).map(function (n) { return n.id; }); };
  search.addEventListener("input", function () {
    clear(results);
    find(search.value).forEach(function (n) {
      var b = el("button", "cg-result");
      b.type = "button";
      b.setAttribute("data-id", n.id);
      add(b, n.name, el("span", "cg-muted", " " + n.kind));
      b.addEventListener("click", function () { selectNode(n.id, true); });
      results.appendChild(b);
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hit = find(search.value)[0];
      if (hit) selectNode(hit.id, true);
    }
  });

  // -- layout controls ----------------------------------------------------------------------------
  relayoutBtn.addEventListener("click", function () {
    var ids = shownNodeIds();
    if (!laidOut || ids.length > RELAYOUT_LIMIT) return;
    relayoutRunning = relayoutBtn.disabled = true;
    // only what is shown takes part (hidden nodes and edges would pull on it)
    nodeUpdate(data.nodes.map(function (n) { return { id: visId(n.id), physics: nodeOn[n.id] === true }; }));
    edgeUpdate(edgeIds.map(function (id) { return { id: visId(id), physics: edgeOn[id] === true }; }));
    network.setOptions({ physics: { enabled: true, solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -80, springLength: 140, avoidOverlap: 0.6 },
      stabilization: { enabled: true, iterations: 300, updateInterval: 50, fit: false } } });
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      keepPositions(ids);
      fitView();
      relayoutRunning = relayoutBtn.disabled = false;
      document.body.setAttribute("data-layout", "again");
    });
    network.stabilize(300);
  });
  if (data.nodes.length > RELAYOUT_LIMIT) {
    relayoutBtn.title = "available when " + RELAYOUT_LIMIT + " entities or fewer are shown (explore from one)";
  }
  document.getElementById("cg-layout-reset").addEventListener("click", function () {
    if (!firstPositions) return;
    var upd = [];
    Object.keys(firstPositions).forEach(function (id) { upd.push({ id: visId(id), x: firstPositions[id].x, y: firstPositions[id].y }); });
    nodeUpdate(upd);
    fitView();
    document.body.setAttribute("data-layout", "first");
  });

  // -- panels on narrow windows, copying a link -----------------------------------------------------
  var toggle = document.getElementById("cg-toggle-controls");
  toggle.addEventListener("click", function () {
    var open = document.body.classList.toggle("cg-show-controls");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.getElementById("cg-close-details").addEventListener("click", clearSelection);
  document.addEventListener("keydown", function (ev) {
    var t = ev.target && ev.target.tagName;
    if (ev.key === "Escape" && t !== "INPUT" && t !== "SELECT" && t !== "TEXTAREA" && state.sel) clearSelection();
  });
  var copyBtn = document.getElementById("cg-copy-link");
  copyBtn.addEventListener("click", function () {
    writeHash();
    var url = location.href;
    var done = function () { copyBtn.textContent = "Link copied"; setTimeout(function () { copyBtn.textContent = "Copy link to this view"; }, 1500); };
    var fallback = function () {
      var t = el("textarea");
      t.value = url;
      document.body.appendChild(t);
      t.select();
      try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
      t.remove();
      done();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, fallback);
    else fallback();
  });

  // -- print: the graph as one SVG picture, whole, fitted to the paper, labels as text ----------------
  var SVGNS = "http://www.w3.org/2000/svg";
  var printBox = document.getElementById("cg-print");
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  function shapePath(shape, x, y, r) {
    function poly(pts) { return "M" + pts.map(function (p) { return (x + p[0] * r).toFixed(1) + "," + (y + p[1] * r).toFixed(1); }).join("L") + "Z"; }
    switch (shape) {
      case "square": return poly([[-1, -1], [1, -1], [1, 1], [-1, 1]]);
      case "diamond": return poly([[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]]);
      case "triangle": return poly([[0, -1.2], [1.1, 0.8], [-1.1, 0.8]]);
      case "triangleDown": return poly([[0, 1.2], [1.1, -0.8], [-1.1, -0.8]]);
      case "hexagon": return poly([[-0.5, -0.87], [0.5, -0.87], [1, 0], [0.5, 0.87], [-0.5, 0.87], [-1, 0]]);
      case "star":
        var pts = [];
        for (var i = 0; i < 10; i++) {
          var a = -Math.PI / 2 + i * Math.PI / 5, rr = i % 2 ? 0.5 : 1.2;
          pts.push([Math.cos(a) * rr, Math.sin(a) * rr]);
        }
        return poly(pts);
      default:
        return "M" + (x - r).toFixed(1) + "," + y.toFixed(1) + "a" + r.toFixed(1) + "," + r.toFixed(1) + " 0 1,0 " + (2 * r).toFixed(1) + ",0" +
               "a" + r.toFixed(1) + "," + r.toFixed(1) + " 0 1,0 " + (-2 * r).toFixed(1) + ",0Z";
    }
  }
  var PRINT_W = 180, PRINT_H = isReport ? 150 : 235, PRINT_PT = 7.5, PRINT_LABELS = 150;  // mm, mm, pt, labels at most
  function buildPrint() {
    finishLayout();
    clear(printBox);
    var ids = shownNodeIds();
    var pos = positionsOf(ids);
    ids = ids.filter(function (id) { return pos[id]; });
    if (!ids.length) return;
    var size = dict();
    data.nodes.forEach(function (n) { size[n.id] = n.size; });
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    ids.forEach(function (id) {
      var p = pos[id], r = size[id] || 10;
      x0 = Math.min(x0, p.x - r); x1 = Math.max(x1, p.x + r); y0 = Math.min(y0, p.y - r); y1 = Math.max(y1, p.y + r);
    });
    var labelled = dict();
    ids.slice().sort(function (a, b) { return (size[b] || 0) - (size[a] || 0); }).slice(0, PRINT_LABELS)
      .forEach(function (id) { labelled[id] = true; });
    // room for the labels (below the nodes, about 12 characters wide) around the picture, and
    // more on a side where a longer label (about 0.6 em a character, centred) reaches past it
    var w0 = Math.max(x1 - x0, 1), h0 = Math.max(y1 - y0, 1);
    var mm = Math.min(PRINT_W / (w0 * 1.12), PRINT_H / (h0 * 1.12));  // mm per graph unit, first guess
    var fu = PRINT_PT * 0.3528 / mm;  // the label font size in graph units
    var w, h, padTop, padBottom, left, right;
    for (var pass = 0; pass < 4; pass++) {  // the font in graph units grows as the picture does
      left = right = fu * 4;
      ids.forEach(function (id) {
        if (!labelled[id]) return;
        var half = (nodeById[id].name || "").length * fu * 0.3 * 1.05;
        left = Math.max(left, x0 - (pos[id].x - half));
        right = Math.max(right, pos[id].x + half - x1);
      });
      padTop = fu; padBottom = fu * 2.2;
      w = w0 + left + right; h = h0 + padTop + padBottom;
      mm = Math.min(PRINT_W / w, PRINT_H / h);
      fu = PRINT_PT * 0.3528 / mm;
    }
    x0 -= left; y0 -= padTop;
    var pic = svg("svg", { viewBox: [x0, y0, w, h].map(function (v) { return v.toFixed(1); }).join(" "),
      width: (w * mm).toFixed(1) + "mm", height: (h * mm).toFixed(1) + "mm", "class": "cg-print-graph",
      role: "img", "font-family": "system-ui, sans-serif" });
    var gEdges = svg("g", { fill: "none" }), gLabels = svg("g", { "class": "cg-print-labels" }), gNodes = svg("g", {});
    pic.appendChild(gEdges); pic.appendChild(gNodes); pic.appendChild(gLabels);
    var printEdges = Object.keys(edgeOn);
    var minStroke = 0.25 / mm;  // at least a quarter millimetre
    printEdges.forEach(function (eid) {
      var item = edges.get(visId(eid)), be = network.body.edges[visId(eid)];
      var from = item && dataId(item.from), to = item && dataId(item.to);
      if (!item || !pos[from] || !pos[to]) return;
      var A = pos[from], B = pos[to], C = { x: (A.x + B.x) / 2, y: (A.y + B.y) / 2 };
      var curved = false;
      if (be && be.edgeType && typeof be.edgeType.getPoint === "function" && item.smooth !== false && !meta.large) {
        try {
          var m = be.edgeType.getPoint(0.5);
          C = { x: 2 * m.x - (A.x + B.x) / 2, y: 2 * m.y - (A.y + B.y) / 2 };
          curved = true;
        } catch (e) { curved = false; }
      }
      var c = claimById[eid];
      var st = c ? statusStyle[c.status] : { width: 3, opacity: 0.9, dashes: false };
      var col = item.color.color;
      var path = svg("path", { d: "M" + A.x.toFixed(1) + "," + A.y.toFixed(1) + (curved ? "Q" + C.x.toFixed(1) + "," + C.y.toFixed(1) + " " : "L") +
        B.x.toFixed(1) + "," + B.y.toFixed(1), stroke: col, "stroke-width": Math.max(item.width || st.width, minStroke).toFixed(2),
        "stroke-opacity": Math.max(st.opacity, 0.3) });
      if (c && st.dashes) path.setAttribute("stroke-dasharray", st.dashes.map(function (d) { return (d * 1.5).toFixed(1); }).join(" "));
      gEdges.appendChild(path);
      if (item.arrows === "to" || (meta.large && c && !c.sym)) {
        // a small head where the curve meets the target node
        var r = (size[to] || 10) + 1, dx = B.x - (curved ? C.x : A.x), dy = B.y - (curved ? C.y : A.y);
        var len = Math.sqrt(dx * dx + dy * dy) || 1;
        dx /= len; dy /= len;
        var tipX = B.x - dx * r, tipY = B.y - dy * r, L = Math.max(8, fu * 0.9), W = L * 0.45;
        var head = svg("path", { d: "M" + tipX.toFixed(1) + "," + tipY.toFixed(1) + "L" + (tipX - dx * L - dy * W).toFixed(1) + "," + (tipY - dy * L + dx * W).toFixed(1) +
          "L" + (tipX - dx * L + dy * W).toFixed(1) + "," + (tipY - dy * L - dx * W).toFixed(1) + "Z", fill: col, "fill-opacity": Math.max(st.opacity, 0.3) });
        gEdges.appendChild(head);
      }
      if (item.label) {
        var mx = curved ? 0.25 * A.x + 0.5 * C.x + 0.25 * B.x : (A.x + B.x) / 2;
        var my = curved ? 0.25 * A.y + 0.5 * C.y + 0.25 * B.y : (A.y + B.y) / 2;
        var t = svg("text", { x: mx.toFixed(1), y: (my + fu * 0.3).toFixed(1), "font-size": (fu * 0.85).toFixed(2), "text-anchor": "middle",
          fill: "#333333", stroke: "#ffffff", "stroke-width": (fu * 0.25).toFixed(2), "paint-order": "stroke", "class": "cg-print-edge-label" });
        t.textContent = item.label;
        gLabels.appendChild(t);
      }
    });
    ids.forEach(function (id) {
      var n = nodeById[id], p = pos[id], r = Math.max(size[id] || 10, 0.6 / mm);
      var ks = kindStyle[n.kind] || { color: "#888888", shape: "dot" };
      gNodes.appendChild(svg("path", { d: shapePath(ks.shape, p.x, p.y, r), fill: ks.color, stroke: "#333333",
        "stroke-width": Math.max(1, minStroke).toFixed(2) }));
      if (!labelled[id]) return;
      var t = svg("text", { x: p.x.toFixed(1), y: (p.y + r + fu * 1.0).toFixed(1), "font-size": fu.toFixed(2), "text-anchor": "middle",
        fill: "#111111", stroke: "#ffffff", "stroke-width": (fu * 0.3).toFixed(2), "paint-order": "stroke", "class": "cg-print-node-label" });
      t.textContent = n.name;
      gLabels.appendChild(t);
    });
    printBox.appendChild(pic);
    // what the picture shows, and the legend
    var cap = el("div", "cg-print-caption", countEl.textContent);
    var view = [];
    if (state.explore) view.push("explored from " + state.explore.nodes.concat(state.explore.open).filter(function (v, i, a) { return a.indexOf(v) === i; }).map(nameOf).join(", "));
    axes.forEach(function (a) { if (state.time[a.id]) view.push(a.label.toLowerCase() + " " + state.time[a.id]); });
    if (state.predicate) view.push("only " + words(state.predicate));
    var offSt = Object.keys(state.stances).filter(function (k) { return !state.stances[k]; });
    if (offSt.length) view.push("stances shown: " + Object.keys(state.stances).filter(function (k) { return state.stances[k]; }).join(", "));
    var offS = Object.keys(state.statuses).filter(function (k) { return !state.statuses[k]; });
    if (offS.length) view.push("statuses shown: " + Object.keys(state.statuses).filter(function (k) { return state.statuses[k]; }).join(", "));
    if (view.length) add(cap, el("div", null, "View: " + view.join(" · ")));
    printBox.appendChild(cap);
    var legend = el("div", "cg-print-legend");
    data.stances.forEach(function (s) { add(legend, add(el("span", "cg-legend-item"), swatchLine(s.color, null), " " + s.name)); });
    ["confirmed", "claimed", "disputed"].forEach(function (name) {
      if (statusStyle[name]) add(legend, add(el("span", "cg-legend-item"), swatchLine("#444444", statusStyle[name]), " " + name));
    });
    printBox.appendChild(legend);
    document.body.setAttribute("data-printed", String(ids.length));
  }
  api.buildPrint = buildPrint;
  window.addEventListener("beforeprint", buildPrint);
  if (window.matchMedia) {
    var mq = window.matchMedia("print");
    var onPrint = function (e) { if (e.matches) buildPrint(); };
    if (mq.addEventListener) mq.addEventListener("change", onPrint); else if (mq.addListener) mq.addListener(onPrint);
  }

  // -- a summary report's ledger: any status's claims, a page at a time, built when asked ----------------
  var ledgerList = isReport ? document.getElementById("cg-ledger-list") : null;
  var LEDGER_PAGE = 100;
  function showLedger(status, from) {
    var list = data.claims.filter(function (c) { return c.status === status; });  // by id, as the data
    from = Math.max(0, Math.min(from, Math.max(list.length - 1, 0)));
    var upto = Math.min(from + LEDGER_PAGE, list.length);
    clear(ledgerList);
    ledgerList.setAttribute("data-status", status);
    ledgerList.setAttribute("data-from", String(from));
    var head = el("h4", "cg-ledger-head", status + ": claims " + (list.length ? from + 1 : 0) + "–" + upto + " of " + list.length);
    var nav = el("div", "cg-buttons");
    if (from > 0) nav.appendChild(button("cg-ledger-prev", "previous " + LEDGER_PAGE, function () { showLedger(status, from - LEDGER_PAGE); }));
    if (upto < list.length) nav.appendChild(button("cg-ledger-next", "next " + LEDGER_PAGE, function () { showLedger(status, upto); }));
    add(ledgerList, head, nav);
    list.slice(from, upto).forEach(function (c) {
      var box = claimBlock(c, true);
      var a = el("a", "cg-view", "show in the graph");
      a.setAttribute("href", VIEW + "nodes=" + encList(c.o ? [c.s, c.o] : [c.s]) + "&claim=" + enc(c.id));
      box.appendChild(a);
      ledgerList.appendChild(box);
    });
  }
  api.showLedger = showLedger;
  if (ledgerList) {
    document.querySelectorAll(".cg-ledger-status").forEach(function (b) {
      b.addEventListener("click", function () { showLedger(b.getAttribute("data-status"), 0); });
    });
  }

  // -- start ----------------------------------------------------------------------------------------
  var started = false;
  function start() {
    if (started) return;
    started = true;
    if (!meta.large) network.setOptions({ physics: false });
    laidOut = true;
    if (meta.large) {
      firstPositions = dict();
      data.nodes.forEach(function (n) { firstPositions[n.id] = { x: n.x, y: n.y }; });
    } else {
      firstPositions = keepPositions(data.nodes.map(function (n) { return n.id; }));
    }
    applyView(encodeState(), true);
    network.once("afterDrawing", markReady);
    network.redraw();
  }
  function finishLayout() {
    // printing before physics has settled: run the rest of the layout now, synchronously
    var ph = network.physics;
    if (laidOut) return;
    if (ph && typeof ph.physicsTick === "function") {
      var guard = 0;
      while (ph.stabilized === false && ph.stabilizationIterations < ph.targetIterations && guard++ < 5000) ph.physicsTick();
    }
    start();
  }
  if (meta.large || data.nodes.length === 0) {
    start();
    if (data.nodes.length === 0) markReady();
  } else {
    network.once("stabilizationIterationsDone", start);
  }
  syncControls();
  updateCount();
  if (!laidOut) renderDetails();
})();
