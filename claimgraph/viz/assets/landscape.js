/* claimgraph landscape page.
 *
 * Safety rule for this file: dataset text reaches the DOM only through textContent, createTextNode
 * or canvas labels, never through innerHTML/outerHTML/insertAdjacentHTML/document.write; links are
 * made only for http(s) urls (checked in Python and again here).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var meta = data.meta;
  var api = (window.claimgraph = { data: data, ready: false, readyAt: null, clicks: 0 });

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
  var predInfo = dict();
  data.predicates.forEach(function (p) { predInfo[p.name] = p; });
  var claimById = dict();
  var claimsOfNode = dict();
  data.claims.forEach(function (c) {
    // expand the compact keys written by claimgraph/viz/data.py
    var pi = predInfo[c.p] || { stance: "attribute", sym: false };
    c.stance = pi.stance; c.sym = pi.sym;
    c.status = c.st; c.text = c.t; c.label = c.l || ""; c.value = c.v || null; c.o = c.o || null;
    c.stated = c.sd || null; c.vfText = c.vf || null; c.vuText = c.vu || null;
    c.vf = c.vf ? firstDay(c.vf) : null; c.vu = c.vu ? lastDay(c.vu) : null;
    // valid time (docs/time.md): known to hold from vf, else from hf (when it was said or
    // sourced; an event's date); an undated claim (ud) is left out of an as-of view
    c.onText = c.on || null; c.from = c.vf || c.hf || null; c.undated = !!c.ud;
    c.by = c.by || []; c.notes = c.n || "";
    c.ev = (c.ev || []).map(function (e) {
      return { src: e[0], effect: e[1] ? "contradicts" : "supports", loc: e[2] || "", para: e[3] || "" };
    });
    claimById[c.id] = c;
    (claimsOfNode[c.s] || (claimsOfNode[c.s] = [])).push(c);
    if (c.o) (claimsOfNode[c.o] || (claimsOfNode[c.o] = [])).push(c);
  });
  // stances and kinds are styled by the vocabulary (data.stances, data.kinds); a stance the data
  // names without a style still gets its own filter and a grey line, never hidden
  var stanceColor = {};
  var stanceLabel = {};
  data.stances.forEach(function (s) { stanceColor[s.name] = s.color; stanceLabel[s.name] = s.label || s.name; });
  data.claims.forEach(function (c) {
    if (stanceColor[c.stance] === undefined) {
      data.stances.push({ name: c.stance, label: c.stance, color: "#888888" });
      stanceColor[c.stance] = "#888888"; stanceLabel[c.stance] = c.stance;
    }
  });
  var statusStyle = {};
  data.statuses.forEach(function (s) { statusStyle[s.name] = s; });
  var kindStyle = dict();
  data.kinds.forEach(function (k) { kindStyle[k.name] = k; });

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

  // -- filters --------------------------------------------------------------------------------
  var state = { statuses: dict(), stances: dict(), predicate: "", asOf: "" };
  data.statuses.forEach(function (s) { state.statuses[s.name] = true; });
  data.stances.forEach(function (s) { state.stances[s.name] = true; });

  function visible(c) {
    if (!state.statuses[c.status] || !state.stances[c.stance]) return false;
    if (state.predicate && c.p !== state.predicate) return false;
    if (state.asOf) {
      if (c.undated) return false;
      if (c.from && state.asOf < c.from) return false;
      if (c.vu && state.asOf > c.vu) return false;
    }
    return true;
  }

  // -- vis data -------------------------------------------------------------------------------
  var visNodes = data.nodes.map(function (n) {
    var ks = kindStyle[n.kind] || { color: "#888888", shape: "dot" };
    var item = {
      id: visId(n.id), label: n.name, shape: ks.shape, size: n.size,
      color: { background: ks.color, border: "#333333",
               highlight: { background: ks.color, border: "#000000" },
               hover: { background: ks.color, border: "#000000" } }
    };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  });
  var visEdges = [];
  data.claims.forEach(function (c) {
    if (!c.o) return;
    var st = statusStyle[c.status];
    var col = stanceColor[c.stance] || "#666666";
    // large graphs start without dashes and arrow heads (the costliest strokes to draw); they
    // return when the user zooms in (see edgeDetail below)
    var e = {
      id: visId(c.id), from: visId(c.s), to: visId(c.o), width: st.width, dashes: meta.large ? false : st.dashes,
      color: { color: col, highlight: col, hover: col, opacity: st.opacity },
      arrows: c.sym || meta.large ? "" : "to"
    };
    if (c.label) e.label = c.label;
    if (c.curve) e.smooth = { enabled: true, type: c.curve, roundness: c.round };
    visEdges.push(e);
  });

  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var edgeView = new vis.DataView(edges, { filter: function (e) { return visible(claimById[dataId(e.id)]); } });

  var options = {
    autoResize: true,
    nodes: {
      borderWidth: 1,
      font: { size: 14, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { drawThreshold: 7 } }
    },
    edges: {
      font: { size: 11, face: "system-ui, sans-serif", strokeWidth: 3, strokeColor: "#ffffff", align: "horizontal" },
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
      hover: true, tooltipDelay: 120, hideEdgesOnDrag: meta.large, hideEdgesOnZoom: meta.large,
      keyboard: false, multiselect: false
    }
  };

  var container = document.getElementById("cg-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edgeView }, options);
  api.network = network; api.nodes = nodes; api.edges = edges; api.edgeView = edgeView;

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  if (meta.large || data.nodes.length === 0) {
    network.once("afterDrawing", markReady);
    if (data.nodes.length === 0) markReady();
  } else {
    var settle = function () {
      network.setOptions({ physics: false });
      network.fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    };
    network.once("stabilizationIterationsDone", settle);
  }

  // level of detail for large graphs: dashes and arrows only when zoomed in
  var detailed = !meta.large;
  var DETAIL_SCALE = 0.6;
  function edgeDetail(on) {
    detailed = on;
    var upd = [];
    data.claims.forEach(function (c) {
      if (!c.o) return;
      upd.push({ id: visId(c.id), dashes: on ? statusStyle[c.status].dashes : false, arrows: on && !c.sym ? "to" : "" });
    });
    edges.update(upd);
    document.body.setAttribute("data-detail", on ? "1" : "0");
  }
  if (meta.large) {
    network.on("zoom", function () {
      var on = network.getScale() >= DETAIL_SCALE;
      if (on !== detailed) edgeDetail(on);
    });
  }
  api.edgeDetail = edgeDetail;

  // -- counts ---------------------------------------------------------------------------------
  var countEl = document.getElementById("cg-count");
  function updateCount() {
    var n = edgeView.length;
    document.body.setAttribute("data-visible-edges", String(n));
    clear(countEl);
    add(countEl, n + " of " + meta.relations + " relations shown · " + meta.entities +
        " entities · " + meta.valueClaims + " value claims · " + meta.sources + " sources");
  }
  api.visibleEdgeCount = function () { return edgeView.length; };
  api.drawnCounts = function () {
    return { nodes: Object.keys(network.body.nodes).length, edges: network.body.edgeIndices.length };
  };

  function applyFilters() {
    edgeView.refresh();
    updateCount();
    if (selected) showNode(selected, false);
  }
  api.setFilter = function (patch) {
    Object.keys(patch).forEach(function (k) { state[k] = patch[k]; });
    syncControls();
    applyFilters();
  };

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
    var label = el("label", "cg-check");
    var box = el("input");
    box.type = "checkbox"; box.checked = true;
    box.setAttribute("data-group", group); box.setAttribute("data-name", name);
    box.addEventListener("change", function () { state[group][name] = box.checked; applyFilters(); });
    label.appendChild(box);
    labelChildren.forEach(function (c) { add(label, c); });
    return label;
  }
  var statusBox = document.getElementById("cg-f-status");
  if (meta.large) {
    statusBox.appendChild(el("div", "cg-muted", "Large graph: dashes and arrows appear when you zoom in; faded lines are weaker claims."));
  }
  data.statuses.forEach(function (s) {
    statusBox.appendChild(checkbox("statuses", s.name, [swatchLine("#444444", s), " " + s.name,
      el("span", "cg-muted", " " + s.pattern)]));
  });
  var stanceBox = document.getElementById("cg-f-stance");
  data.stances.forEach(function (s) {
    stanceBox.appendChild(checkbox("stances", s.name, [swatchLine(s.color, null), " " + stanceLabel[s.name]]));
  });
  var predSel = document.getElementById("cg-f-predicate");
  add(predSel, el("option", null, "all predicates"));
  predSel.firstChild.value = "";
  data.predicates.forEach(function (p) {
    var o = el("option", null, p.name.toLowerCase().replace(/_/g, " ") + " (" + (stanceLabel[p.stance] || p.stance) + ")");
    o.value = p.name;
    predSel.appendChild(o);
  });
  predSel.addEventListener("change", function () { state.predicate = predSel.value; applyFilters(); });
  var dateIn = document.getElementById("cg-f-date");
  dateIn.addEventListener("change", function () { state.asOf = dateIn.value || ""; applyFilters(); });
  document.getElementById("cg-f-date-clear").addEventListener("click", function () {
    dateIn.value = ""; state.asOf = ""; applyFilters();
  });
  var kindBox = document.getElementById("cg-legend-kinds");
  data.kinds.forEach(function (k) {
    add(kindBox, add(el("span", "cg-legend-item"), swatchShape(k.color, k.shape), " " + (k.label || k.name)));
  });
  function syncControls() {
    document.querySelectorAll("input[data-group]").forEach(function (b) {
      b.checked = !!state[b.getAttribute("data-group")][b.getAttribute("data-name")];
    });
    predSel.value = state.predicate;
    dateIn.value = state.asOf;
  }

  // -- claim rendering ------------------------------------------------------------------------
  function nameOf(id) { return nodeById[id] ? nodeById[id].name : id; }
  function dates(c) {
    var parts = [];
    if (c.stated) parts.push("stated " + c.stated);
    if (c.onText) parts.push("on " + c.onText);
    if (c.vfText || c.vuText) parts.push("valid " + (c.vfText || "…") + " – " + (c.vuText || "…"));
    return parts.join(" · ");
  }
  function claimBlock(c, withLinks) {
    var box = el("div", "cg-claim cg-status-" + c.status);
    if (!visible(c)) box.classList.add("cg-filtered");
    var head = el("div", "cg-claim-text");
    add(head, el("span", "cg-badge cg-badge-" + c.status, c.status), " ", c.text);
    box.appendChild(head);
    var sub = el("div", "cg-claim-meta");
    add(sub, stanceLabel[c.stance] + " · " + c.p.toLowerCase().replace(/_/g, " "));
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

  // -- details panel and selection -------------------------------------------------------------
  var details = document.getElementById("cg-details");
  var LIST_PAGE = 60;
  var selected = null;
  var dimmed = false;

  function neighbourhood(id) {
    var set = dict(); set[id] = true;
    (claimsOfNode[id] || []).forEach(function (c) {
      if (c.o && visible(c)) { set[c.s] = true; set[c.o] = true; }
    });
    return set;
  }
  function highlight(id) {
    var keep = id ? neighbourhood(id) : null;
    if (meta.large) {
      // thousands of nodes: select the neighbourhood (drawn highlighted) instead of restyling all
      if (keep) {
        var ids = Object.keys(keep).map(visId);
        var es = [];
        (claimsOfNode[id] || []).forEach(function (c) { if (c.o && visible(c)) es.push(visId(c.id)); });
        network.setSelection({ nodes: ids, edges: es }, { unselectAll: true, highlightEdges: false });
      } else {
        network.unselectAll();
      }
      return;
    }
    if (!keep && !dimmed) return;
    var upd = [];
    data.nodes.forEach(function (n) {
      upd.push({ id: visId(n.id), opacity: !keep || keep[n.id] ? 1 : 0.15 });
    });
    nodes.update(upd);
    dimmed = !!keep;
  }
  function showNode(id, focus) {
    var n = nodeById[id];
    if (!n) return;
    selected = id;
    highlight(id);
    clear(details);
    var h = el("h2", null, n.name);
    details.appendChild(h);
    add(details, el("div", "cg-muted", n.kind + " · id " + n.id));
    if (n.aliases.length) add(details, el("div", "cg-aliases", "also: " + n.aliases.join(" · ")));
    if (n.notes) add(details, el("p", "cg-notes", n.notes));
    var cl = (claimsOfNode[id] || []).slice().sort(function (a, b) {
      return (visible(b) - visible(a)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var shown = cl.filter(visible).length;
    add(details, el("h3", null, cl.length + " claims (" + shown + " pass the filters)"));
    var list = el("div", "cg-claim-list");
    list.setAttribute("data-node", id);
    var first = cl.slice(0, LIST_PAGE);
    first.forEach(function (c) { list.appendChild(claimBlock(c, true)); });
    details.appendChild(list);
    if (cl.length > first.length) {  // a hub may have thousands: render the rest on demand
      var more = el("button", "cg-more", "show all " + cl.length + " claims");
      more.type = "button";
      more.addEventListener("click", function () {
        more.remove();
        var frag = document.createDocumentFragment();
        cl.slice(LIST_PAGE).forEach(function (c) { frag.appendChild(claimBlock(c, true)); });
        list.appendChild(frag);
      });
      details.appendChild(more);
    }
    if (focus) {
      if (!meta.large) network.selectNodes([visId(id)]);
      network.focus(visId(id), { scale: Math.max(network.getScale(), 0.8), animation: false });
    }
    api.clicks += 1;
    document.body.setAttribute("data-selected", id);
  }
  function showClaim(id) {
    var c = claimById[id];
    if (!c) return;
    clear(details);
    details.appendChild(el("h2", null, "Claim"));
    details.appendChild(claimBlock(c, true));
    api.clicks += 1;
    document.body.setAttribute("data-selected", id);
  }
  function clearSelection() {
    selected = null;
    highlight(null);
    clear(details);
    add(details, el("p", "cg-muted", "Click a node to see its neighbourhood and claims; click an edge for its sources."));
    document.body.removeAttribute("data-selected");
  }
  api.selectNode = function (id) { showNode(id, true); };
  network.on("click", function (p) {
    if (p.nodes.length) showNode(dataId(p.nodes[0]), false);
    else if (p.edges.length) showClaim(dataId(p.edges[0]));
    else clearSelection();
  });

  // -- tooltip ----------------------------------------------------------------------------------
  var tip = document.getElementById("cg-tooltip");
  var tipTimer = null;
  var overTip = false;
  function placeTip(pointer) {
    var r = container.getBoundingClientRect();
    var x = r.left + window.scrollX + pointer.x + 14;
    var y = r.top + window.scrollY + pointer.y + 14;
    tip.style.left = Math.min(x, window.scrollX + document.documentElement.clientWidth - 380) + "px";
    tip.style.top = y + "px";
    tip.hidden = false;
  }
  function hideSoon() {
    clearTimeout(tipTimer);
    tipTimer = setTimeout(function () { if (!overTip) tip.hidden = true; }, 400);
  }
  tip.addEventListener("mouseenter", function () { overTip = true; clearTimeout(tipTimer); });
  tip.addEventListener("mouseleave", function () { overTip = false; hideSoon(); });
  network.on("hoverEdge", function (p) {
    var c = claimById[dataId(p.edge)];
    if (!c) return;
    clearTimeout(tipTimer);
    clear(tip);
    tip.appendChild(claimBlock(c, true));
    placeTip(p.pointer.DOM);
  });
  network.on("hoverNode", function (p) {
    var n = nodeById[dataId(p.node)];
    if (!n) return;
    clearTimeout(tipTimer);
    clear(tip);
    add(tip, el("strong", null, n.name), el("span", "cg-muted", " " + n.kind));
    if (n.aliases.length) tip.appendChild(el("div", "cg-aliases", n.aliases.join(" · ")));
    var cl = claimsOfNode[n.id] || [];
    tip.appendChild(el("div", "cg-muted", cl.filter(visible).length + " of " + cl.length + " claims shown · click for the list"));
    cl.filter(function (c) { return !c.o; }).slice(0, 4).forEach(function (c) {
      tip.appendChild(el("div", "cg-tip-value", c.status + ": " + c.text));
    });
    placeTip(p.pointer.DOM);
  });
  network.on("blurEdge", hideSoon);
  network.on("blurNode", hideSoon);
  network.on("dragStart", function () { tip.hidden = true; });

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
      b.addEventListener("click", function () { showNode(n.id, true); });
      results.appendChild(b);
    });
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hit = find(search.value)[0];
      if (hit) showNode(hit.id, true);
    }
  });

  updateCount();
  clearSelection();
})();
