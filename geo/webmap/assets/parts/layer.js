/* Leaflet layers: one AtlasLayer per data layer (its symbols, uncertainty circles and feature
 * records), and AtlasLabels, the name labels placed with collision avoidance. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var SYMBOL_PX = 18; // what a symbol covers on the map (labels keep clear of it)
  var ICON_PX = 24; // what takes a click or a tap: never under 24 px

  /** Whether feature i's status is over a year old at build time (the payload lists those indices). */
  function isStale(layer, i) {
    if (!layer.staleSet) {
      layer.staleSet = {};
      (layer.stale_status || []).forEach(function (index) { layer.staleSet[index] = true; });
    }
    return layer.staleSet[i] === true;
  }

  function featureAt(layer, i) {
    var props = layer.properties;
    var get = function (name, fallback) { return props[name] ? props[name][i] : fallback; };
    return {
      layerId: layer.id, index: i, id: get("id"), name: get("name"), name_ru: get("name_ru", null),
      name_local: get("name_local", null), local_lang: get("local_lang", null), kind: get("kind"),
      country: get("country", []), status: get("status", null), schematic: get("schematic", false),
      status_as_of: get("status_as_of", null), status_stale: isStale(layer, i),
      accuracy_m: get("accuracy_m", null), geometry_source: get("geometry_source", null),
      note: get("note", null), projects: get("projects", []), sources: get("sources", []),
      events: get("events", []), figures: get("figures", []), leaflet: null, circle: null,
      latlng: null, isPoint: false, start: null,
    };
  }

  var has = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };

  /** A line's or area outline's dash pattern (null: solid), looked up in the table geo/style.py
   * computes with its line_dash rule: the rule has no second copy here. */
  function lineDash(vocab, feature) {
    var table = vocab.drawing.dash_by_kind;
    var byKind = has(table, feature.kind) ? table[feature.kind] : table[""];
    var key = (feature.status || "unknown") + (feature.schematic ? "|schematic" : "");
    return has(byKind, key) ? byKind[key] : null;
  }

  /** Whether lines of a kind are dashed by their status (the legend then names the status). */
  function dashFollowsStatus(vocab, kind) {
    var kinds = vocab.drawing.dash_follows_status;
    return kinds.indexOf(has(vocab.drawing.dash_by_kind, kind) ? kind : "") >= 0;
  }

  /** Line and area style by kind and status, from the style vocabulary (geo/style.py). */
  function pathStyle(vocab, feature) {
    var draw = vocab.drawing;
    var style = vocab.kinds[feature.kind] || vocab.fallback;
    var dash = lineDash(vocab, feature);
    return {
      color: style.color, weight: style.weight || draw.line_weight, opacity: style.opacity || draw.line_opacity,
      dashArray: dash, lineCap: "butt", fillColor: style.fill || style.color,
      fillOpacity: style.fill ? draw.area_fill_opacity : 0,
    };
  }

  var AtlasLayer = L.FeatureGroup.extend({
    /** layerData: one entry of payload.layers; ctx: {vocab, domSymbolLimit, el}. */
    initialize: function (layerData, ctx) {
      this.data = layerData;
      this.ctx = ctx;
      this.symbols = L.featureGroup();
      this.circles = L.featureGroup();
      this.features = [];
      this.large = layerData.count > ctx.domSymbolLimit;
      L.FeatureGroup.prototype.initialize.call(this, [this.symbols, this.circles]);
      this._build();
    },

    _build: function () {
      var data = this.data;
      var geometry = data.geometry;
      var scale = Math.pow(10, geometry.decimals);
      Object.keys(data.properties).forEach(function (name) {
        data.properties[name] = P.decode.decodeColumn(data.properties[name]);
      });
      for (var i = 0; i < data.count; i++) {
        var feature = featureAt(data, i);
        var shape;
        if (geometry.type === "Point") {
          var latlng = L.latLng(geometry.y[i] / scale, geometry.x[i] / scale);
          feature.isPoint = true;
          feature.latlng = latlng;
          shape = this._pointSymbol(feature, latlng);
          var circle = this.ctx.vocab.drawing.uncertainty;
          if (feature.accuracy_m >= this.ctx.vocab.drawing.uncertainty_min_m && !this.large) {
            feature.circle = L.circle(latlng, {
              radius: feature.accuracy_m, interactive: false, color: circle.colour, weight: circle.weight,
              dashArray: circle.dash, fill: true, fillOpacity: circle.fill_opacity,
            });
          }
        } else {
          var depth = { LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2 }[geometry.type];
          var latlngs = P.decode.decodeNested(geometry.coordinates[i], depth, scale);
          shape = depth === 0 || geometry.type === "MultiLineString"
            ? L.polyline(latlngs, pathStyle(this.ctx.vocab, feature))
            : L.polygon(latlngs, pathStyle(this.ctx.vocab, feature));
          feature.isLine = geometry.type.indexOf("LineString") >= 0;
        }
        shape.atlasFeature = feature;
        feature.leaflet = shape;
        this.symbols.addLayer(shape); // filled before the group is on the map: one pass to draw
        if (feature.circle) this.circles.addLayer(feature.circle);
        this.features.push(feature);
      }
      if (this.large || geometry.type !== "Point") {
        this.symbols.bindTooltip(function (layer) { return ctxEl("span", { dir: "auto", text: layer.atlasFeature.name }); }, { sticky: geometry.type !== "Point" });
      }
    },

    _pointSymbol: function (feature, latlng) {
      var style = this.ctx.vocab.kinds[feature.kind] || this.ctx.vocab.fallback;
      if (this.large) {
        return L.circleMarker(latlng, { radius: 4, color: "#ffffff", weight: 1, fillColor: style.color, fillOpacity: 0.9 });
      }
      var icon = ctxEl("span", { className: "atlas-symbol atlas-symbol-" + style.symbol });
      icon.style.setProperty("--atlas-color", style.color);
      return L.marker(latlng, {
        icon: L.divIcon({ className: "atlas-marker", html: icon, iconSize: [ICON_PX, ICON_PX], iconAnchor: [ICON_PX / 2, ICON_PX / 2] }),
        keyboard: true, title: feature.name, alt: feature.name,
      });
    },

    /** Show exactly the features `show(feature)` accepts; grey those `dim(feature)` names. */
    applyVisibility: function (show, showCircles, dim) {
      var symbols = this.symbols, circles = this.circles;
      this.features.forEach(function (feature) {
        var visible = show(feature);
        var has = symbols.hasLayer(feature.leaflet);
        if (visible && !has) symbols.addLayer(feature.leaflet);
        else if (!visible && has) symbols.removeLayer(feature.leaflet);
        var dimmed = visible && dim(feature);
        if (dimmed !== !!feature.dimmed) {
          feature.dimmed = dimmed;
          if (feature.leaflet.setOpacity) feature.leaflet.setOpacity(dimmed ? 0.35 : 1);
          else feature.leaflet.setStyle({ opacity: dimmed ? 0.3 : pathStyle(this.ctx.vocab, feature).opacity, fillOpacity: dimmed ? 0.15 : pathStyle(this.ctx.vocab, feature).fillOpacity });
        }
        if (feature.circle) {
          var c = visible && showCircles && !dimmed;
          var hasCircle = circles.hasLayer(feature.circle);
          if (c && !hasCircle) circles.addLayer(feature.circle);
          else if (!c && hasCircle) circles.removeLayer(feature.circle);
        }
      }, this);
    },

    visibleFeatures: function () {
      var symbols = this.symbols;
      return this.features.filter(function (f) { return symbols.hasLayer(f.leaflet); });
    },
  });

  function ctxEl(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs && attrs.className) node.className = attrs.className;
    if (attrs && attrs.text !== undefined) node.textContent = attrs.text;
    return node;
  }

  /** Where a feature is for labels, clicks and popups: a point, a line's middle, an area's centre. */
  function anchorOf(feature) {
    if (feature.latlng) return feature.latlng;
    var shape = feature.leaflet;
    if (!feature._anchor) {
      try { feature._anchor = shape.getCenter(); } catch (err) { feature._anchor = shape.getBounds().getCenter(); }
    }
    return feature._anchor;
  }

  /** A feature's label priority, higher placed first: the style vocabulary's rule (geo/style.py
   * label_priority), shared with the static sheets. */
  function labelPriority(vocab, kind, hasProjects) {
    var rule = vocab.label_priority;
    return (has(rule.kinds, kind) ? rule.kinds[kind] : rule.other) + (hasProjects ? rule.projects_bonus : 0);
  }

  /**
   * Permanent name labels for the features of small layers and the country names of the base
   * map, re-placed after every move, zoom or change of what is shown.
   */
  var AtlasLabels = L.Layer.extend({
    initialize: function (options) {
      this.items = []; // {key, text, kind, latlng(), visible(), priority, symbol: bool, country: bool}
      this.options = L.extend({ padding: 2 }, options || {});
    },

    add: function (item) { this.items.push(item); return this; },

    onAdd: function (map) {
      var pane = map.getPane("atlasLabels") || map.createPane("atlasLabels");
      pane.style.zIndex = 640;
      pane.style.pointerEvents = "none";
      this._pane = pane;
      this.items.forEach(function (item) {
        if (item.el) return;
        item.el = ctxEl("div", { className: "atlas-label atlas-label-" + item.kind, dir: "auto", text: item.text });
        item.el.setAttribute("aria-hidden", "true");
        item.el.hidden = true;
        pane.appendChild(item.el);
      });
      // Leaflet ends every change of view (setView, a pan, a zoom, a resize) with one moveend, after
      // its zoomend, viewreset or before its resize: placing the labels once per change is enough.
      map.on("moveend", this.update, this);
      this.update();
    },

    onRemove: function (map) {
      map.off("moveend", this.update, this);
      this.items.forEach(function (item) { if (item.el) item.el.remove(); item.el = null; });
    },

    update: function () {
      var map = this._map;
      if (!map) return;
      var size = map.getSize();
      // The controls' boxes are read before any label changes: read after, they would lay the page
      // out once more in every move, on top of the layout of the frame that shows the labels.
      var fixed = this.options.obstacles ? this.options.obstacles() : [];
      var candidates = [];
      var obstacles = [];
      var byKey = {};
      var shown = [];
      // Only a label whose state changes is touched: each write makes the next layout look at it.
      var setHidden = function (item, hidden) { if (item.el.hidden !== hidden) item.el.hidden = hidden; };
      this.items.forEach(function (item) {
        byKey[item.key] = item;
        if (!item.visible()) { setHidden(item, true); return; }
        var p = map.latLngToContainerPoint(item.latlng());
        if (p.x < -50 || p.y < -50 || p.x > size.x + 50 || p.y > size.y + 50) { setHidden(item, true); return; }
        if (!item.w) setHidden(item, false);
        shown.push({ item: item, p: p });
      });
      // Measured after every label to measure is shown: one layout for all of them, not one per
      // label (reading a size after each change of `hidden` lays the page out again each time).
      shown.forEach(function (s) {
        if (!s.item.w) {
          s.item.w = s.item.el.offsetWidth;
          s.item.h = s.item.el.offsetHeight;
        }
      });
      shown.forEach(function (s) {
        var item = s.item, p = s.p;
        if (item.symbol) obstacles.push({ key: item.key, x: p.x - SYMBOL_PX / 2, y: p.y - SYMBOL_PX / 2, w: SYMBOL_PX, h: SYMBOL_PX });
        var anchors = item.others ? item.others().map(function (ll) { var q = map.latLngToContainerPoint(ll); return [q.x, q.y]; }) : null;
        candidates.push({
          key: item.key, x: p.x, y: p.y, w: item.w, h: item.h, centered: item.country, anchors: anchors,
          // A line's label keeps clear of the station symbols along it, as a point's of its own symbol.
          // A context town's dot is small: its name sits close by. Context names bring their own (low) priority.
          gap: item.small ? 3 : item.symbol || !item.country ? SYMBOL_PX / 2 + 1 : 4,
          priority: item.priority === undefined ? 10 : item.priority - (item.dimmed && item.dimmed() ? 30 : 0),
        });
      });
      fixed.forEach(function (o) { obstacles.push(o); });
      var placed = P.labels.placeLabels(candidates, obstacles, { w: size.x, h: size.y }, this.options.padding);
      candidates.forEach(function (c) {
        var item = byKey[c.key];
        var at = placed[c.key];
        setHidden(item, !at);
        if (at) L.DomUtil.setPosition(item.el, map.containerPointToLayerPoint([at.x, at.y]).round());
      });
    },
  });

  P.layer = {
    AtlasLayer: AtlasLayer, AtlasLabels: AtlasLabels, pathStyle: pathStyle, lineDash: lineDash, labelPriority: labelPriority, dashFollowsStatus: dashFollowsStatus,
    anchorOf: anchorOf, SYMBOL_PX: SYMBOL_PX,
  };
})(typeof window !== "undefined" ? window : globalThis);
