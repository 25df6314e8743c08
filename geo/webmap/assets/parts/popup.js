/* A feature's popup and the source lists, as DOM nodes built from the payload alone: no Leaflet,
 * no map, so Node tests build them against a stand-in document. Every data string reaches the
 * page as text (dom.el), every link through dom.safeUrl. */
(function (root) {
  "use strict";

  root.AtlasParts = root.AtlasParts || {};
  var P = root.AtlasParts; // dom and format, read when called

  /** An ordered list of the sources `ids` names (ids the payload lacks are left out). */
  function sourceList(ids, sources, tr) {
    var el = P.dom.el;
    var list = el("ol", { className: "atlas-sources" });
    ids.forEach(function (id) {
      var source = sources[id];
      if (!source) return;
      var item = el("li", { "data-source": id });
      var url = P.dom.safeUrl(source.url);
      item.appendChild(url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", dir: "auto", text: source.title }) : el("bdi", { text: source.title }));
      var bits = el("span", { className: "atlas-muted" }, " (");
      if (source.publisher) { bits.appendChild(P.dom.bdi(source.publisher)); bits.appendChild(document.createTextNode(", ")); }
      bits.appendChild(document.createTextNode(source.published ? tr.date(source.published) : tr.t("undated")));
      if (source.file) { bits.appendChild(document.createTextNode(", ")); bits.appendChild(P.dom.bdi(tr.t("text: {file}", { file: source.file }))); }
      bits.appendChild(document.createTextNode(")"));
      item.appendChild(bits);
      list.appendChild(item);
    });
    return list;
  }

  /** The sources a feature's popup cites, in the order they are numbered: the feature's own, then
   * its projects', figures' (with other sources' values) and events'. */
  function citationOrder(feature, data) {
    var order = [];
    var add = function (ids) { (ids || []).forEach(function (id) { if (data.sources[id] && order.indexOf(id) < 0) order.push(id); }); };
    add(feature.sources);
    feature.projects.forEach(function (id) { if (data.projects[id]) add(data.projects[id].sources); });
    feature.figures.forEach(function (id) {
      var g = data.figures[id];
      if (!g) return;
      add(g.sources);
      (g.alternatives || []).forEach(function (a) { add(a && a.sources); });
    });
    feature.events.forEach(function (id) { if (data.events[id]) add(data.events[id].sources); });
    return order;
  }

  /** Each data string of `texts` in its own isolate inside `node`, `separator` between them. */
  function isolated(node, texts, separator) {
    texts.forEach(function (text, n) {
      if (n) node.appendChild(document.createTextNode(separator));
      node.appendChild(P.dom.bdi(text));
    });
    return node;
  }

  /** "status as of <date>" beside a status over a year old at build time (geo/status_age.py), or null. */
  function statusAsOf(record, tr) {
    if (!record.status || !record.status_stale || !record.status_as_of) return null;
    return P.dom.el("span", { className: "atlas-as-of", text: tr.t("status as of {date}", { date: tr.date(record.status_as_of) }) });
  }

  /**
   * The popup of `feature`: data is the payload (sources, projects, figures, events), names the
   * vocabulary's names (names.js), date the timeline's date or null (later events are marked),
   * tr the page's language (i18n.js): every word, date and value comes in it.
   */
  function buildPopup(feature, data, names, date, tr) {
    var el = P.dom.el;
    // Number the sources first, so every claim below can carry its numbers.
    var order = citationOrder(feature, data);
    var cite = function (ids) {
      var numbers = (ids || []).map(function (id) { return order.indexOf(id) + 1; }).filter(function (n) { return n > 0; }).sort(function (a, b) { return a - b; });
      if (!numbers.length) return null;
      var title = tr.tn("Source {list}", "Sources {list}", numbers.length, { list: numbers.join(", ") });
      return el("sup", { className: "atlas-cite", title: title }, "[" + numbers.join(", ") + "]");
    };

    var rootNode = el("div", { className: "atlas-popup", "data-feature-id": feature.id, tabindex: "0", role: "group", "aria-label": feature.name });
    rootNode.appendChild(el("h2", { dir: "auto", text: feature.name }));
    var alt = feature.altNames || [];
    if (alt.length) rootNode.appendChild(isolated(el("p", { className: "atlas-altnames" }), alt, " · "));
    var meta = el("p", { className: "atlas-meta", text: names.kind(feature.kind) + " · " });
    isolated(meta, feature.country.map(names.country), " / ").appendChild(document.createTextNode(" "));
    if (feature.status) meta.appendChild(el("span", { className: "atlas-status atlas-status-" + feature.status, text: names.status(feature.status) }));
    var featureAsOf = statusAsOf(feature, tr);
    if (featureAsOf) { meta.appendChild(document.createTextNode(" ")); meta.appendChild(featureAsOf); }
    rootNode.appendChild(meta);
    if (feature.note) rootNode.appendChild(el("p", null, P.dom.bdi(feature.note), cite(feature.sources)));

    var position = el("p", { className: "atlas-position" });
    var approximate = feature.schematic || feature.accuracy_m >= 1000;
    position.appendChild(el("strong", { text: (feature.schematic ? tr.t("Schematic geometry.") : approximate ? tr.t("Approximate position.") : tr.t("Position.")) + " " }));
    position.appendChild(document.createTextNode(tr.t("Within about {distance} of the true place.", { distance: tr.distance(feature.accuracy_m) }) + " "));
    if (feature.geometry_source) position.appendChild(P.dom.bdi(feature.geometry_source));
    var positionCite = cite(feature.sources);
    if (positionCite) position.appendChild(positionCite);
    rootNode.appendChild(position);

    if (feature.projects.length) {
      rootNode.appendChild(el("h3", { text: feature.projects.length > 1 ? tr.t("Projects") : tr.t("Project") }));
      feature.projects.forEach(function (id) {
        var project = data.projects[id];
        if (!project) return;
        var block = el("div", { className: "atlas-project" });
        var title = el("p", null, el("strong", { dir: "auto", text: project.name }), " ");
        title.appendChild(el("span", { className: "atlas-status atlas-status-" + project.status, text: names.status(project.status) }));
        var projectAsOf = statusAsOf(project, tr);
        if (projectAsOf) { title.appendChild(document.createTextNode(" ")); title.appendChild(projectAsOf); }
        block.appendChild(title);
        block.appendChild(el("p", { className: "atlas-summary" }, P.dom.bdi(project.summary), cite(project.sources)));
        rootNode.appendChild(block);
      });
    }
    if (feature.figures.length) {
      rootNode.appendChild(el("h3", { text: tr.t("Key figures") }));
      var figures = el("ul", { className: "atlas-figures" });
      feature.figures.forEach(function (id) {
        var figure = data.figures[id];
        if (!figure) return;
        var item = el("li", { "data-figure": id }, P.dom.bdi(figure.label), ": ");
        var texts = tr.figure(id);
        var values = [{ text: texts.values[0], sources: figure.sources || [], note: null }];
        (figure.alternatives || []).forEach(function (alt, n) {
          if (alt && typeof alt.value === "number") values.push({ text: texts.values[values.length], sources: alt.sources || [], note: alt.note || null });
        });
        values.forEach(function (v, n) {
          if (n) item.appendChild(document.createTextNode(" · "));
          item.appendChild(el("strong", { text: v.text }));
          var c = cite(v.sources);
          if (c) item.appendChild(c);
          if (v.note) item.appendChild(el("span", { className: "atlas-muted" }, " (", P.dom.bdi(v.note), ")"));
        });
        var disagree = values.some(function (v) { return v.text !== values[0].text; });
        if (disagree) item.appendChild(el("span", { className: "atlas-disagree", text: " " + tr.t("sources disagree") }));
        if (texts.period) item.appendChild(el("span", { className: "atlas-muted" }, " (", P.dom.bdi(texts.period), ")"));
        if (texts.measured) item.appendChild(el("span", { className: "atlas-measured", text: " — " + texts.measured }));
        if (figure.kind === "target") item.appendChild(el("span", { className: "atlas-tag", text: tr.t("target") }));
        if (figure.kind === "estimate") item.appendChild(el("span", { className: "atlas-tag", text: tr.t("estimate") }));
        figures.appendChild(item);
      });
      rootNode.appendChild(figures);
    }
    if (feature.events.length) {
      rootNode.appendChild(el("h3", { text: tr.t("Events") }));
      var events = el("ul", { className: "atlas-events" });
      feature.events.forEach(function (id) {
        var event = data.events[id];
        if (!event) return;
        var later = date && event.date && event.date > date;
        var item = el("li", { className: later ? "atlas-future" : null }, el("time", { text: tr.date(event.date) }), " — " + names.event(event.kind) + ": ", P.dom.bdi(event.title));
        // An event with a status is a step of the dated status history: the status from then on.
        if (event.status) {
          item.appendChild(document.createTextNode(" "));
          item.appendChild(el("span", { className: "atlas-status atlas-status-" + event.status, text: names.status(event.status) }));
        }
        var c = cite(event.sources);
        if (c) item.appendChild(c);
        if (later) item.appendChild(el("span", { className: "atlas-muted", text: " (" + tr.t("after the timeline's date") + ")" }));
        events.appendChild(item);
      });
      rootNode.appendChild(events);
    }
    rootNode.appendChild(el("h3", { text: tr.t("Sources") }));
    rootNode.appendChild(sourceList(order, data.sources, tr));
    return rootNode;
  }

  var api = { buildPopup: buildPopup, sourceList: sourceList, citationOrder: citationOrder };
  P.popup = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
