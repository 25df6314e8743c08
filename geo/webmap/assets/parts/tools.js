/* The map's own tools, in its corner: full screen and distance measuring. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;
  var N_ = function (msgid) { return msgid; }; // marks a text for the catalogs (README: Languages)

  var ToolButton = L.Control.extend({
    options: { position: "topleft", title: "", iconName: "" },
    onAdd: function () {
      var bar = el("div", { className: "leaflet-bar atlas-tool" });
      var title = this.options.tr.t(this.options.title);
      var button = el("button", { type: "button", title: title, "aria-label": title, "aria-pressed": "false", className: "atlas-tool-" + this.options.iconName }, P.dom.icon(this.options.iconName));
      L.DomEvent.disableClickPropagation(bar);
      var self = this;
      button.addEventListener("click", function () { self.press(); });
      bar.appendChild(button);
      this.button = button;
      if (this.added) this.added();
      return bar;
    },
    onRemove: function () { if (this.removed) this.removed(); },
  });

  var FullscreenControl = ToolButton.extend({
    options: { title: N_("Full screen"), iconName: "fullscreen" },
    press: function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    },
    added: function () {
      var self = this;
      // The browser leaves full screen on Esc by itself: follow its state, not our clicks.
      this._sync = function () {
        self.button.setAttribute("aria-pressed", String(!!document.fullscreenElement));
        if (self._map) self._map.invalidateSize();
      };
      document.addEventListener("fullscreenchange", this._sync);
    },
    removed: function () { document.removeEventListener("fullscreenchange", this._sync); },
  });

  var MeasureControl = ToolButton.extend({
    options: { title: N_("Measure a distance: click points on the map; press again or Esc to finish"), iconName: "measure" },
    press: function () {
      if (this.active) { this.finish(); return; }
      var map = this._map;
      this.clear();
      this.line = L.polyline([], { color: "#d35400", weight: 3, dashArray: "6 4", interactive: false }).addTo(map);
      this.readout = el("div", { className: "atlas-measure-readout", role: "status", text: this.options.tr.t("Click on the map to start measuring") });
      map.getContainer().appendChild(this.readout);
      map.getContainer().classList.add("atlas-measuring");
      this.active = true;
      this.button.setAttribute("aria-pressed", "true");
    },
    addPoint: function (latlng) {
      var map = this._map;
      this.line.addLatLng(latlng);
      var points = this.line.getLatLngs();
      var total = 0;
      for (var i = 1; i < points.length; i++) total += map.distance(points[i - 1], points[i]);
      var tr = this.options.tr;
      this.readout.textContent = tr.t("Distance: {distance} ({points})", { distance: tr.distance(total), points: tr.tn("{n} point", "{n} points", points.length) });
    },
    finish: function () {
      if (!this.active) return;
      this.active = false;
      this._map.getContainer().classList.remove("atlas-measuring");
      this.button.setAttribute("aria-pressed", "false");
    },
    clear: function () {
      if (this.line) this._map.removeLayer(this.line);
      if (this.readout) this.readout.remove();
      this.line = this.readout = null;
    },
    added: function () {
      var self = this;
      this._esc = function (event) { if (event.key === "Escape") self.finish(); };
      document.addEventListener("keydown", this._esc);
    },
    removed: function () { document.removeEventListener("keydown", this._esc); this.clear(); },
  });

  /** Leaflet's scale bar with its lengths in the page's language (options.tr), metric first. */
  var ScaleControl = L.Control.Scale.extend({
    _updateMetric: function (maxMeters) {
      var meters = this._getRoundNum(maxMeters);
      this._updateScale(this._mScale, this.options.tr.distance(meters), meters / maxMeters);
    },
  });

  P.controls.ToolButton = ToolButton;
  P.controls.ScaleControl = ScaleControl;
  P.controls.FullscreenControl = FullscreenControl;
  P.controls.MeasureControl = MeasureControl;
})(typeof window !== "undefined" ? window : globalThis);
