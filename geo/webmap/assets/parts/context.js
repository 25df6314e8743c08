/* The outline map (offline): rivers, railways and towns that come with the page (payload
 * "context", from data/base/context/), drawn quietly under the atlas's layers on one canvas in a
 * pane of their own. Nothing in it takes a click: a click goes to the atlas's features, always.
 * Town names and the main rivers' names join the page's labels below the atlas's own. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var PANE = "atlasContext";
  // Label priorities (labels.js places higher first): under every atlas label (45 and up) and
  // under the country names (10), so they only take room nobody else needs.
  var RIVER_PRIORITY = 6;
  var TOWN_PRIORITY = 5;
  var SAME_PLACE_M = 12000; // a context town this close to an atlas point is that point

  function decodeLines(geometry) {
    var scale = Math.pow(10, geometry.decimals);
    return geometry.coordinates.map(function (lines) { return P.decode.decodeNested(lines, 1, scale); });
  }

  /** A town shows from one zoom below Natural Earth's own min_zoom for it. */
  function townShown(minZoom, zoom) { return minZoom === null || minZoom === undefined || zoom >= minZoom - 1; }

  var ContextLayer = L.LayerGroup.extend({
    /** data: payload.context; vocab: payload.vocabulary. */
    initialize: function (data, vocab) {
      L.LayerGroup.prototype.initialize.call(this, []);
      this.data = data;
      this.vocab = vocab;
      this.towns = [];
      this.rivers = [];
    },

    /** The kinds the page's context holds (river, railway, railway_construction, town, ...), each
     * once in the vocabulary's order: the rows of the outline map's legend. */
    kinds: function () {
      var present = {};
      var data = this.data;
      (data.rivers ? data.rivers.kind : []).concat(data.railways ? data.railways.kind : []).forEach(function (k) { present[k] = true; });
      if (data.towns && data.towns.name.length) present.town = true;
      return Object.keys(this.vocab.context).filter(function (k) { return present[k]; });
    },

    /** The atlas's own points (L.LatLng): a town on one of them is neither drawn nor named again. */
    avoid: function (latlngs) { if (!this._built) this._avoid = latlngs; },

    onAdd: function (map) {
      var pane = map.getPane(PANE) || map.createPane(PANE);
      pane.style.zIndex = 300; // above the country outlines (250), under the atlas's layers (400)
      pane.style.pointerEvents = "none";
      if (!this._built) this._build();
      L.LayerGroup.prototype.onAdd.call(this, map);
      map.on("zoomend", this._zoomed, this);
      this._zoomed();
    },

    onRemove: function (map) {
      map.off("zoomend", this._zoomed, this);
      L.LayerGroup.prototype.onRemove.call(this, map);
    },

    _build: function () {
      this._built = true;
      var renderer = L.canvas({ pane: PANE, padding: 0.2 });
      var styles = this.vocab.context;
      var self = this;
      var line = function (latlngs, kind) {
        var s = styles[kind];
        return L.polyline(latlngs, {
          renderer: renderer, pane: PANE, interactive: false, color: s.color, weight: s.weight,
          opacity: s.opacity, dashArray: s.dash || null, lineCap: "round", lineJoin: "round",
        });
      };
      var rivers = this.data.rivers;
      decodeLines(rivers.geometry).forEach(function (latlngs, i) {
        self.addLayer(line(latlngs, rivers.kind[i]));
        self.rivers.push({ name: rivers.name[i], name_ru: rivers.name_ru[i], labels: rivers.labels[i] });
      });
      var railways = this.data.railways;
      decodeLines(railways.geometry).forEach(function (latlngs, i) { self.addLayer(line(latlngs, railways.kind[i])); });
      var towns = this.data.towns;
      var scale = Math.pow(10, towns.geometry.decimals);
      var style = styles.town;
      this.townGroup = L.layerGroup();
      var avoid = this._avoid || [];
      towns.name.forEach(function (name, i) {
        var latlng = L.latLng(towns.geometry.y[i] / scale, towns.geometry.x[i] / scale);
        if (avoid.some(function (p) { return p.distanceTo(latlng) < SAME_PLACE_M; })) return;
        var large = towns.population[i] >= self.vocab.drawing.context_large_town;
        var marker = L.circleMarker(latlng, {
          renderer: renderer, pane: PANE, interactive: false, radius: (large ? 1.4 : 1) * style.weight / 2,
          color: "#ffffff", weight: 1, fillColor: style.color, fillOpacity: 1, opacity: style.opacity,
        });
        self.towns.push({
          name: name, name_ru: towns.name_ru[i], population: towns.population[i], minZoom: towns.min_zoom[i],
          latlng: latlng, marker: marker,
        });
      });
      this.addLayer(this.townGroup);
    },

    _zoomed: function () {
      var zoom = this._map.getZoom();
      var group = this.townGroup;
      this.towns.forEach(function (t) {
        var on = townShown(t.minZoom, zoom);
        if (on && !group.hasLayer(t.marker)) group.addLayer(t.marker);
        if (!on && group.hasLayer(t.marker)) group.removeLayer(t.marker);
      });
    },
  });

  /** The name a reader of `lang` sees: the Russian one in Russian where the source has it. */
  function nameIn(item, lang) { return (lang === "ru" && item.name_ru) || item.name || item.name_ru; }

  /**
   * Offer the context's names to the page's labels (AtlasLabels): towns by size, the main rivers
   * once each at their label point nearest the middle of the view. shown(): whether the outline
   * map is the basemap.
   */
  function addLabels(labels, layer, map, shown, lang) {
    if (!layer._built) layer._build();
    layer.rivers.forEach(function (river, n) {
      if (!river.labels.length) return;
      var points = river.labels.map(function (p) { return L.latLng(p[1], p[0]); });
      var near = [];
      labels.add({
        key: "context-river:" + n, text: nameIn(river, lang), kind: "context-river", country: true,
        priority: RIVER_PRIORITY,
        latlng: function () { return near[0]; },
        others: function () { return near.slice(1, 6); },
        visible: function () {
          if (!shown() || map.getZoom() < 5) return false;
          var inner = map.getBounds().pad(-0.05);
          var middle = map.getCenter();
          near = points.filter(function (p) { return inner.contains(p); });
          var d = function (p) { return Math.abs(p.lat - middle.lat) + Math.abs(p.lng - middle.lng); };
          near.sort(function (a, b) { return d(a) - d(b); });
          return near.length > 0;
        },
      });
    });
    layer.towns.forEach(function (town, n) {
      var text = nameIn(town, lang);
      if (!text) return;
      labels.add({
        key: "context-town:" + n, text: text, kind: "context-town", symbol: false, small: true,
        priority: TOWN_PRIORITY + Math.min(4, Math.log10(Math.max(town.population, 1)) - 4),
        latlng: function () { return town.latlng; },
        visible: function () { return shown() && townShown(town.minZoom, map.getZoom()); },
      });
    });
  }

  P.context = { ContextLayer: ContextLayer, addLabels: addLabels, townShown: townShown, nameIn: nameIn };
})(typeof window !== "undefined" ? window : globalThis);
