/* The atlas page: wires the data block, the state, the layers, the panel's controls, popups,
 * the chooser, labels and the URL hash together. Controls see the state and the map API
 * (panel.js), not this object. Everything it draws comes from the JSON block; every string from
 * the data is untrusted and reaches the page as text only. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;
  var N_ = function (msgid) { return msgid; }; // marks a text for the catalogs (README: Languages)
  var H = P.hittest;
  var LABEL_LIMIT = 200; // point and line layers up to this size get permanent name labels
  var PICK_POINT_PX = 11; // a click this close to a symbol's centre is a click on it
  var PICK_PATH_PX = 5; // ... and this close to a line, beyond half its width
  var CHOOSER_LIMIT = 12; // names in one chooser; beyond it, a "zoom in here" button

  // A reader whose system asks for less motion gets a map that jumps instead of gliding: no zoom,
  // fade or pan animations (this runs before folium creates the map, so the defaults apply to it).
  var REDUCED_MOTION = !!(root.matchMedia && root.matchMedia("(prefers-reduced-motion: reduce)").matches);
  if (REDUCED_MOTION && root.L) {
    root.L.Map.mergeOptions({ zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false });
    var panBy = root.L.Map.prototype.panBy; // a popup panned into view jumps there too
    root.L.Map.include({ panBy: function (offset, options) { return panBy.call(this, offset, root.L.extend({ animate: false }, options)); } });
  }

  function Atlas(map, tiles, data) {
    this.map = map;
    this.english = data; // the payload as built; each language is a view of it (i18n.js)
    this.bundle = data.i18n;
    this.useLanguage(this.bundle ? this.bundle.languages[0] : "en");
    this.events = new P.state.Emitter();
    this.layers = [];
    this.features = [];
    this.byId = Object.create(null);
    this.basemaps = tiles.bases.map(function (b) { return { id: b[0], name: b[1], layer: b[2] }; });
    // The outline map: the rivers, railways and towns that come with the page (context.js).
    this.context = data.context ? new P.context.ContextLayer(data.context, data.vocabulary) : null;
    if (this.context) this.basemaps.push({ id: "outline", name: N_("Outline map (offline)"), layer: this.context, offline: true });
    this.basemaps.push({ id: "none", name: N_("No basemap (country outlines only)"), layer: null });
    this.tileOverlays = tiles.overlays.map(function (o) { return { id: o[0], name: o[1], layer: o[2] }; });
    this.timeline = P.timeline.timelineEvents(data);
    this.dates = P.timeline.eventDates(this.timeline);
  }

  // ---- language ------------------------------------------------------------------------------

  /** Take the texts of `lang`: the interface's messages, the data's records, the features' names. */
  Atlas.prototype.useLanguage = function (lang) {
    this.tr = new P.i18n.Lang(this.bundle, lang);
    this.data = P.i18n.localizeData(this.english, this.tr);
    this.vocab = this.data.vocabulary;
    this.names = P.names.vocabularyNames(this.vocab);
    var tr = this.tr;
    (this.features || []).forEach(function (f) {
      P.i18n.localizeFeature(f, tr);
      var marker = f.leaflet;
      if (marker && marker.options && marker.options.title !== undefined) {
        marker.options.title = marker.options.alt = f.name;
        var icon = marker.getElement && marker.getElement();
        if (icon) { icon.setAttribute("title", f.name); if (icon.hasAttribute("aria-label")) icon.setAttribute("aria-label", f.name); }
      }
    });
    (this.compactLayers || []).forEach(function (layer) { layer.setLanguage(tr); });
    (this.layers || []).forEach(function (layer) { layer.localTitle = tr.text("layers", layer.data.id, "title", layer.data.title); });
    this.timeline = P.timeline.timelineEvents(this.data);
  };

  /** Switch the page to `lang` in place: everything built from texts is built again, nothing reloads. */
  Atlas.prototype.setLanguage = function (lang) {
    this.useLanguage(lang);
    this.removeControls();
    this.addControls();
    if (this.labels) { this.map.removeLayer(this.labels); this.buildLabels(); this.labels.addTo(this.map); }
    this.pageTexts();
    var notices = this.noticeTexts || {};
    var self = this;
    Object.keys(notices).forEach(function (key) { self.notices.show(key, notices[key]()); });
    var open = this.popup && this.popup.isOpen() ? this.popup : null;
    // An open popup gets its words in the new language in place (a new one would fade in over the old).
    if (open && open.atlasFeature && this.feature(open.atlasFeature)) {
      open.setContent(P.popup.buildPopup(this.feature(open.atlasFeature), this.data, this.names, this.state.date, this.tr));
      this.popupTexts(open);
    } else if (open) this.map.closePopup();
  };

  /** Leaflet's close button of a popup, named in the page's language. */
  Atlas.prototype.popupTexts = function (popup) {
    var close = popup.getElement() && popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", this.tr.t("Close popup")); close.setAttribute("title", this.tr.t("Close popup")); }
  };

  /** The page's own words outside the controls: <html lang>, title, description, landmarks, Leaflet's buttons. */
  Atlas.prototype.pageTexts = function () {
    var tr = this.tr, data = this.data;
    var doc = document;
    doc.documentElement.setAttribute("lang", tr.lang);
    doc.title = data.map.title;
    var meta = doc.querySelector('meta[name="description"]');
    if (meta) meta.setAttribute("content", data.map.description || "");
    var text = function (id, value) { var node = doc.getElementById(id); if (node) node.textContent = value; };
    var label = function (id, value) { var node = doc.getElementById(id); if (node) node.setAttribute("aria-label", value); };
    text("atlas-title", data.map.title);
    text("atlas-description", data.map.description || "");
    label("atlas-panel", tr.t("Map information and tools"));
    label("atlas-search", tr.t("Search places"));
    label("atlas-layers", tr.t("Map layers and legend"));
    label("atlas-filters", tr.t("Filters"));
    label("atlas-timeline", tr.t("Timeline"));
    label("atlas-sources", tr.t("Sources and credits"));
    label("atlas-language", tr.t("Language"));
    this.map.getContainer().setAttribute("aria-label", tr.t("Map: {title}", { title: data.map.title }));
    var zoom = [[".leaflet-control-zoom-in", N_("Zoom in")], [".leaflet-control-zoom-out", N_("Zoom out")]];
    var container = this.map.getContainer();
    zoom.forEach(function (z) {
      var button = container.querySelector(z[0]);
      if (button) { button.setAttribute("title", tr.t(z[1])); button.setAttribute("aria-label", tr.t(z[1])); }
    });
    if (this.sheet) { this.sheet.tr = tr; this.sheet.set(this.sheet.panel.classList.contains("atlas-sheet-open")); }
    var map = this.map;
    var credits = map.attributionControl;
    if (credits) {
      // Folded to one line (atlas.css): focusable, so that a tap or the keyboard unfolds it.
      credits.getContainer().setAttribute("tabindex", "0");
      // Leaflet's own credit: its link's title in the page's language.
      if (this.leafletPrefix === undefined) this.leafletPrefix = credits.options.prefix || "";
      credits.setPrefix(String(this.leafletPrefix).replace(/title="A JavaScript library for interactive maps"/, function () {
        return 'title="' + tr.t("A JavaScript library for interactive maps").replace(/[&"<>]/g, "") + '"';
      }));
    }
    this.basemaps.concat(this.tileOverlays).forEach(function (b) {
      if (!b.layer) return;
      var layer = b.layer;
      if (layer.atlasAttribution === undefined) layer.atlasAttribution = layer.options.attribution || "";
      var shown = credits && map.hasLayer(layer);
      if (shown) credits.removeAttribution(layer.options.attribution);
      layer.options.attribution = tr.t(layer.atlasAttribution); // a catalog entry (geo/webmap/page.py TILE_ATTRIBUTIONS)
      if (shown) credits.addAttribution(layer.options.attribution);
    });
    this.syncCredits(); // the corner's data credits, now in this language
  };

  /** The panel's controls and the map's tools, built in the page's language. */
  Atlas.prototype.addControls = function () {
    var map = this.map, state = this.state, tr = this.tr;
    var C = P.controls;
    var api = this.mapApi();
    this.controls = [
      new C.LanguageControl(state, api, { parent: "atlas-language" }),
      new C.SearchControl(state, api, { parent: "atlas-search" }),
      new C.LayersControl(state, api, { parent: "atlas-layers" }),
      new C.FiltersControl(state, api, { parent: "atlas-filters" }),
      new C.TimelineControl(state, api, { parent: "atlas-timeline" }),
      new C.SourcesControl(state, api, { parent: "atlas-sources" }),
      new C.FullscreenControl({ tr: tr }),
      new C.ScaleControl({ tr: tr, imperial: tr.lang === "en" }),
    ];
    this.measure = new C.MeasureControl({ tr: tr });
    this.controls.push(this.measure);
    var self = this;
    var currentHash = function () { return self.ready ? self.currentHash() : window.location.hash; };
    this.compactBar = this.compact ? new C.CompactControl({ tr: tr, state: state, panel: document.getElementById("atlas-panel"), currentHash: currentHash }) : null;
    if (this.compactBar) this.controls.push(this.compactBar);
    this.controls.forEach(function (c) { c.addTo(map); });
    if (this.compactLayers.length) this.controls.push(new P.compact.DrawingNote(this.compactLayers, { tr: tr }).addTo(map));
    if (!this.notices) this.notices = new C.NoticeControl({ tr: tr }).addTo(map);
    this.notices.options.tr = tr;
  };

  Atlas.prototype.removeControls = function () {
    (this.controls || []).forEach(function (c) { c.remove(); });
    this.controls = [];
  };

  /** Show a notice whose words follow the page's language: text() is asked again on a switch. */
  Atlas.prototype.notice = function (key, text) {
    this.noticeTexts = this.noticeTexts || {};
    if (text) { this.noticeTexts[key] = text; this.notices.show(key, text()); }
    else { delete this.noticeTexts[key]; this.notices.hide(key); }
  };

  // ---- drawing -------------------------------------------------------------------------------

  Atlas.prototype.drawBase = function () {
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
  };

  Atlas.prototype.buildLayers = function () {
    var ctx = { vocab: this.vocab, domSymbolLimit: this.data.dom_symbol_limit, startOf: P.timeline.featureStart(this.data.events) };
    var self = this;
    var stores = this.stores || {};
    this.compactLayers = [];
    this.data.layers.forEach(function (layerData) {
      if (layerData.compact) {
        // A large layer: typed arrays, its own canvas, index and search (compact.js).
        var compact = new P.compact.CompactLayer(layerData, stores[layerData.id], ctx);
        self.layers.push(compact);
        self.compactLayers.push(compact);
        return;
      }
      var layer = new P.layer.AtlasLayer(layerData, ctx);
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
    P.timeline.dateFeatures(this.features, this.data.events);
  };

  Atlas.prototype.buildLabels = function () {
    var self = this;
    var map = this.map;
    this.features.forEach(function (f) { P.i18n.localizeFeature(f, self.tr); });
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
        key: "country:" + c.iso, text: self.names.country(c.iso), kind: "country", country: true,
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
    if (this.context) {
      // A context town where the atlas has a point of its own is the atlas's: one symbol, one name.
      this.context.avoid(this.features.filter(function (f) { return f.isPoint; }).map(function (f) { return f.latlng; }));
      P.context.addLabels(labels, this.context, map, function () { return !!self.state && self.state.base === "outline"; }, this.tr.lang);
    }
    this.layers.forEach(function (layer) {
      if (layer.data.count > LABEL_LIMIT) return;
      layer.features.forEach(function (f) {
        labels.add({
          key: "feature:" + f.id, text: f.name, kind: f.kind, symbol: f.isPoint,
          priority: P.layer.labelPriority(self.vocab, f.kind, f.projects.length > 0),
          latlng: function () { return P.layer.anchorOf(f); },
          visible: function () { return map.hasLayer(layer) && layer.symbols.hasLayer(f.leaflet); },
          dimmed: function () { return !!f.dimmed; },
        });
      });
    });
    this.labels = labels;
  };

  /**
   * The data's credits in the map's corner, as a tile layer's credit shows while its tiles do:
   * each line the licences of a shown layer's sources oblige (payload layers[].credits), and the
   * outline map's (context_credits) while it is the basemap; once each, in the page's language.
   */
  Atlas.prototype.syncCredits = function () {
    var credits = this.map.attributionControl;
    if (!credits) return;
    var map = this.map, tr = this.tr;
    var lines = [];
    this.layers.forEach(function (layer) { if (map.hasLayer(layer)) lines = lines.concat(layer.data.credits || []); });
    if (this.context && map.hasLayer(this.context)) lines = lines.concat(this.english.context_credits || []);
    var wanted = {};
    lines.forEach(function (line) { wanted[P.dom.htmlText(tr.text("credits", null, line, line))] = true; });
    var shown = this.shownCredits || {};
    Object.keys(shown).forEach(function (html) { if (!wanted[html]) credits.removeAttribution(html); });
    Object.keys(wanted).forEach(function (html) { if (!shown[html]) credits.addAttribution(html); });
    this.shownCredits = wanted;
  };

  // ---- state -> map --------------------------------------------------------------------------

  Atlas.prototype.render = function (keys) {
    var map = this.map, state = this.state;
    var all = !keys;
    if (all || keys.indexOf("base") >= 0) {
      this.basemaps.forEach(function (b) {
        if (!b.layer) return;
        var on = b.id === state.base;
        if (on && !map.hasLayer(b.layer)) { b.layer.addTo(map); if (b.layer.bringToBack) b.layer.bringToBack(); }
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
      var shows = function (f) { return state.shows(f); };
      this.layers.forEach(function (layer) { layer.applyVisibility(shows, state.uncertainty, dim); });
      var open = this.popup && this.popup.isOpen() && this.feature(this.popup.atlasFeature);
      if (open && !state.shows(open)) map.closePopup();
    }
    if (all || keys.indexOf("base") >= 0 || keys.indexOf("layers") >= 0) this.syncCredits();
    if (this.labels) this.labels.update();
    this.writeHash();
  };

  // ---- basemap tiles that do not load ----------------------------------------------------------

  Atlas.prototype.watchTiles = function () {
    var self = this;
    var base = this.basemaps.filter(function (b) { return b.id === self.state.base; })[0];
    if (this.notices) this.notice("tiles", null);
    if (!base || !base.layer || base.offline || base.layer._atlasWatched) return;
    base.layer._atlasWatched = true;
    var loaded = 0;
    base.layer.on("tileload", function () {
      loaded += 1;
      if (self.notices) self.notice("tiles", null);
    });
    base.layer.on("tileerror", function () {
      if (!loaded && self.state.base === base.id && self.notices) {
        var outline = self.context ? "outline" : null;
        if (outline) self.state.set({ base: outline }); // the outline map that comes with the page, instead
        self.notice("tiles", function () {
          return outline
            ? self.tr.t("The {basemap} tiles could not be loaded (offline?). The map shows its outline map (offline) instead: rivers, railways and towns that come with this page.", { basemap: self.tr.t(base.name) })
            : self.tr.t("The {basemap} tiles could not be loaded (offline?). The map shows the country outlines that come with this page.", { basemap: self.tr.t(base.name) });
        });
        if (self.labels) self.labels.update(); // the notice now covers part of the map: names keep clear of it
      }
    });
  };

  // ---- popups --------------------------------------------------------------------------------

  Atlas.prototype.popupOptions = function (className) {
    var size = this.map.getSize();
    // Content width: the popup's frame adds about 46 px; the pan padding keeps it off the tools
    // and below any notice shown at the top (an offline map's tile notice would cover its title).
    var maxWidth = Math.max(160, Math.min(380, size.x - 54 - 16 - 48));
    var top = 16 + Math.max(this.notices ? this.notices.coveredHeight() : 0, this.compactBar ? this.compactBar.coveredHeight() : 0);
    return {
      maxWidth: maxWidth, minWidth: Math.min(240, maxWidth), maxHeight: Math.max(140, size.y - 94 - top),
      autoPanPaddingTopLeft: L.point(54, top), autoPanPaddingBottomRight: L.point(16, 36),
      className: className, closeButton: true,
    };
  };

  /** Open a feature's popup; opts.latlng anchors it where the reader clicked a line or area. */
  Atlas.prototype.openFeature = function (feature, opts) {
    opts = opts || {};
    var at = feature.isPoint ? feature.latlng : opts.latlng || P.layer.anchorOf(feature);
    var options = this.popupOptions("atlas-popup-wrap");
    if (feature.isPoint) options.offset = L.point(0, -4);
    var content = P.popup.buildPopup(feature, this.data, this.names, this.state.date, this.tr);
    var popup = L.popup(options).setLatLng(at).setContent(content);
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
  };

  /** Where several features meet under a click: name each, open none until one is chosen. */
  Atlas.prototype.openChooser = function (hits, latlng, opts) {
    opts = opts || {};
    var self = this;
    var box = el("div", { className: "atlas-chooser", tabindex: "-1" });
    var tr = this.tr;
    box.appendChild(el("h2", { text: hits.length > CHOOSER_LIMIT
      ? tr.tn("{n} feature here — choose one or zoom in", "{n} features here — choose one or zoom in", hits.length)
      : tr.tn("{n} feature here — choose one", "{n} features here — choose one", hits.length) }));
    var list = el("ul");
    hits.slice(0, CHOOSER_LIMIT).forEach(function (hit) {
      var f = hit.feature;
      var button = el("button", { type: "button", className: "atlas-choice-button", "data-feature-id": f.id },
        el("span", { className: "atlas-hit-name", dir: "auto", text: f.name }), el("span", { className: "atlas-muted", text: " — " + self.names.kind(f.kind) }));
      button.addEventListener("click", function () { self.openFeature(f, { latlng: latlng, focusPopup: true, returnFocus: opts.returnFocus }); });
      list.appendChild(el("li", null, button));
    });
    box.appendChild(list);
    if (hits.length > CHOOSER_LIMIT) {
      // Too many to name: offer a closer look instead of a list nobody can read.
      box.appendChild(el("p", { className: "atlas-muted", text: tr.tn("…and {n} more here.", "…and {n} more here.", hits.length - CHOOSER_LIMIT) }));
      var closer = el("button", { type: "button", className: "atlas-choice-button", text: tr.t("Zoom in here") });
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
  };

  // ---- clicks --------------------------------------------------------------------------------

  /** Every shown feature within reach of a container point, nearest first (hittest.js), from the
   * features' own coordinates projected by the map's public API. */
  Atlas.prototype.featuresAt = function (cp) {
    var map = this.map;
    var hits = [];
    var project = function (ll) { return map.latLngToContainerPoint(ll); };
    var isPart = function (a) { return !Array.isArray(a[0]); };
    var reach = function (tol) {
      return L.latLngBounds(map.containerPointToLatLng([cp.x - tol, cp.y - tol]), map.containerPointToLatLng([cp.x + tol, cp.y + tol]));
    };
    this.layers.forEach(function (layer) {
      if (!map.hasLayer(layer)) return;
      if (layer.compact) { hits = hits.concat(layer.hitsAt(cp)); return; }
      if (layer.data.geometry.type === "Point") {
        var tol = layer.large ? 6 : PICK_POINT_PX;
        var box = reach(tol);
        layer.features.forEach(function (f) {
          if (!box.contains(f.latlng) || !layer.symbols.hasLayer(f.leaflet)) return;
          var hit = H.pointHit(cp, project(f.latlng), tol);
          if (hit) { hit.feature = f; hits.push(hit); }
        });
        return;
      }
      layer.features.forEach(function (f) {
        var shape = f.leaflet;
        if (!layer.symbols.hasLayer(shape)) return;
        var tol = (shape.options.weight || 3) / 2 + PICK_PATH_PX;
        if (!shape.getBounds().intersects(reach(tol))) return;
        var parts = H.flattenParts(shape.getLatLngs(), isPart).map(function (part) { return part.map(project); });
        var hit = H.pathHit(cp, parts, shape instanceof L.Polygon, tol);
        if (hit) { hit.feature = f; hits.push(hit); }
      });
    });
    return H.sortHits(hits);
  };

  Atlas.prototype.onClick = function (e) {
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
    var back = keyboard && e.layer instanceof L.Marker ? e.layer.getElement() || null : null;
    if (hits.length === 1) this.openFeature(hits[0].feature, { latlng: at, focusPopup: keyboard, returnFocus: back });
    else this.openChooser(hits, at, { focus: keyboard, returnFocus: back });
  };

  /** Bring a feature into view with whatever hides it cleared, and open its popup. */
  /** The feature with this id, from a plain layer's records or a compact layer's arrays; or null. */
  Atlas.prototype.feature = function (id) {
    if (this.byId[id]) return this.byId[id];
    for (var n = 0; n < (this.compactLayers || []).length; n++) {
      var found = this.compactLayers[n].byId(String(id));
      if (found) return found;
    }
    return null;
  };

  Atlas.prototype.focusFeature = function (id, opts) {
    var feature = this.feature(id);
    if (!feature) return false;
    opts = opts || {};
    var state = this.state;
    var patch = {};
    if (!state.layerOn(feature.layerId)) patch.layers = state.layers.concat([feature.layerId]);
    if (!state.shows(feature)) {
      var hidden = Object.assign({}, state.hidden);
      delete hidden["status." + (feature.status || "")];
      delete hidden["kind." + feature.kind];
      feature.country.forEach(function (c) { delete hidden["country." + c]; });
      patch.hidden = hidden;
    }
    state.set(patch);
    this.sheet.set(false);
    var map = this.map;
    if (feature.isPoint) map.setView(feature.latlng, Math.max(map.getZoom(), 9), { animate: false });
    else map.fitBounds(feature.bounds || feature.leaflet.getBounds(), { maxZoom: 10, padding: [30, 30], animate: false });
    this.openFeature(feature, opts);
    return true;
  };

  // ---- the URL -------------------------------------------------------------------------------

  /** What the URL state needs to know of this map (urlstate.js). */
  Atlas.prototype.urlContext = function () {
    var self = this;
    return {
      bases: this.basemaps.map(function (b) { return b.id; }),
      layerIds: this.layers.map(function (l) { return l.data.id; }).concat(this.tileOverlays.map(function (o) { return o.id; })),
      defaultLayers: this.defaultLayers,
      filterKeys: this.filterKeys(),
      dates: this.dates,
      hasFeature: function (id) { return !!self.feature(id); },
      languages: this.bundle ? this.bundle.languages : ["en"],
      minZoom: this.map.getMinZoom(),
      maxZoom: this.map.getMaxZoom(),
    };
  };

  /** The hash of the page as it is now: the link that reopens this view (the address follows it, parts/address.js). */
  Atlas.prototype.currentHash = function () {
    var c = this.map.getCenter();
    return P.urlstate.toHash(this.state, { zoom: this.map.getZoom(), lat: c.lat, lng: c.lng }, this.urlContext());
  };

  Atlas.prototype.writeHash = function () {
    if (!this.ready) return;
    this.address.request(this.currentHash());
  };

  /** Apply the hash; a part that cannot be read falls back to its default and is reported. */
  Atlas.prototype.applyHash = function () {
    var read = P.urlstate.fromHash(window.location.hash, this.urlContext());
    var problems = read.problems;
    var map = this.map;
    this.state.set(read.patch);
    if (read.view) map.setView([read.view.lat, read.view.lng], read.view.zoom, { animate: false });
    var open = read.open ? this.feature(read.open) : null;
    if (open) {
      if (!this.state.shows(open) || !this.state.layerOn(open.layerId)) problems.push("open");
      else this.openFeature(open);
    } else if (this.popup && this.popup.isOpen()) {
      map.closePopup();
    }
    var self = this;
    if (this.notices) this.notice("link", problems.length ? function () { return P.urlstate.problemNotice(problems, self.tr); } : null);
    return { view: !!read.view, problems: problems };
  };

  Atlas.prototype.filterKeys = function () {
    var keys = {};
    this.features.forEach(function (f) {
      keys["status." + (f.status || "")] = true;
      keys["kind." + f.kind] = true;
      f.country.forEach(function (c) { keys["country." + c] = true; });
    });
    (this.compactLayers || []).forEach(function (layer) { layer.filterKeys(keys); });
    return Object.keys(keys);
  };

  // ---- start ---------------------------------------------------------------------------------

  /** What the panel's controls may use (panel.js documents it). */
  Atlas.prototype.mapApi = function () {
    var self = this;
    return {
      names: this.names,
      vocab: this.vocab,
      tr: this.tr,
      languages: this.bundle ? this.bundle.languages : ["en"],
      basemaps: this.basemaps.map(function (b) { return { id: b.id, name: b.name }; }),
      hasContext: !!this.context,
      contextKinds: this.context ? this.context.kinds() : [],
      overlays: this.tileOverlays.map(function (o) { return { id: o.id, name: o.name }; }),
      layers: this.layers.map(function (l) {
        return { id: l.data.id, title: l.localTitle || l.data.title, count: l.data.count, geometryType: l.data.geometry.type, features: l.compact ? l.samples() : l.features };
      }),
      features: this.features,
      // Compact layers keep no record per feature: one stand-in per value they hold (filters).
      featureSamples: this.compactLayers.reduce(function (all, l) { return all.concat(l.samples()); }, []),
      searchEntries: function (query) {
        var out = { entries: [], more: false };
        self.compactLayers.forEach(function (l) {
          if (!self.map.hasLayer(l)) return;
          var found = l.searchEntries(query, self.names);
          out.entries = out.entries.concat(found.entries);
          out.more = out.more || found.more;
        });
        return out;
      },
      sources: this.english.sources,
      credits: this.data.credits,
      timeline: this.timeline,
      events: this.events,
      focusFeature: function (id, opts) { return self.focusFeature(id, opts); },
    };
  };

  Atlas.prototype.start = function () {
    var self = this;
    var map = this.map;
    var container = map.getContainer();
    container.setAttribute("role", "main");
    this.drawBase();
    this.buildLayers();
    this.defaultLayers = this.layers.map(function (l) { return l.data.id; });
    // The language: the link's, else the browser's first preferred one the page has.
    var linked = P.urlstate.fromHash(window.location.hash, this.urlContext()).patch.lang;
    var lang = linked || P.i18n.preferredLanguage(this.bundle, navigator.languages || [navigator.language]);
    this.useLanguage(lang);
    var state = (this.state = new P.state.AtlasState({ base: this.basemaps[0].id, layers: this.defaultLayers }));
    state.lang = this.tr.lang;
    this.buildLabels();
    // In a small frame (an embedded map): the map fills it, the panel folds behind one button (embed.js).
    this.compact = P.embed.wantsCompact(window);
    if (this.compact) P.embed.applyCompact(document, map);
    P.embed.followPrint(window, map);
    this.addControls();
    this.sheet = new P.sheet.PanelSheet({
      panel: document.getElementById("atlas-panel"), toggle: document.getElementById("atlas-panel-toggle"),
      resized: function () { map.invalidateSize(); }, tr: this.tr,
    }).bind(this.events);
    this.pageTexts();
    // The view first (the link's, else the map's own), then the layers: they are projected and
    // drawn once, at the view they are seen at (at 100k features a second pass costs ~1 s).
    var applied = this.applyHash();
    if (!applied.view && this.data.fit_bounds) map.fitBounds(this.data.fit_bounds, { padding: [20, 20], animate: false });
    state.on("change", function (change) {
      if (change.keys.indexOf("lang") >= 0 && state.lang !== self.tr.lang) self.setLanguage(state.lang);
      self.render(change.keys);
    });
    this.render(null);
    this.labels.addTo(map);
    map.on("click", function (e) { self.onClick(e); });
    map.on("popupopen", function (e) { self.popupTexts(e.popup); });
    map.on("popupclose", function (e) {
      if (e.popup === self.popup) {
        if (state.open === e.popup.atlasFeature) state.set({ open: null });
        if (e.popup.returnFocus && document.activeElement && (document.activeElement === document.body || e.popup.getElement().contains(document.activeElement))) e.popup.returnFocus.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !self.popup || !self.popup.isOpen()) return;
      var active = document.activeElement;
      if (!active || active === document.body || container.contains(active)) map.closePopup();
    });
    map.on("moveend", function () { self.writeHash(); });
    this.address = new P.address.AddressWriter({
      current: function () { return window.location.hash; },
      write: function (hash) { self.lastHash = hash; window.history.replaceState(null, "", hash); },
    });
    window.addEventListener("hashchange", function () {
      if (window.location.hash === self.lastHash) return;
      self.address.cancel(); // the reader's address wins over a write still waiting
      self.applyHash();
    });
    // A reader who leaves (or reloads) keeps the latest state in the address.
    window.addEventListener("pagehide", function () { self.address.flush(); });
    window.addEventListener("resize", function () { map.invalidateSize(); });
    this.ready = true;
    this.writeHash();
  };

  /** A small read-only view for people poking at the page from the console (and for tests). */
  Atlas.prototype.consoleApi = function () {
    var self = this;
    var map = this.map;
    var moving = false; // between movestart and moveend: a popup's pan into view is under way
    map.on("movestart", function () { moving = true; });
    map.on("moveend", function () { moving = false; });
    var visible = function (f) { var l = self.layers.filter(function (x) { return x.data.id === f.layerId; })[0]; return map.hasLayer(l) && l.symbols.hasLayer(f.leaflet); };
    return {
      layerIds: function () { return self.layers.map(function (l) { return l.data.id; }); },
      featureCount: function () { return self.layers.reduce(function (n, l) { return n + (l.compact ? l.store.count : l.features.length); }, 0); },
      drawnCount: function (layerId) {
        return self.layers.filter(function (l) { return !layerId || l.data.id === layerId; })
          .reduce(function (n, l) { return n + (!map.hasLayer(l) ? 0 : l.compact ? l.drawnCount() : l.symbols.getLayers().length); }, 0);
      },
      /** How each large layer is drawn at this view: {layerId: {mode, inView}} (compact.js). */
      compactDrawing: function () {
        var out = {};
        self.compactLayers.forEach(function (l) { out[l.data.id] = { mode: l.mode, inView: l.inView, shown: l.shownCount }; });
        return out;
      },
      dimmedIds: function () { return self.features.filter(function (f) { return visible(f) && f.dimmed; }).map(function (f) { return f.id; }); },
      featureIds: function () { return self.features.map(function (f) { return f.id; }); },
      /** The link's hash for the page as it is now; the address holds it within 350 ms (address.js). */
      hash: function () { return self.currentHash(); },
      /** Features shown whose click point lies inside the map's box. */
      visibleIds: function () {
        var size = map.getSize();
        return self.features.filter(function (f) {
          if (!visible(f)) return false;
          var p = map.latLngToContainerPoint(P.layer.anchorOf(f));
          return p.x > 2 && p.y > 2 && p.x < size.x - 2 && p.y < size.y - 2;
        }).map(function (f) { return f.id; });
      },
      /** A feature's attributes as the page holds them (plain or compact layer), or null. */
      record: function (id) {
        var f = self.feature(id);
        if (!f) return null;
        var out = {};
        ["id", "name", "name_ru", "name_local", "kind", "country", "status", "status_as_of", "accuracy_m", "geometry_source", "note", "projects", "sources"].forEach(function (k) { out[k] = f[k]; });
        if (f.en) { out.name = f.en.name; out.note = f.en.note; out.geometry_source = f.en.geometry_source; } // as the data has them
        return out;
      },
      /** Where a feature is clicked and its popup points: {lat, lng}, or null. */
      anchor: function (id) {
        var f = self.feature(id);
        if (!f) return null;
        var ll = P.layer.anchorOf(f);
        return { lat: ll.lat, lng: ll.lng };
      },
      screenPoint: function (id) {
        var f = self.feature(id);
        if (!f) return null;
        var point = map.latLngToContainerPoint(P.layer.anchorOf(f));
        var box = map.getContainer().getBoundingClientRect();
        return { x: box.left + point.x, y: box.top + point.y };
      },
      focus: function (id) { return self.focusFeature(id); },
      closePopup: function () { map.closePopup(); },
      moving: function () { return moving; },
      /** Whether the map glides (Leaflet's animations), or jumps (prefers-reduced-motion). */
      animations: function () { return [map.options.zoomAnimation, map.options.fadeAnimation, map.options.markerZoomAnimation]; },
      panBy: function (x, y) { map.panBy([x, y]); },
      view: function () { var c = map.getCenter(); return { lat: c.lat, lng: c.lng, zoom: map.getZoom() }; },
      setView: function (v) { map.setView([v.lat, v.lng], v.zoom, { animate: false }); },
      setBase: function (id) { self.state.set({ base: id }); },
      screenPointOf: function (lat, lng) { var p = map.latLngToContainerPoint([lat, lng]); var r = map.getContainer().getBoundingClientRect(); return { x: r.left + p.x, y: r.top + p.y }; },
      state: function () { var s = self.state; return { base: s.base, layers: s.layers.slice(), hidden: Object.keys(s.hidden), date: s.date, open: s.open, uncertainty: s.uncertainty, lang: s.lang }; },
      setLanguage: function (lang) { self.state.set({ lang: lang }); return self.tr.lang; },
    };
  };

  root.AtlasMap = {
    /** map: the folium L.Map; tiles: {bases: [[id, name, layer]], overlays: [...]}. */
    start: function (map, tiles, dataId) {
      var data = JSON.parse(document.getElementById(dataId).textContent);
      var atlas = new Atlas(map, tiles, data);
      var go = function (stores) {
        atlas.stores = stores;
        atlas.start();
        root.atlas = atlas.consoleApi();
        document.documentElement.setAttribute("data-atlas-ready", "true");
      };
      // Large layers come packed (compact.js): the browser inflates them first, off the main thread.
      if (data.layers.some(function (l) { return l.compact; })) {
        P.compact.decodeAll(data).then(go, function (err) {
          document.documentElement.setAttribute("data-atlas-error", "true");
          if (root.console) root.console.error("The map's large layers could not be unpacked:", err);
        });
      } else {
        go({});
      }
      return atlas;
    },
  };
})(typeof window !== "undefined" ? window : globalThis);
