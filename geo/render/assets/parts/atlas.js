/* The atlas page: wires the data block, the state, the layers, the panel's controls, popups,
 * the chooser, labels and the URL hash together. Everything it draws comes from the JSON block;
 * every string from the data is untrusted and reaches the page as text only. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;
  var F = P.format;
  var LABEL_LIMIT = 200; // point and line layers up to this size get permanent name labels
  var PICK_POINT_PX = 11; // a click this close to a symbol's centre is a click on it
  var PICK_PATH_PX = 5; // ... and this close to a line, beyond half its width
  var PHONE = "(max-width: 700px)";
  var CHOOSER_LIMIT = 12; // names in one chooser; beyond it, a "zoom in here" button

  var Atlas = L.Evented.extend({
    initialize: function (map, tiles, data) {
      this.map = map;
      this.data = data;
      this.vocab = data.vocabulary;
      this.layers = [];
      this.features = [];
      this.byId = {};
      this.basemaps = tiles.bases.map(function (b) { return { id: b[0], name: b[1], layer: b[2] }; });
      this.basemaps.push({ id: "none", name: "No basemap (country outlines only)", layer: null });
      this.tileOverlays = tiles.overlays.map(function (o) { return { id: o[0], name: o[1], layer: o[2] }; });
    },

    kindLabel: function (kind) { var s = this.vocab.kinds[kind]; return s ? s.label : kind; },
    countryLabel: function (code) { return this.vocab.countries[code] || code; },
    statusLabel: function (status) { return this.vocab.statuses[status || ""] || status; },
    /** "status as of 23 August 2024" beside a status over a year old at build time (geo/status_age.py). */
    statusAsOf: function (record) {
      if (!record.status_stale || !record.status_as_of) return null;
      return el("span", { className: "atlas-as-of", text: " " + this.vocab.status_as_of.template.replace("{date}", F.formatDate(record.status_as_of)) });
    },

    // ---- drawing -----------------------------------------------------------------------------

    drawBase: function () {
      var pane = this.map.createPane("atlasBase");
      pane.style.zIndex = 250;
      pane.style.pointerEvents = "none";
      var renderer = L.canvas({ pane: "atlasBase" });
      var scale = Math.pow(10, this.data.base_decimals);
      var group = L.layerGroup();
      var outline = this.vocab.drawing.base;
      this.data.base.forEach(function (country) {
        L.polygon(P.decode.decodeNested(country.coordinates, 2, scale), {
          renderer: renderer, pane: "atlasBase", interactive: false,
          color: outline.colour, weight: outline.weight, fillColor: outline.fill, fillOpacity: outline.fill_opacity,
        }).addTo(group);
      });
      group.addTo(this.map);
    },

    buildLayers: function () {
      var ctx = { vocab: this.vocab, domSymbolLimit: this.data.dom_symbol_limit };
      var self = this;
      this.data.layers.forEach(function (layerData) {
        var layer = new P.layer.AtlasLayer(layerData, ctx);
        layer.atlasLayerId = layerData.id;
        layer.features.forEach(function (f) { self.features.push(f); self.byId[f.id] = f; });
        self.layers.push(layer);
        layer.symbols.on("click", function (e) {
          // Markers do not pass clicks on to the map; paths do, and are picked there.
          if (e.layer instanceof L.Marker) { L.DomEvent.stop(e); self.onClick(e); }
        });
        // Enter on a focused symbol is a click on it (Leaflet does this only for bound popups).
        layer.symbols.on("keypress", function (e) {
          if (e.originalEvent && e.originalEvent.keyCode === 13 && e.layer instanceof L.Marker) self.onClick(e);
        });
      });
      this.datingFeatures();
    },

    /** A feature with projects starts with its projects' first dated event; others never do. */
    datingFeatures: function () {
      var starts = {};
      var events = this.data.events;
      Object.keys(events).forEach(function (id) {
        var e = events[id];
        if (!e.date) return;
        (e.projects || []).forEach(function (p) { if (!starts[p] || e.date < starts[p]) starts[p] = e.date; });
      });
      this.features.forEach(function (f) {
        if (!f.projects.length || !f.projects.every(function (p) { return starts[p]; })) return;
        f.start = f.projects.map(function (p) { return starts[p]; }).sort()[0];
      });
    },

    buildLabels: function () {
      var self = this;
      var map = this.map;
      var labels = new P.layer.AtlasLabels({
        obstacles: function () {
          var box = map.getContainer().getBoundingClientRect();
          return Array.prototype.map.call(map.getContainer().querySelectorAll(".leaflet-control, .atlas-measure-readout"), function (c) {
            var r = c.getBoundingClientRect();
            return { x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height };
          });
        },
      });
      (this.data.base_labels || []).forEach(function (c) {
        // Named once, at its label point nearest the middle of the view where the name fits.
        var points = c.points.map(function (p) { return L.latLng(p[1], p[0]); });
        var near = [];
        labels.add({
          key: "country:" + c.iso, text: self.countryLabel(c.iso), kind: "country", country: true,
          latlng: function () { return near[0]; },
          others: function () { return near.slice(1, 8); },
          visible: function () {
            var inner = map.getBounds().pad(-0.03);
            var middle = map.getCenter();
            near = points.filter(function (p) { return inner.contains(p); });
            var d = function (p) { return Math.abs(p.lat - middle.lat) + Math.abs(p.lng - middle.lng); };
            near.sort(function (a, b) { return d(a) - d(b); });
            return near.length > 0;
          },
        });
      });
      this.layers.forEach(function (layer) {
        if (layer.data.count > LABEL_LIMIT) return;
        layer.features.forEach(function (f) {
          labels.add({
            // The sites the map is about (those with projects) before the places around them.
            key: "feature:" + f.id, text: f.name, kind: f.kind, symbol: f.isPoint, importance: f.projects.length ? 6 : 0,
            latlng: function () { return P.layer.anchorOf(f); },
            visible: function () { return map.hasLayer(layer) && layer.symbols.hasLayer(f.leaflet); },
            dimmed: function () { return !!f.dimmed; },
          });
        });
      });
      this.labels = labels;
    },

    // ---- state -> map ------------------------------------------------------------------------

    show: function (f) {
      var s = this.state;
      if (s.filteredOut("status", f.status || "")) return false;
      if (s.filteredOut("kind", f.kind)) return false;
      if (f.country.length && f.country.every(function (c) { return s.filteredOut("country", c); })) return false;
      return true;
    },

    render: function (keys) {
      var map = this.map, state = this.state, self = this;
      var all = !keys;
      if (all || keys.indexOf("base") >= 0) {
        this.basemaps.forEach(function (b) {
          if (!b.layer) return;
          var on = b.id === state.base;
          if (on && !map.hasLayer(b.layer)) { b.layer.addTo(map); b.layer.bringToBack(); }
          if (!on && map.hasLayer(b.layer)) map.removeLayer(b.layer);
        });
        this.watchTiles();
      }
      if (all || keys.indexOf("layers") >= 0) {
        this.layers.forEach(function (layer) {
          var on = state.layerOn(layer.data.id);
          if (on && !map.hasLayer(layer)) map.addLayer(layer);
          if (!on && map.hasLayer(layer)) map.removeLayer(layer);
        });
        this.tileOverlays.forEach(function (o) {
          var on = state.layerOn(o.id);
          if (on && !map.hasLayer(o.layer)) map.addLayer(o.layer);
          if (!on && map.hasLayer(o.layer)) map.removeLayer(o.layer);
        });
      }
      if (all || keys.indexOf("hidden") >= 0 || keys.indexOf("date") >= 0 || keys.indexOf("uncertainty") >= 0) {
        var date = state.date;
        var dim = function (f) { return !!(date && f.start && f.start > date); };
        this.layers.forEach(function (layer) { layer.applyVisibility(self.show.bind(self), state.uncertainty, dim); });
        var open = this.popup && this.popup.isOpen() && this.byId[this.popup.atlasFeature];
        if (open && !this.show(open)) map.closePopup();
      }
      if (this.labels) this.labels.update();
      this.writeHash();
    },

    // ---- basemap tiles that do not load --------------------------------------------------------

    watchTiles: function () {
      var self = this;
      var base = this.basemaps.filter(function (b) { return b.id === self.state.base; })[0];
      if (this.notices) this.notices.hide("tiles");
      if (!base || !base.layer || base.layer._atlasWatched) return;
      base.layer._atlasWatched = true;
      var failed = 0, loaded = 0;
      base.layer.on("tileload", function () {
        loaded += 1;
        if (self.notices) self.notices.hide("tiles");
      });
      base.layer.on("tileerror", function () {
        failed += 1;
        if (!loaded && self.state.base === base.id && self.notices) {
          self.notices.show("tiles", "The " + base.name + " tiles could not be loaded (offline?). The map shows the country outlines that come with this page.");
        }
      });
    },

    // ---- popups ------------------------------------------------------------------------------

    sourceList: function (ids) {
      var sources = this.data.sources;
      var list = el("ol", { className: "atlas-sources" });
      ids.forEach(function (id) {
        var source = sources[id];
        if (!source) return;
        var item = el("li", { "data-source": id });
        var url = P.dom.safeUrl(source.url);
        item.appendChild(url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: source.title }) : el("span", { text: source.title }));
        var bits = [];
        if (source.publisher) bits.push(source.publisher);
        bits.push(source.published ? F.formatDate(source.published) : "undated");
        if (source.file) bits.push("text: " + source.file);
        item.appendChild(el("span", { className: "atlas-muted", text: " (" + bits.join(", ") + ")" }));
        list.appendChild(item);
      });
      return list;
    },

    popupFor: function (feature) {
      var self = this, data = this.data;
      // Number the sources first, so every claim below can carry its numbers.
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
      var cite = function (ids) {
        var numbers = (ids || []).map(function (id) { return order.indexOf(id) + 1; }).filter(function (n) { return n > 0; }).sort(function (a, b) { return a - b; });
        if (!numbers.length) return null;
        return el("sup", { className: "atlas-cite", title: "Source " + numbers.join(", ") }, "[" + numbers.join(", ") + "]");
      };

      var rootNode = el("div", { className: "atlas-popup", "data-feature-id": feature.id, tabindex: "0", role: "group", "aria-label": feature.name });
      rootNode.appendChild(el("h2", { text: feature.name }));
      var alt = [];
      if (feature.name_ru) alt.push(feature.name_ru);
      if (feature.name_local) alt.push(feature.name_local + (feature.local_lang ? " (" + feature.local_lang + ")" : ""));
      if (alt.length) rootNode.appendChild(el("p", { className: "atlas-altnames", text: alt.join(" · ") }));
      var facts = [this.kindLabel(feature.kind), feature.country.map(this.countryLabel, this).join(" / ")];
      var meta = el("p", { className: "atlas-meta", text: facts.join(" · ") + " " });
      if (feature.status) meta.appendChild(el("span", { className: "atlas-status atlas-status-" + feature.status, text: this.statusLabel(feature.status) }));
      var featureAsOf = feature.status && this.statusAsOf(feature);
      if (featureAsOf) meta.appendChild(featureAsOf);
      rootNode.appendChild(meta);
      if (feature.note) rootNode.appendChild(el("p", null, feature.note, cite(feature.sources)));

      var position = el("p", { className: "atlas-position" });
      var approximate = feature.schematic || feature.accuracy_m >= 1000;
      position.appendChild(el("strong", { text: feature.schematic ? "Schematic geometry. " : approximate ? "Approximate position. " : "Position. " }));
      position.appendChild(document.createTextNode("Within about " + F.formatDistance(feature.accuracy_m) + " of the true place. " + (feature.geometry_source || "")));
      var positionCite = cite(feature.sources);
      if (positionCite) position.appendChild(positionCite);
      rootNode.appendChild(position);

      var date = this.state.date;
      if (feature.projects.length) {
        rootNode.appendChild(el("h3", { text: feature.projects.length > 1 ? "Projects" : "Project" }));
        feature.projects.forEach(function (id) {
          var project = data.projects[id];
          if (!project) return;
          var block = el("div", { className: "atlas-project" });
          var title = el("p", null, el("strong", { text: project.name }), " ");
          title.appendChild(el("span", { className: "atlas-status atlas-status-" + project.status, text: self.statusLabel(project.status) }));
          var projectAsOf = self.statusAsOf(project);
          if (projectAsOf) title.appendChild(projectAsOf);
          block.appendChild(title);
          block.appendChild(el("p", { className: "atlas-summary" }, project.summary, cite(project.sources)));
          rootNode.appendChild(block);
        });
      }
      if (feature.figures.length) {
        rootNode.appendChild(el("h3", { text: "Key figures" }));
        var figures = el("ul", { className: "atlas-figures" });
        feature.figures.forEach(function (id) {
          var figure = data.figures[id];
          if (!figure) return;
          var item = el("li", { "data-figure": id }, el("span", { text: figure.label + ": " }));
          var values = F.figureValues(figure);
          values.forEach(function (v, n) {
            if (n) item.appendChild(document.createTextNode(" · "));
            item.appendChild(el("strong", { text: v.text }));
            var c = cite(v.sources);
            if (c) item.appendChild(c);
            if (v.note) item.appendChild(el("span", { className: "atlas-muted", text: " (" + v.note + ")" }));
          });
          if (F.sourcesDisagree(figure)) item.appendChild(el("span", { className: "atlas-disagree", text: " sources disagree" }));
          var period = F.formatPeriod(figure);
          if (period) item.appendChild(el("span", { className: "atlas-muted", text: " (" + period + ")" }));
          var measured = F.measuredText(figure);
          if (measured) item.appendChild(el("span", { className: "atlas-measured", text: " — " + measured }));
          if (figure.kind === "target" || figure.kind === "estimate") item.appendChild(el("span", { className: "atlas-tag", text: figure.kind }));
          figures.appendChild(item);
        });
        rootNode.appendChild(figures);
      }
      if (feature.events.length) {
        rootNode.appendChild(el("h3", { text: "Events" }));
        var events = el("ul", { className: "atlas-events" });
        feature.events.forEach(function (id) {
          var event = data.events[id];
          if (!event) return;
          var label = self.vocab.events[event.kind] || event.kind;
          var later = date && event.date && event.date > date;
          var item = el("li", { className: later ? "atlas-future" : null }, el("time", { text: F.formatDate(event.date) }), " — " + label + ": " + event.title);
          if (event.status) {
            item.appendChild(document.createTextNode(" "));
            item.appendChild(el("span", { className: "atlas-status atlas-status-" + event.status, text: self.statusLabel(event.status) }));
          }
          var c = cite(event.sources);
          if (c) item.appendChild(c);
          if (later) item.appendChild(el("span", { className: "atlas-muted", text: " (after the timeline's date)" }));
          events.appendChild(item);
        });
        rootNode.appendChild(events);
      }
      rootNode.appendChild(el("h3", { text: "Sources" }));
      rootNode.appendChild(this.sourceList(order));
      return rootNode;
    },

    popupOptions: function (className) {
      var size = this.map.getSize();
      // Content width: the popup's frame adds about 46 px; the pan padding keeps it off the tools
      // and below any notice shown at the top (an offline map's tile notice would cover its title).
      var maxWidth = Math.max(160, Math.min(380, size.x - 54 - 16 - 48));
      var top = 16 + (this.notices ? this.notices.coveredHeight() : 0);
      return {
        maxWidth: maxWidth, minWidth: Math.min(240, maxWidth), maxHeight: Math.max(140, size.y - 94 - top),
        autoPanPaddingTopLeft: L.point(54, top), autoPanPaddingBottomRight: L.point(16, 36),
        className: className, closeButton: true,
      };
    },

    /** Open a feature's popup; opts.latlng anchors it where the reader clicked a line or area. */
    openFeature: function (feature, opts) {
      opts = opts || {};
      var at = feature.isPoint ? feature.latlng : opts.latlng || P.layer.anchorOf(feature);
      var options = this.popupOptions("atlas-popup-wrap");
      if (feature.isPoint) options.offset = L.point(0, -4);
      var popup = L.popup(options).setLatLng(at).setContent(this.popupFor(feature));
      popup.atlasFeature = feature.id;
      popup.returnFocus = opts.returnFocus || null;
      this.popup = popup;
      popup.openOn(this.map);
      this.state.set({ open: feature.id });
      if (opts.focusPopup) {
        var node = popup.getElement() && popup.getElement().querySelector(".atlas-popup");
        if (node) node.focus({ preventScroll: true });
      }
      return popup;
    },

    /** Where several features meet under a click: name each, open none until one is chosen. */
    openChooser: function (hits, latlng, opts) {
      opts = opts || {};
      var self = this;
      var box = el("div", { className: "atlas-chooser", tabindex: "-1" });
      box.appendChild(el("h2", { text: hits.length + " features here — choose one" + (hits.length > CHOOSER_LIMIT ? " or zoom in" : "") }));
      var list = el("ul");
      hits.slice(0, CHOOSER_LIMIT).forEach(function (hit) {
        var f = hit.feature;
        var button = el("button", { type: "button", className: "atlas-choice-button", "data-feature-id": f.id },
          el("span", { className: "atlas-hit-name", text: f.name }), el("span", { className: "atlas-muted", text: " — " + self.kindLabel(f.kind) }));
        button.addEventListener("click", function () { self.openFeature(f, { latlng: latlng, focusPopup: true, returnFocus: opts.returnFocus }); });
        list.appendChild(el("li", null, button));
      });
      box.appendChild(list);
      if (hits.length > CHOOSER_LIMIT) {
        // Too many to name: offer a closer look instead of a list nobody can read.
        box.appendChild(el("p", { className: "atlas-muted", text: "…and " + (hits.length - CHOOSER_LIMIT) + " more here." }));
        var closer = el("button", { type: "button", className: "atlas-choice-button", text: "Zoom in here" });
        var map = this.map;
        closer.addEventListener("click", function () { map.closePopup(); map.setView(latlng, Math.min(map.getZoom() + 3, map.getMaxZoom())); });
        box.appendChild(closer);
      }
      var popup = L.popup(this.popupOptions("atlas-chooser-wrap")).setLatLng(latlng).setContent(box);
      popup.returnFocus = opts.returnFocus || null;
      this.popup = popup;
      popup.openOn(this.map);
      if (opts.focus) { var first = box.querySelector("button"); if (first) first.focus({ preventScroll: true }); }
      return popup;
    },

    /** Every shown feature within reach of a container point, nearest first. */
    featuresAt: function (cp) {
      var map = this.map;
      var lp = map.containerPointToLayerPoint(cp);
      var hits = [];
      this.layers.forEach(function (layer) {
        if (!map.hasLayer(layer)) return;
        if (layer.data.geometry.type === "Point") {
          var tol = layer.large ? 6 : PICK_POINT_PX;
          var a = map.containerPointToLatLng([cp.x - tol, cp.y - tol]);
          var b = map.containerPointToLatLng([cp.x + tol, cp.y + tol]);
          layer.features.forEach(function (f) {
            var ll = f.latlng;
            if (ll.lat > a.lat || ll.lat < b.lat || ll.lng < a.lng || ll.lng > b.lng) return;
            if (!layer.symbols.hasLayer(f.leaflet)) return;
            var d = map.latLngToContainerPoint(ll).distanceTo(cp);
            if (d <= tol) hits.push({ feature: f, d: d, rank: 0 });
          });
          return;
        }
        layer.features.forEach(function (f) {
          var shape = f.leaflet;
          if (!layer.symbols.hasLayer(shape) || !shape._pxBounds || !shape._parts) return;
          var tol = (shape.options.weight || 3) / 2 + PICK_PATH_PX;
          var bb = shape._pxBounds;
          if (lp.x < bb.min.x - tol || lp.x > bb.max.x + tol || lp.y < bb.min.y - tol || lp.y > bb.max.y + tol) return;
          var closed = shape instanceof L.Polygon;
          var best = Infinity;
          shape._parts.forEach(function (part) {
            for (var i = 1; i < part.length; i++) best = Math.min(best, L.LineUtil.pointToSegmentDistance(lp, part[i - 1], part[i]));
            if (closed && part.length > 2) best = Math.min(best, L.LineUtil.pointToSegmentDistance(lp, part[part.length - 1], part[0]));
          });
          if (best <= tol) hits.push({ feature: f, d: best, rank: 1 });
          else if (closed && shape._containsPoint(lp)) hits.push({ feature: f, d: tol, rank: 2 });
        });
      });
      hits.sort(function (x, y) { return x.rank - y.rank || x.d - y.d; });
      return hits;
    },

    onClick: function (e) {
      var oe = e.originalEvent;
      var keyboard = !!(oe && /^key/.test(oe.type));
      var latlng = e.latlng || (e.layer && e.layer.getLatLng ? e.layer.getLatLng() : null);
      if (!latlng) return;
      if (this.measure && this.measure.active) { this.measure.addPoint(latlng); return; }
      // Leaflet gives a marker's own point for clicks on it; the chooser needs where the pointer was.
      var cp = !keyboard && oe && typeof oe.clientX === "number" && (oe.clientX || oe.clientY)
        ? this.map.mouseEventToContainerPoint(oe)
        : e.containerPoint || this.map.latLngToContainerPoint(latlng);
      var hits = this.featuresAt(cp);
      if (e.layer && e.layer.atlasFeature && !hits.some(function (h) { return h.feature === e.layer.atlasFeature; })) {
        hits.unshift({ feature: e.layer.atlasFeature, d: 0, rank: 0 });
      }
      if (!hits.length) return;
      var at = this.map.containerPointToLatLng(cp);
      // Opened from the keyboard (Enter on a symbol): focus goes into what opened, and back after.
      var back = keyboard && e.layer && e.layer._icon ? e.layer._icon : null;
      if (hits.length === 1) this.openFeature(hits[0].feature, { latlng: at, focusPopup: keyboard, returnFocus: back });
      else this.openChooser(hits, at, { focus: keyboard, returnFocus: back });
    },

    /** Bring a feature into view with whatever hides it cleared, and open its popup. */
    focusFeature: function (id, opts) {
      var feature = this.byId[id];
      if (!feature) return false;
      opts = opts || {};
      var state = this.state;
      var patch = {};
      if (!state.layerOn(feature.layerId)) patch.layers = state.layers.concat([feature.layerId]);
      if (!this.show(feature)) {
        var hidden = Object.assign({}, state.hidden);
        delete hidden["status." + (feature.status || "")];
        delete hidden["kind." + feature.kind];
        feature.country.forEach(function (c) { delete hidden["country." + c]; });
        patch.hidden = hidden;
      }
      state.set(patch);
      this.setSheet(false);
      var map = this.map;
      if (feature.isPoint) map.setView(feature.latlng, Math.max(map.getZoom(), 9), { animate: false });
      else map.fitBounds(feature.leaflet.getBounds(), { maxZoom: 10, padding: [30, 30], animate: false });
      this.openFeature(feature, opts);
      return true;
    },

    // ---- the bottom sheet on phones ---------------------------------------------------------------

    setSheet: function (open) {
      var panel = document.getElementById("atlas-panel");
      var toggle = document.getElementById("atlas-panel-toggle");
      if (!panel || !toggle) return;
      panel.classList.toggle("atlas-sheet-open", open);
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = open ? "Hide layers, filters and timeline" : "Layers, filters, timeline";
    },

    bindSheet: function () {
      var self = this;
      var panel = document.getElementById("atlas-panel");
      var toggle = document.getElementById("atlas-panel-toggle");
      toggle.addEventListener("click", function () { self.setSheet(!panel.classList.contains("atlas-sheet-open")); });
      var phone = window.matchMedia(PHONE);
      this.setSheet(!phone.matches);
      // Turned or resized across the phone width: a sheet starts collapsed, a sidebar open.
      if (phone.addEventListener) phone.addEventListener("change", function () { self.setSheet(!phone.matches); self.map.invalidateSize(); });
      this.on("searchchange", function (e) { if (window.matchMedia(PHONE).matches) panel.classList.toggle("atlas-sheet-results", e.open); });
    },

    // ---- the URL -------------------------------------------------------------------------------

    writeHash: function () {
      if (!this.ready) return;
      var map = this.map, state = this.state;
      var c = map.getCenter();
      var ids = this.layers.map(function (l) { return l.data.id; }).concat(this.tileOverlays.map(function (o) { return o.id; }));
      var hash = P.hash.formatHash({
        map: map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4),
        base: state.base === this.basemaps[0].id ? null : state.base,
        layers: ids.filter(function (id) { return state.layerOn(id); }).join(","),
        hide: Object.keys(state.hidden).sort().join(",") || null,
        date: state.date,
        uncertainty: state.uncertainty ? null : "0",
        open: state.open,
      });
      this.lastHash = hash;
      if (window.location.hash !== hash) window.history.replaceState(null, "", hash);
    },

    /** Apply the hash; a part that cannot be read falls back to its default and is reported. */
    applyHash: function () {
      var parsed = P.hash.parseHash(window.location.hash);
      var params = parsed.params;
      var problems = parsed.problems.slice();
      var map = this.map;
      var patch = { base: this.basemaps[0].id, layers: this.defaultLayers.slice(), hidden: {}, date: null, uncertainty: true };
      var view = null;
      if ("map" in params) {
        view = P.hash.parseView(params.map, map.getMinZoom(), map.getMaxZoom());
        if (!view) problems.push("map");
      }
      if ("base" in params) {
        if (this.basemaps.some(function (b) { return b.id === params.base; })) patch.base = params.base;
        else problems.push("base");
      }
      if ("layers" in params) {
        var known = this.layers.map(function (l) { return l.data.id; }).concat(this.tileOverlays.map(function (o) { return o.id; }));
        var layers = P.hash.parseList(params.layers, known);
        if (layers.unknown.length) problems.push("layers");
        if (layers.values.length || !layers.unknown.length) patch.layers = layers.values;
      }
      if ("hide" in params) {
        var filters = P.hash.parseList(params.hide, this.filterKeys());
        if (filters.unknown.length) problems.push("hide");
        filters.values.forEach(function (k) { patch.hidden[k] = true; });
      }
      if ("date" in params) {
        var date = P.hash.parseDate(params.date);
        if (date && this.timeline && this.timeline.dates.indexOf(date) >= 0) patch.date = date;
        else problems.push("date");
      }
      if ("uncertainty" in params) patch.uncertainty = params.uncertainty !== "0";
      var open = null;
      if (params.open) {
        if (this.byId[params.open]) open = this.byId[params.open];
        else problems.push("open");
      }
      this.state.set(patch);
      if (view) map.setView([view.lat, view.lng], view.zoom, { animate: false });
      if (open) {
        if (!this.show(open) || !this.state.layerOn(open.layerId)) problems.push("open");
        else this.openFeature(open);
      } else if (this.popup && this.popup.isOpen()) {
        map.closePopup();
      }
      if (problems.length && this.notices) {
        var names = { map: "view", base: "basemap", layers: "layers", hide: "filters", date: "date", open: "open feature" };
        var parts = problems.map(function (p) { return names[p] || p; }).filter(function (p, i, a) { return a.indexOf(p) === i; });
        this.notices.show("link", "Part of this link could not be read (" + parts.join(", ") + "); showing the map's defaults for it.");
      } else if (this.notices) {
        this.notices.hide("link");
      }
      return { view: !!view, problems: problems };
    },

    filterKeys: function () {
      var keys = {};
      this.features.forEach(function (f) {
        keys["status." + (f.status || "")] = true;
        keys["kind." + f.kind] = true;
        f.country.forEach(function (c) { keys["country." + c] = true; });
      });
      return Object.keys(keys);
    },

    timelineEvents: function () {
      // A map about some countries lists the events among those countries only.
      var data = this.data;
      var scope = data.map.countries || [];
      var events = Object.keys(data.events).map(function (id) { return data.events[id]; })
        .filter(function (e) { return !scope.length || e.countries.every(function (c) { return scope.indexOf(c) >= 0; }); });
      var dated = events.filter(function (e) { return e.date; }).sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
      return dated.concat(events.filter(function (e) { return !e.date; }));
    },

    // ---- start -------------------------------------------------------------------------------

    start: function () {
      var self = this;
      var map = this.map;
      var container = map.getContainer();
      container.setAttribute("role", "main");
      container.setAttribute("aria-label", "Map: " + this.data.map.title);
      this.drawBase();
      this.buildLayers();
      this.defaultLayers = this.layers.map(function (l) { return l.data.id; });
      this.state = new P.state.AtlasState({ base: this.basemaps[0].id, layers: this.defaultLayers });
      this.buildLabels();
      var C = P.controls;
      new C.SearchControl(this, { parent: "atlas-search" }).addTo(map);
      new C.LayersControl(this, { parent: "atlas-layers" }).addTo(map);
      new C.FiltersControl(this, { parent: "atlas-filters" }).addTo(map);
      this.timeline = new C.TimelineControl(this, { parent: "atlas-timeline" }).addTo(map);
      new C.SourcesControl(this, { parent: "atlas-sources" }).addTo(map);
      new C.FullscreenControl().addTo(map);
      this.measure = new C.MeasureControl().addTo(map);
      this.notices = new C.NoticeControl().addTo(map);
      this.bindSheet();
      // The view first (the link's, else the map's own), then the layers: they are projected and
      // drawn once, at the view they are seen at (at 100k features a second pass costs ~1 s).
      var applied = this.applyHash();
      if (!applied.view && this.data.fit_bounds) map.fitBounds(this.data.fit_bounds, { padding: [20, 20], animate: false });
      this.state.on("change", function (change) { self.render(change.keys); });
      this.render(null);
      this.labels.addTo(map);
      map.on("click", function (e) { self.onClick(e); });
      map.on("popupclose", function (e) {
        if (e.popup === self.popup) {
          if (self.state.open === e.popup.atlasFeature) self.state.set({ open: null });
          if (e.popup.returnFocus && document.activeElement && (document.activeElement === document.body || e.popup.getElement().contains(document.activeElement))) e.popup.returnFocus.focus();
        }
      });
      document.addEventListener("keydown", function (event) {
        if (event.key !== "Escape" || !self.popup || !self.popup.isOpen()) return;
        var active = document.activeElement;
        if (!active || active === document.body || container.contains(active)) map.closePopup();
      });
      map.on("moveend", function () { self.writeHash(); });
      window.addEventListener("hashchange", function () {
        if (window.location.hash === self.lastHash) return;
        self.applyHash();
      });
      window.addEventListener("resize", function () { map.invalidateSize(); });
      this.ready = true;
      this.writeHash();
    },

    /** A small read-only view for people poking at the page from the console (and for tests). */
    api: function () {
      var self = this;
      var map = this.map;
      var moving = false; // between movestart and moveend: a popup's pan into view is under way
      map.on("movestart", function () { moving = true; });
      map.on("moveend", function () { moving = false; });
      var visible = function (f) { var l = self.layers.filter(function (x) { return x.data.id === f.layerId; })[0]; return map.hasLayer(l) && l.symbols.hasLayer(f.leaflet); };
      return {
        layerIds: function () { return self.layers.map(function (l) { return l.data.id; }); },
        featureCount: function () { return self.features.length; },
        drawnCount: function (layerId) {
          return self.layers.filter(function (l) { return !layerId || l.data.id === layerId; })
            .reduce(function (n, l) { return n + (map.hasLayer(l) ? l.symbols.getLayers().length : 0); }, 0);
        },
        dimmedIds: function () { return self.features.filter(function (f) { return visible(f) && f.dimmed; }).map(function (f) { return f.id; }); },
        featureIds: function () { return self.features.map(function (f) { return f.id; }); },
        /** Features shown whose click point lies inside the map's box. */
        visibleIds: function () {
          var size = map.getSize();
          return self.features.filter(function (f) {
            if (!visible(f)) return false;
            var p = map.latLngToContainerPoint(P.layer.anchorOf(f));
            return p.x > 2 && p.y > 2 && p.x < size.x - 2 && p.y < size.y - 2;
          }).map(function (f) { return f.id; });
        },
        screenPoint: function (id) {
          var f = self.byId[id];
          if (!f) return null;
          var point = map.latLngToContainerPoint(P.layer.anchorOf(f));
          var box = map.getContainer().getBoundingClientRect();
          return { x: box.left + point.x, y: box.top + point.y };
        },
        focus: function (id) { return self.focusFeature(id); },
        closePopup: function () { map.closePopup(); },
        moving: function () { return moving; },
        view: function () { var c = map.getCenter(); return { lat: c.lat, lng: c.lng, zoom: map.getZoom() }; },
        setView: function (v) { map.setView([v.lat, v.lng], v.zoom, { animate: false }); },
        state: function () { var s = self.state; return { base: s.base, layers: s.layers.slice(), hidden: Object.keys(s.hidden), date: s.date, open: s.open, uncertainty: s.uncertainty }; },
      };
    },
  });

  root.AtlasMap = {
    /** map: the folium L.Map; tiles: {bases: [[id, name, layer]], overlays: [...]}. */
    start: function (map, tiles, dataId) {
      var data = JSON.parse(document.getElementById(dataId).textContent);
      var atlas = new Atlas(map, tiles, data);
      atlas.start();
      root.atlas = atlas.api();
      document.documentElement.setAttribute("data-atlas-ready", "true");
      return atlas;
    },
    formatDate: F.formatDate,
  };
})(typeof window !== "undefined" ? window : globalThis);
