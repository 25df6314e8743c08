/* Atlas map page: draws the layers of the JSON data block on a folium/Leaflet map.
 *
 * Every string from the data is untrusted. It reaches the page only through textContent,
 * createTextNode or setAttribute of known-safe attributes, except where Leaflet itself uses
 * innerHTML (layer control names): those go through escapeHtml().
 */
(function () {
  "use strict";

  var UNCERTAINTY_MIN_M = 500; // smaller uncertainties would be invisible circles
  var SEARCH_LIMIT = 12;
  var LABEL_LIMIT = 200; // point layers up to this size get permanent name labels
  var LABEL_ZOOM = 7; // below it only capitals are labelled
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  // ---- small DOM helpers -------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === "text") node.textContent = attrs[key];
        else if (key === "className") node.className = attrs[key];
        else node.setAttribute(key, attrs[key]);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function escapeHtml(text) {
    return String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function safeUrl(url) {
    // Only web links become links; anything else (javascript:, data:) stays plain text.
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function fold(text) {
    return String(text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase();
  }

  // ---- the data block's encodings (geo/render/encoding.py) ---------------------------------

  function decodeColumn(column) {
    if (Array.isArray(column)) return column;
    var values = column.values;
    return column.codes.map(function (code) { return values[code]; });
  }

  // [x0, y0, dx1, dy1, ...] in units of 10^-decimals degrees -> [[lat, lng], ...] for Leaflet.
  function decodeLatLngs(flat, scale) {
    var out = new Array(flat.length / 2);
    var x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      out[i / 2] = [y / scale, x / scale];
    }
    return out;
  }

  function decodeNested(node, depth, scale) {
    if (depth === 0) return decodeLatLngs(node, scale);
    return node.map(function (child) { return decodeNested(child, depth - 1, scale); });
  }

  // ---- formatting --------------------------------------------------------------------------

  function formatDate(date) {
    if (!date) return "date unknown";
    var parts = date.split("-");
    if (parts.length === 1) return parts[0];
    var month = MONTHS[parseInt(parts[1], 10) - 1];
    if (parts.length === 2) return month + " " + parts[0];
    return parseInt(parts[2], 10) + " " + month + " " + parts[0];
  }

  function formatNumber(value) {
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 3 });
  }

  function formatValue(figure) {
    var v = figure.value;
    var text;
    if (figure.unit === "USD") {
      if (Math.abs(v) >= 1e9) text = "$" + formatNumber(v / 1e9) + " billion";
      else if (Math.abs(v) >= 1e6) text = "$" + formatNumber(v / 1e6) + " million";
      else text = "$" + formatNumber(v);
    } else if (figure.unit === "percent") text = formatNumber(v) + "%";
    else if (figure.unit === "km2") text = formatNumber(v) + " km²";
    else if (figure.unit === "m2") text = formatNumber(v) + " m²";
    else if (figure.unit === "count") text = formatNumber(v);
    else text = formatNumber(v) + " " + figure.unit;
    var hedge = { about: "about ", over: "over ", nearly: "nearly ", up_to: "up to " }[figure.qualifier] || "";
    return hedge + text;
  }

  function formatPeriod(figure) {
    var bits = [];
    if (figure.period_start || figure.period_end) {
      var start = figure.period_start ? formatDate(figure.period_start) : "";
      var end = figure.period_end ? formatDate(figure.period_end) : "";
      bits.push(start && end ? start + " – " + end : start ? "from " + start : "by " + end);
    }
    if (figure.as_of) bits.push("as of " + formatDate(figure.as_of));
    return bits.join(", ");
  }

  function formatDistance(metres) {
    return metres >= 1000 ? formatNumber(Math.round(metres / 100) / 10) + " km" : Math.round(metres) + " m";
  }

  // ---- the atlas ----------------------------------------------------------------------------

  function Atlas(mapId, map, control, data) {
    this.mapId = mapId;
    this.map = map;
    this.control = control;
    this.data = data;
    this.vocab = data.vocabulary;
    this.layers = [];
    this.features = [];
    this.byId = {};
    this.filters = { status: {}, country: {}, kind: {} };
    this.date = null;
    this.showUncertainty = true;
  }

  Atlas.prototype.kindLabel = function (kind) {
    var style = this.vocab.kinds[kind];
    return style ? style.label : kind;
  };

  Atlas.prototype.countryLabel = function (code) {
    return this.vocab.countries[code] || code;
  };

  Atlas.prototype.statusLabel = function (status) {
    return this.vocab.statuses[status || ""] || status;
  };

  Atlas.prototype.drawBase = function () {
    var pane = this.map.createPane("atlasBase");
    pane.style.zIndex = 250;
    pane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "atlasBase" });
    var group = L.layerGroup();
    var scale = Math.pow(10, this.data.base_decimals);
    this.data.base.forEach(function (country) {
      L.polygon(decodeNested(country.coordinates, 2, scale), {
        renderer: renderer, pane: "atlasBase", interactive: false,
        color: "#7a7a7a", weight: 1, fillColor: "#efe9dc", fillOpacity: 0.45,
      }).addTo(group);
    });
    group.addTo(this.map);
  };

  Atlas.prototype.featureAt = function (layer, i) {
    var props = layer.properties;
    var get = function (name, fallback) {
      return props[name] ? props[name][i] : fallback;
    };
    return {
      layerId: layer.id,
      index: i,
      id: get("id"),
      name: get("name"),
      name_ru: get("name_ru", null),
      name_local: get("name_local", null),
      local_lang: get("local_lang", null),
      kind: get("kind"),
      country: get("country", []),
      status: get("status", null),
      schematic: get("schematic", false),
      accuracy_m: get("accuracy_m", null),
      geometry_source: get("geometry_source", null),
      note: get("note", null),
      projects: get("projects", []),
      sources: get("sources", []),
      events: get("events", []),
      figures: get("figures", []),
      leaflet: null,
      circle: null,
    };
  };

  Atlas.prototype.firstEventDate = function (feature) {
    var events = this.data.events;
    var dates = feature.events
      .map(function (id) { return events[id] && events[id].date; })
      .filter(Boolean)
      .sort();
    return dates.length ? dates[0] : null;
  };

  Atlas.prototype.pointSymbol = function (feature, latlng, layerData) {
    var style = this.vocab.kinds[feature.kind] || { symbol: "dot", color: "#333" };
    if (layerData.count > this.data.dom_symbol_limit) {
      return L.circleMarker(latlng, {
        radius: 4, color: "#ffffff", weight: 1, fillColor: style.color, fillOpacity: 0.9,
      });
    }
    var icon = el("span", { className: "atlas-symbol atlas-symbol-" + style.symbol });
    icon.style.setProperty("--atlas-color", style.color);
    return L.marker(latlng, {
      icon: L.divIcon({ className: "atlas-marker", html: icon, iconSize: [18, 18], iconAnchor: [9, 9] }),
      keyboard: true,
      title: feature.name,
      alt: feature.name,
    });
  };

  Atlas.prototype.lineStyle = function (feature) {
    var style = this.vocab.kinds[feature.kind] || { color: "#333", weight: 3 };
    var dash = Object.prototype.hasOwnProperty.call(this.vocab.dash, feature.status || "unknown")
      ? this.vocab.dash[feature.status || "unknown"]
      : null;
    if (feature.kind === "corridor") dash = "14 9";
    if (style.symbol === "area") dash = feature.schematic ? "6 6" : null;
    return {
      color: style.color, weight: style.weight || 3, opacity: style.opacity || 0.9,
      dashArray: dash, lineCap: "butt", fillColor: style.fill || style.color,
      fillOpacity: style.fill ? 0.55 : 0,
    };
  };

  Atlas.prototype.buildLayer = function (layerData) {
    var self = this;
    var geometry = layerData.geometry;
    var scale = Math.pow(10, geometry.decimals);
    Object.keys(layerData.properties).forEach(function (name) {
      layerData.properties[name] = decodeColumn(layerData.properties[name]);
    });
    var symbols = L.featureGroup();
    var circles = L.featureGroup();
    var group = L.featureGroup([symbols, circles]);
    var entry = { data: layerData, group: group, symbols: symbols, circles: circles, features: [] };
    for (var i = 0; i < layerData.count; i++) {
      var feature = this.featureAt(layerData, i);
      var shape;
      if (geometry.type === "Point") {
        var latlng = [geometry.y[i] / scale, geometry.x[i] / scale];
        shape = this.pointSymbol(feature, latlng, layerData);
        if (feature.accuracy_m >= UNCERTAINTY_MIN_M && layerData.count <= this.data.dom_symbol_limit) {
          feature.circle = L.circle(latlng, {
            radius: feature.accuracy_m, interactive: false, color: "#444", weight: 1,
            dashArray: "4 5", fill: true, fillOpacity: 0.04,
          });
        }
      } else {
        var depth = { LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2 }[geometry.type];
        var latlngs = decodeNested(geometry.coordinates[i], depth, scale);
        shape = depth === 0 || geometry.type === "MultiLineString"
          ? L.polyline(latlngs, this.lineStyle(feature))
          : L.polygon(latlngs, this.lineStyle(feature));
      }
      shape.atlasFeature = feature;
      feature.leaflet = shape;
      // Filled before the group is on the map: the map then adds them in one pass.
      symbols.addLayer(shape);
      if (feature.circle && this.showUncertainty) circles.addLayer(feature.circle);
      feature.firstDate = this.firstEventDate(feature);
      entry.features.push(feature);
      this.features.push(feature);
      this.byId[feature.id] = feature;
    }
    symbols.bindPopup(function (layer) { return self.popupFor(layer.atlasFeature); }, { maxWidth: 380, minWidth: 260, autoPanPadding: [20, 20] });
    if (geometry.type === "Point" && layerData.count <= LABEL_LIMIT) {
      // Few points: name them on the map, so a reader needs no hovering to tell them apart.
      entry.features.forEach(function (feature) {
        feature.leaflet.bindTooltip(el("span", { text: feature.name }), { permanent: true, direction: "right", offset: [8, 0], className: "atlas-label atlas-label-" + feature.kind });
      });
    } else {
      symbols.bindTooltip(function (layer) { return el("span", { text: layer.atlasFeature.name }); }, { sticky: geometry.type !== "Point" });
    }
    this.layers.push(entry);
    // Leaflet's layer control writes names with innerHTML: escape them.
    this.control.addOverlay(group, escapeHtml(layerData.title) + ' <span class="atlas-count">(' + layerData.count + ")</span>");
    group.addTo(this.map);
    group.atlasLayerId = layerData.id;
    return entry;
  };

  // ---- popups ------------------------------------------------------------------------------

  Atlas.prototype.sourceList = function (ids) {
    var sources = this.data.sources;
    var list = el("ol", { className: "atlas-sources" });
    ids.forEach(function (id) {
      var source = sources[id];
      if (!source) return;
      var item = el("li");
      var url = safeUrl(source.url);
      item.appendChild(url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: source.title }) : el("span", { text: source.title }));
      var bits = [];
      if (source.publisher) bits.push(source.publisher);
      bits.push(source.published ? formatDate(source.published) : "undated");
      if (source.file) bits.push("text: " + source.file);
      item.appendChild(el("span", { className: "atlas-muted", text: " (" + bits.join(", ") + ")" }));
      list.appendChild(item);
    });
    return list;
  };

  Atlas.prototype.popupFor = function (feature) {
    var self = this;
    var data = this.data;
    var root = el("div", { className: "atlas-popup", "data-feature-id": feature.id });
    root.appendChild(el("h2", { text: feature.name }));
    var alt = [];
    if (feature.name_ru) alt.push(feature.name_ru);
    if (feature.name_local) alt.push(feature.name_local + (feature.local_lang ? " (" + feature.local_lang + ")" : ""));
    if (alt.length) root.appendChild(el("p", { className: "atlas-altnames", text: alt.join(" · ") }));
    var facts = [this.kindLabel(feature.kind), feature.country.map(function (c) { return self.countryLabel(c); }).join(" / ")];
    var meta = el("p", { className: "atlas-meta", text: facts.join(" · ") + " " });
    if (feature.status) meta.appendChild(el("span", { className: "atlas-status atlas-status-" + feature.status, text: this.statusLabel(feature.status) }));
    root.appendChild(meta);
    if (feature.note) root.appendChild(el("p", { text: feature.note }));

    var position = el("p", { className: "atlas-position" });
    var approximate = feature.schematic || feature.accuracy_m >= 1000;
    position.appendChild(el("strong", { text: feature.schematic ? "Schematic geometry. " : approximate ? "Approximate position. " : "Position. " }));
    position.appendChild(document.createTextNode("Within about " + formatDistance(feature.accuracy_m) + " of the true place. " + (feature.geometry_source || "")));
    root.appendChild(position);

    if (feature.projects.length) {
      root.appendChild(el("h3", { text: feature.projects.length > 1 ? "Projects" : "Project" }));
      feature.projects.forEach(function (id) {
        var project = data.projects[id];
        if (!project) return;
        var block = el("div", { className: "atlas-project" });
        var title = el("p", null, el("strong", { text: project.name }), " ");
        title.appendChild(el("span", { className: "atlas-status atlas-status-" + project.status, text: self.statusLabel(project.status) }));
        block.appendChild(title);
        block.appendChild(el("p", { className: "atlas-summary", text: project.summary }));
        root.appendChild(block);
      });
    }
    if (feature.figures.length) {
      root.appendChild(el("h3", { text: "Key figures" }));
      var figures = el("ul", { className: "atlas-figures" });
      feature.figures.forEach(function (id) {
        var figure = data.figures[id];
        if (!figure) return;
        var item = el("li", null, el("span", { text: figure.label + ": " }), el("strong", { text: formatValue(figure) }));
        var period = formatPeriod(figure);
        if (period) item.appendChild(el("span", { className: "atlas-muted", text: " (" + period + ")" }));
        if (figure.kind === "target" || figure.kind === "estimate") item.appendChild(el("span", { className: "atlas-tag", text: figure.kind }));
        figures.appendChild(item);
      });
      root.appendChild(figures);
    }
    if (feature.events.length) {
      root.appendChild(el("h3", { text: "Events" }));
      var events = el("ul", { className: "atlas-events" });
      feature.events.forEach(function (id) {
        var event = data.events[id];
        if (!event) return;
        var label = self.vocab.events[event.kind] || event.kind;
        events.appendChild(el("li", null, el("time", { text: formatDate(event.date) }), " — " + label + ": " + event.title));
      });
      root.appendChild(events);
    }
    var sourceIds = feature.sources.slice();
    var addSources = function (ids) { ids.forEach(function (id) { if (sourceIds.indexOf(id) < 0) sourceIds.push(id); }); };
    feature.projects.forEach(function (id) { if (data.projects[id]) addSources(data.projects[id].sources); });
    feature.events.forEach(function (id) { if (data.events[id]) addSources(data.events[id].sources); });
    feature.figures.forEach(function (id) { if (data.figures[id]) addSources(data.figures[id].sources); });
    root.appendChild(el("h3", { text: "Sources" }));
    root.appendChild(this.sourceList(sourceIds));
    return root;
  };

  // ---- visibility: layers, filters, timeline -----------------------------------------------

  Atlas.prototype.matches = function (feature) {
    var f = this.filters;
    if (f.status[feature.status || ""] === false) return false;
    if (f.kind[feature.kind] === false) return false;
    if (feature.country.length && feature.country.every(function (c) { return f.country[c] === false; })) return false;
    if (this.date && feature.firstDate && feature.firstDate > this.date) return false;
    return true;
  };

  Atlas.prototype.applyVisibility = function () {
    var self = this;
    this.layers.forEach(function (entry) {
      entry.features.forEach(function (feature) {
        var show = self.matches(feature);
        var has = entry.symbols.hasLayer(feature.leaflet);
        if (show && !has) entry.symbols.addLayer(feature.leaflet);
        else if (!show && has) entry.symbols.removeLayer(feature.leaflet);
        if (feature.circle) {
          var showCircle = show && self.showUncertainty;
          var hasCircle = entry.circles.hasLayer(feature.circle);
          if (showCircle && !hasCircle) entry.circles.addLayer(feature.circle);
          else if (!showCircle && hasCircle) entry.circles.removeLayer(feature.circle);
        }
      });
    });
    this.updateHash();
  };

  Atlas.prototype.layerVisible = function (entry) {
    return this.map.hasLayer(entry.group);
  };

  // ---- legend ------------------------------------------------------------------------------

  Atlas.prototype.buildLegend = function () {
    var self = this;
    var container = document.getElementById("atlas-legend");
    container.appendChild(el("h2", { text: "Legend" }));
    this.layers.forEach(function (entry) {
      var section = el("div", { className: "atlas-legend-layer", "data-layer": entry.data.id });
      section.appendChild(el("h3", { text: entry.data.title }));
      var list = el("ul");
      var seen = {};
      entry.features.forEach(function (feature) {
        var isLine = entry.data.geometry.type !== "Point";
        var key = feature.kind + (isLine ? "|" + (feature.kind === "corridor" ? "schematic" : feature.status || "unknown") : "");
        if (seen[key]) return;
        seen[key] = true;
        var style = self.vocab.kinds[feature.kind] || { symbol: "dot", color: "#333" };
        var swatch;
        if (!isLine) {
          swatch = el("span", { className: "atlas-symbol atlas-symbol-" + style.symbol, "aria-hidden": "true" });
        } else if (style.symbol === "area") {
          swatch = el("span", { className: "atlas-swatch-area", "aria-hidden": "true" });
          swatch.style.background = style.fill;
          swatch.style.borderColor = style.color;
        } else {
          var line = self.lineStyle(feature);
          swatch = el("span", { className: "atlas-swatch-line" + (line.dashArray ? " atlas-dashed" : ""), "aria-hidden": "true" });
          swatch.style.borderTopColor = style.color;
          if (line.dashArray === "2 7") swatch.className += " atlas-dotted";
        }
        swatch.style.setProperty("--atlas-color", style.color);
        var label = style.label;
        if (isLine && style.symbol === "line" && feature.kind !== "corridor") label += " — " + self.statusLabel(feature.status || "unknown").toLowerCase();
        list.appendChild(el("li", null, swatch, el("span", { text: label })));
      });
      if (entry.features.some(function (f) { return f.circle; })) {
        list.appendChild(el("li", null, el("span", { className: "atlas-swatch-circle", "aria-hidden": "true" }), el("span", { text: "Positional uncertainty (radius = accuracy)" })));
      }
      section.appendChild(list);
      container.appendChild(section);
      entry.legend = section;
    });
    container.appendChild(el("p", { className: "atlas-legend-base" }, el("span", { className: "atlas-swatch-area atlas-swatch-country", "aria-hidden": "true" }), el("span", { text: "Country outlines (Natural Earth 1:10m, simplified)" })));
    var toggle = el("input", { type: "checkbox", id: "atlas-uncertainty" });
    toggle.checked = this.showUncertainty;
    toggle.addEventListener("change", function () {
      self.showUncertainty = toggle.checked;
      self.applyVisibility();
    });
    container.appendChild(el("p", null, toggle, el("label", { for: "atlas-uncertainty", text: " Show positional uncertainty circles" })));
    var sync = function () {
      self.layers.forEach(function (entry) {
        entry.legend.hidden = !self.layerVisible(entry);
      });
      self.updateHash();
    };
    this.map.on("overlayadd overlayremove", sync);
    sync();
  };

  // ---- filters -----------------------------------------------------------------------------

  Atlas.prototype.buildFilters = function () {
    var self = this;
    var container = document.getElementById("atlas-filters");
    container.appendChild(el("h2", { text: "Filters" }));
    var groups = [
      ["status", "Status", function (f) { return [f.status || ""]; }, function (v) { return self.statusLabel(v); }],
      ["country", "Country", function (f) { return f.country; }, function (v) { return self.countryLabel(v); }],
      ["kind", "Kind", function (f) { return [f.kind]; }, function (v) { return self.kindLabel(v); }],
    ];
    groups.forEach(function (group) {
      var key = group[0];
      var values = {};
      self.features.forEach(function (f) { group[2](f).forEach(function (v) { values[v] = true; }); });
      var fieldset = el("fieldset", { className: "atlas-filter", "data-filter": key }, el("legend", { text: group[1] }));
      Object.keys(values).sort().forEach(function (value, n) {
        var id = "atlas-filter-" + key + "-" + n;
        var box = el("input", { type: "checkbox", id: id, "data-value": value });
        box.checked = true;
        self.filters[key][value] = true;
        box.addEventListener("change", function () {
          self.filters[key][value] = box.checked;
          self.applyVisibility();
        });
        fieldset.appendChild(el("div", null, box, el("label", { for: id, text: " " + group[3](value) })));
      });
      container.appendChild(fieldset);
    });
  };

  // ---- timeline ----------------------------------------------------------------------------

  Atlas.prototype.buildTimeline = function () {
    var self = this;
    var container = document.getElementById("atlas-timeline");
    // A map about some countries lists the events among those countries only.
    var scope = this.data.map.countries || [];
    var events = Object.keys(this.data.events)
      .map(function (id) { return self.data.events[id]; })
      .filter(function (e) { return !scope.length || e.countries.every(function (c) { return scope.indexOf(c) >= 0; }); });
    var dated = events.filter(function (e) { return e.date; }).sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
    container.appendChild(el("h2", { text: "Timeline" }));
    if (!dated.length) {
      container.appendChild(el("p", { className: "atlas-muted", text: "No dated events on this map." }));
      return;
    }
    var dates = [];
    dated.forEach(function (e) { if (dates.indexOf(e.date) < 0) dates.push(e.date); });
    this.timelineDates = dates;
    var slider = el("input", { type: "range", id: "atlas-timeline-slider", min: "0", max: String(dates.length), step: "1", "aria-describedby": "atlas-timeline-label" });
    slider.value = String(dates.length);
    var label = el("output", { id: "atlas-timeline-label", for: "atlas-timeline-slider" });
    var list = el("ol", { className: "atlas-timeline-events" });
    dated.concat(events.filter(function (e) { return !e.date; })).forEach(function (event) {
      var kind = self.vocab.events[event.kind] || event.kind;
      var item = el("li", { "data-date": event.date || "" }, el("time", { text: formatDate(event.date) }), " — " + kind + ": " + event.title);
      list.appendChild(item);
    });
    var render = function () {
      var index = parseInt(slider.value, 10);
      self.date = index >= dates.length ? null : dates[index];
      label.textContent = self.date ? "Showing what existed by " + formatDate(self.date) : "All dates";
      slider.setAttribute("aria-valuetext", label.textContent);
      Array.prototype.forEach.call(list.children, function (item) {
        var date = item.getAttribute("data-date");
        item.className = self.date && date && date > self.date ? "atlas-future" : "";
      });
      self.applyVisibility();
    };
    slider.addEventListener("input", render);
    this.setTimelineDate = function (date) {
      var index = date ? dates.indexOf(date) : -1;
      slider.value = String(index < 0 ? dates.length : index);
      render();
    };
    container.appendChild(el("label", { for: "atlas-timeline-slider", text: "Agreements and events up to a date" }));
    container.appendChild(slider);
    container.appendChild(label);
    container.appendChild(list);
    render();
  };

  // ---- search ------------------------------------------------------------------------------

  Atlas.prototype.buildSearch = function () {
    var self = this;
    var container = document.getElementById("atlas-search");
    var input = el("input", { type: "search", id: "atlas-search-input", placeholder: "Find a place (English, Русский, local)", autocomplete: "off", "aria-controls": "atlas-search-results" });
    var results = el("ul", { id: "atlas-search-results", className: "atlas-search-results", "aria-live": "polite" });
    container.appendChild(el("label", { for: "atlas-search-input", className: "atlas-visually-hidden", text: "Search features by name" }));
    container.appendChild(input);
    container.appendChild(results);
    var index = null; // built on the first search: folding every name costs time at 100k features
    var update = function () {
      var query = fold(input.value.trim());
      results.textContent = "";
      if (!query) return;
      index = index || self.features.map(function (f) {
        return { feature: f, keys: [f.name, f.name_ru, f.name_local, f.id].filter(Boolean).map(fold) };
      });
      var hits = index.filter(function (entry) {
        return entry.keys.some(function (key) { return key.indexOf(query) >= 0; });
      }).slice(0, SEARCH_LIMIT);
      if (!hits.length) {
        results.appendChild(el("li", { className: "atlas-muted", text: "No match" }));
        return;
      }
      hits.forEach(function (hit) {
        var f = hit.feature;
        var detail = self.kindLabel(f.kind) + ", " + f.country.map(function (c) { return self.countryLabel(c); }).join(" / ");
        var button = el("button", { type: "button", className: "atlas-search-hit", "data-feature-id": f.id }, el("span", { className: "atlas-hit-name", text: f.name }), el("span", { className: "atlas-muted", text: " — " + detail }));
        if (f.name_ru || f.name_local) button.appendChild(el("span", { className: "atlas-hit-alt", text: [f.name_ru, f.name_local].filter(Boolean).join(" · ") }));
        button.addEventListener("click", function () { self.focusFeature(f.id); });
        results.appendChild(el("li", null, button));
      });
    };
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        var first = results.querySelector("button");
        if (first) first.click();
      }
    });
  };

  Atlas.prototype.focusFeature = function (id) {
    var feature = this.byId[id];
    if (!feature) return false;
    var entry = this.layers.filter(function (e) { return e.data.id === feature.layerId; })[0];
    if (!this.map.hasLayer(entry.group)) this.map.addLayer(entry.group);
    if (!this.matches(feature)) {
      // The search asked for it: clear whatever hides it.
      var f = this.filters;
      f.status[feature.status || ""] = true;
      f.kind[feature.kind] = true;
      feature.country.forEach(function (c) { f.country[c] = true; });
      document.querySelectorAll("#atlas-filters input[type=checkbox]").forEach(function (box) {
        var key = box.closest("fieldset").getAttribute("data-filter");
        box.checked = f[key][box.getAttribute("data-value")] !== false;
      });
      if (this.setTimelineDate && this.date && feature.firstDate && feature.firstDate > this.date) this.setTimelineDate(null);
      this.applyVisibility();
    }
    var shape = feature.leaflet;
    if (shape.getLatLng) this.map.setView(shape.getLatLng(), Math.max(this.map.getZoom(), 9));
    else this.map.fitBounds(shape.getBounds(), { maxZoom: 10, padding: [30, 30] });
    // The group owns the popup; a click event naming the shape opens it for that shape.
    var at = shape.getLatLng ? shape.getLatLng() : shape.getCenter ? shape.getCenter() : shape.getBounds().getCenter();
    this.map.closePopup();
    entry.symbols.fire("click", { layer: shape, latlng: at });
    return true;
  };

  // ---- tools: fullscreen, measure, panel ----------------------------------------------------

  var ICONS = {
    fullscreen: "M3 9V3h6M15 3h6v6M21 15v6h-6M9 21H3v-6",
    measure: "M3 17 17 3l4 4L7 21zM7 13l2 2M10 10l2 2M13 7l2 2",
  };

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  function controlButton(map, position, iconName, title, onClick) {
    var Control = L.Control.extend({
      onAdd: function () {
        var bar = el("div", { className: "leaflet-bar atlas-tool" });
        var button = el("button", { type: "button", title: title, "aria-label": title, "aria-pressed": "false", className: "atlas-tool-" + iconName }, icon(iconName));
        L.DomEvent.disableClickPropagation(bar);
        button.addEventListener("click", function () { onClick(button); });
        bar.appendChild(button);
        return bar;
      },
    });
    var control = new Control({ position: position });
    control.addTo(map);
    return control;
  }

  Atlas.prototype.addTools = function () {
    var self = this;
    var map = this.map;
    controlButton(map, "topleft", "fullscreen", "Full screen", function (button) {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
      button.setAttribute("aria-pressed", String(!document.fullscreenElement));
    });
    var measuring = null;
    var readout = null;
    var finish = function () {
      if (!measuring) return;
      map.off("click", measuring.onClick);
      map.getContainer().classList.remove("atlas-measuring");
      measuring = null;
    };
    controlButton(map, "topleft", "measure", "Measure a distance: click points on the map; press again or Esc to finish", function (button) {
      if (measuring) {
        finish();
        button.setAttribute("aria-pressed", "false");
        return;
      }
      if (readout) readout.remove();
      var line = L.polyline([], { color: "#d35400", weight: 3, dashArray: "6 4", interactive: false }).addTo(map);
      readout = L.control({ position: "bottomleft" });
      readout.onAdd = function () { return el("div", { className: "atlas-measure-readout", role: "status", text: "Click on the map to start measuring" }); };
      readout.addTo(map);
      readout.remove = (function (original) {
        return function () { map.removeLayer(line); return original.call(readout); };
      })(readout.remove);
      measuring = {
        onClick: function (event) {
          line.addLatLng(event.latlng);
          var points = line.getLatLngs();
          var total = 0;
          for (var i = 1; i < points.length; i++) total += map.distance(points[i - 1], points[i]);
          readout.getContainer().textContent = "Distance: " + formatDistance(total) + " (" + points.length + " points)";
        },
      };
      map.on("click", measuring.onClick);
      map.getContainer().classList.add("atlas-measuring");
      button.setAttribute("aria-pressed", "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") finish();
    });
    var toggle = document.getElementById("atlas-panel-toggle");
    var panel = document.getElementById("atlas-panel");
    toggle.addEventListener("click", function () {
      var collapsed = panel.classList.toggle("atlas-collapsed");
      toggle.setAttribute("aria-expanded", String(!collapsed));
      toggle.textContent = collapsed ? "Show panel" : "Hide panel";
    });
  };

  // ---- the view in the URL ---------------------------------------------------------------------

  Atlas.prototype.updateHash = function () {
    if (!this.ready) return;
    var center = this.map.getCenter();
    var zoom = this.map.getZoom();
    var visible = this.layers.filter(this.layerVisible, this).map(function (e) { return e.data.id; });
    var hash = "#map=" + zoom + "/" + center.lat.toFixed(4) + "/" + center.lng.toFixed(4) + "&layers=" + visible.join(",");
    if (this.date) hash += "&date=" + this.date;
    if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
  };

  Atlas.prototype.readHash = function () {
    var params = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) params[pair.slice(0, at)] = decodeURIComponent(pair.slice(at + 1));
    });
    return params;
  };

  Atlas.prototype.applyHash = function () {
    var params = this.readHash();
    var applied = false;
    if (params.map) {
      var parts = params.map.split("/").map(Number);
      if (parts.length === 3 && parts.every(isFinite)) {
        this.map.setView([parts[1], parts[2]], parts[0]);
        applied = true;
      }
    }
    if (typeof params.layers === "string") {
      var wanted = params.layers.split(",");
      var self = this;
      this.layers.forEach(function (entry) {
        var on = wanted.indexOf(entry.data.id) >= 0;
        if (on && !self.map.hasLayer(entry.group)) self.map.addLayer(entry.group);
        if (!on && self.map.hasLayer(entry.group)) self.map.removeLayer(entry.group);
      });
    }
    if (params.date && this.setTimelineDate) this.setTimelineDate(params.date);
    return applied;
  };

  // ---- start -------------------------------------------------------------------------------

  Atlas.prototype.start = function () {
    var self = this;
    this.drawBase();
    this.data.layers.forEach(function (layerData) { self.buildLayer(layerData); });
    var none = L.layerGroup();
    this.control.addBaseLayer(none, "No basemap (country outlines only)");
    this.buildSearch();
    this.buildTimeline();
    this.buildFilters();
    this.buildLegend();
    this.addTools();
    this.applyVisibility();
    if (!this.applyHash() && this.data.fit_bounds) {
      var panel = document.getElementById("atlas-panel");
      var left = panel && window.innerWidth > 700 ? panel.getBoundingClientRect().right + 10 : 20;
      this.map.fitBounds(this.data.fit_bounds, { paddingTopLeft: [left, 20], paddingBottomRight: [20, 20] });
    }
    this.ready = true;
    var container = this.map.getContainer();
    var labelZoom = function () {
      // Zoomed out, only capitals keep their labels; the rest would pile up.
      container.classList.toggle("atlas-zoomed-out", self.map.getZoom() < LABEL_ZOOM);
    };
    labelZoom();
    this.map.on("zoomend", labelZoom);
    this.map.on("moveend", function () { self.updateHash(); });
    window.addEventListener("hashchange", function () { self.applyHash(); });
    this.updateHash();
  };

  // A small read-only view for people poking at the page from the console (and for tests).
  Atlas.prototype.api = function () {
    var self = this;
    return {
      layerIds: function () { return self.layers.map(function (e) { return e.data.id; }); },
      featureCount: function () { return self.features.length; },
      drawnCount: function (layerId) {
        return self.layers
          .filter(function (e) { return !layerId || e.data.id === layerId; })
          .reduce(function (n, e) { return n + (self.layerVisible(e) ? e.symbols.getLayers().length : 0); }, 0);
      },
      featureIds: function () { return self.features.map(function (f) { return f.id; }); },
      screenPoint: function (id) {
        var shape = self.byId[id] && self.byId[id].leaflet;
        if (!shape) return null;
        var latlng = shape.getLatLng ? shape.getLatLng() : shape.getCenter ? shape.getCenter() : shape.getBounds().getCenter();
        var point = self.map.latLngToContainerPoint(latlng);
        var box = self.map.getContainer().getBoundingClientRect();
        return { x: box.left + point.x, y: box.top + point.y };
      },
      focus: function (id) { return self.focusFeature(id); },
    };
  };

  window.AtlasMap = {
    start: function (mapId, map, control, dataId) {
      var data = JSON.parse(document.getElementById(dataId).textContent);
      var atlas = new Atlas(mapId, map, control, data);
      atlas.start();
      window.atlas = atlas.api();
      document.documentElement.setAttribute("data-atlas-ready", "true");
      return atlas;
    },
    formatDate: formatDate,
  };
})();
