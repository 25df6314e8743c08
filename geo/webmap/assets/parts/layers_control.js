/* The panel's basemaps, layers (each with its legend) and the uncertainty-circle switch. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;

  var LayersControl = P.controls.PanelSection.extend({
    onAdd: function () {
      var api = this.mapApi;
      var state = this.state;
      var tr = api.tr;
      var box = el("div");
      box.appendChild(el("h2", { text: tr.t("Map layers") }));
      var bases = el("fieldset", { className: "atlas-bases" }, el("legend", { text: tr.t("Basemap") }));
      this.baseInputs = {};
      this.legends = {};
      var self = this;
      api.basemaps.forEach(function (base) {
        var id = "atlas-base-" + base.id;
        var input = el("input", { type: "radio", name: "atlas-base", id: id, value: base.id });
        input.addEventListener("change", function () { if (input.checked) state.set({ base: base.id }); });
        self.baseInputs[base.id] = input;
        bases.appendChild(el("div", { className: "atlas-choice" }, input, el("label", { for: id, text: tr.t(base.name) })));
      });
      box.appendChild(bases);
      var overlays = el("fieldset", { className: "atlas-overlays" }, el("legend", { text: tr.t("Layers") }));
      this.layerInputs = {};
      api.layers.forEach(function (layer) {
        var id = "atlas-layer-" + layer.id;
        var input = el("input", { type: "checkbox", id: id, "data-layer": layer.id });
        input.addEventListener("change", function () { state.setLayer(layer.id, input.checked); });
        self.layerInputs[layer.id] = input;
        var label = el("label", { for: id }, P.dom.bdi(layer.title), " ", el("span", { className: "atlas-count", title: tr.tn("{n} feature", "{n} features", layer.count), text: "(" + tr.number(layer.count) + ")" }));
        var row = el("div", { className: "atlas-layer-row" }, el("div", { className: "atlas-choice" }, input, label));
        var legend = self._legend(layer);
        row.appendChild(legend);
        self.legends[layer.id] = legend;
        overlays.appendChild(row);
      });
      api.overlays.forEach(function (overlay) {
        var id = "atlas-layer-" + overlay.id;
        var input = el("input", { type: "checkbox", id: id, "data-layer": overlay.id });
        input.addEventListener("change", function () { state.setLayer(overlay.id, input.checked); });
        self.layerInputs[overlay.id] = input;
        overlays.appendChild(el("div", { className: "atlas-layer-row" }, el("div", { className: "atlas-choice" }, input, el("label", { for: id, text: tr.t(overlay.name) }))));
      });
      box.appendChild(overlays);
      var uncertainty = el("input", { type: "checkbox", id: "atlas-uncertainty" });
      uncertainty.addEventListener("change", function () { state.set({ uncertainty: uncertainty.checked }); });
      this.uncertaintyInput = uncertainty;
      box.appendChild(el("div", { className: "atlas-choice" }, uncertainty, el("label", { for: "atlas-uncertainty" },
        el("span", { className: "atlas-swatch-circle", "aria-hidden": "true" }), " " + tr.t("Positional uncertainty circles (radius = accuracy)"))));
      box.appendChild(el("p", { className: "atlas-legend-base" }, el("span", { className: "atlas-swatch-area atlas-swatch-country", "aria-hidden": "true" }),
        el("span", { text: tr.t("Country outlines (simplified), drawn offline") })));
      this.contextLegend = this._contextLegend();
      if (this.contextLegend) box.appendChild(this.contextLegend);
      this.onStateChange(function () { self.sync(); });
      this.sync();
      return box;
    },

    _legend: function (layer) {
      var api = this.mapApi;
      var vocab = api.vocab;
      var list = el("ul", { className: "atlas-legend-layer", "data-layer": layer.id, "aria-label": api.tr.t("Legend: {layer}", { layer: layer.title }) });
      var seen = {};
      var isPath = layer.geometryType !== "Point";
      layer.features.forEach(function (feature) {
        // A line kind dashed by status has an entry per status; other kinds one entry.
        var byStatus = isPath && P.layer.dashFollowsStatus(vocab, feature.kind);
        var key = feature.kind + (isPath ? "|" + (byStatus ? feature.status || "unknown" : "any") : "");
        if (seen[key]) return;
        seen[key] = true;
        var style = vocab.kinds[feature.kind] || vocab.fallback;
        var swatch;
        if (!isPath) {
          swatch = el("span", { className: "atlas-symbol atlas-symbol-" + style.symbol, "aria-hidden": "true" });
        } else if (style.symbol === "area") {
          swatch = el("span", { className: "atlas-swatch-area", "aria-hidden": "true" });
          swatch.style.background = style.fill;
          swatch.style.borderColor = style.color;
        } else {
          var line = P.layer.pathStyle(vocab, feature);
          swatch = el("span", { className: "atlas-swatch-line" + (line.dashArray ? " atlas-dashed" : ""), "aria-hidden": "true" });
          swatch.style.borderTopColor = style.color;
          if (line.dashArray && vocab.drawing.dash_looks[line.dashArray] === "dotted") swatch.className += " atlas-dotted";
        }
        swatch.style.setProperty("--atlas-color", style.color);
        var label = style.label || feature.kind;
        if (byStatus && style.symbol === "line") label += " — " + api.names.status(feature.status || "unknown").toLowerCase();
        list.appendChild(el("li", null, swatch, el("span", { text: label })));
      });
      return list;
    },

    /** The outline map's symbols, once each (one row for rivers and lake centre lines), shown
     * while the outline map is the basemap; the words are the style's (geo/style.py CONTEXT_STYLES). */
    _contextLegend: function () {
      var api = this.mapApi;
      var styles = api.vocab.context || {};
      var kinds = api.contextKinds || [];
      if (!kinds.length) return null;
      var list = el("ul", { className: "atlas-legend-context", "aria-label": api.tr.t("Legend: {layer}", { layer: api.tr.t("Outline map (offline)") }) });
      var seen = {};
      kinds.forEach(function (kind) {
        var style = styles[kind];
        if (!style || seen[style.label]) return;
        seen[style.label] = true;
        var swatch;
        if (kind === "town") {
          swatch = el("span", { className: "atlas-swatch-town", "aria-hidden": "true" });
          swatch.style.background = style.color;
        } else {
          swatch = el("span", { className: "atlas-swatch-line atlas-swatch-context" + (style.dash ? " atlas-dashed" : ""), "aria-hidden": "true" });
          swatch.style.borderTopColor = style.color;
        }
        list.appendChild(el("li", null, swatch, el("span", { text: api.tr.t(style.label) })));
      });
      return list;
    },

    sync: function () {
      var state = this.state;
      var self = this;
      if (this.contextLegend) this.contextLegend.hidden = state.base !== "outline";
      Object.keys(this.baseInputs).forEach(function (id) { self.baseInputs[id].checked = state.base === id; });
      Object.keys(this.layerInputs).forEach(function (id) { self.layerInputs[id].checked = state.layerOn(id); });
      Object.keys(this.legends).forEach(function (id) { self.legends[id].hidden = !state.layerOn(id); });
      this.uncertaintyInput.checked = state.uncertainty;
    },
  });

  P.controls.LayersControl = LayersControl;
})(typeof window !== "undefined" ? window : globalThis);
