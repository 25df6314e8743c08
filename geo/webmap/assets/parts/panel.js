/* The panel's tools (search, layers and legend, filters, timeline, sources) are Leaflet controls
 * whose container goes into a side panel / bottom sheet section instead of a map corner. Each
 * talks to two things only: the page state (state.js: read it, set it, on/off its "change") and
 * the map API below; never to the page object that wires them. Every listener a control adds it
 * removes in onRemove.
 *
 * The map API (built by atlas.js; a test may pass a stand-in):
 *   names     {kind, country, status, event}: the vocabulary's names (names.js)
 *   vocab     the payload's style vocabulary
 *   basemaps  [{id, name}]       the first is the default
 *   overlays  [{id, name}]       tile overlays (railways)
 *   layers    [{id, title, count, geometryType, features}]  the data layers, in panel order
 *   features  [feature, ...]     every feature record (layer.js featureAt)
 *   sources   {id: source}       the payload's sources
 *   credits   [text, ...]        the data's credit lines (the base layer's, its sources' licences')
 *   timeline  [event, ...]       the events the timeline lists (timeline.js timelineEvents)
 *   events    an Emitter (state.js): "searchchange" {open} when the search list opens or closes
 *   focusFeature(id, opts)       bring a feature into view and open its popup; false if unknown
 */
(function (root) {
  "use strict";

  var P = root.AtlasParts;

  /** A control that lives in a panel section (options.parent: an element id), not on the map. */
  var PanelSection = L.Control.extend({
    options: { parent: null },
    initialize: function (state, mapApi, options) {
      L.setOptions(this, options);
      this.state = state;
      this.mapApi = mapApi;
      this._subscriptions = [];
    },
    addTo: function (map) {
      this.remove();
      this._map = map;
      this._container = this.onAdd(map);
      document.getElementById(this.options.parent).appendChild(this._container);
      return this;
    },
    remove: function () {
      if (!this._map) return this;
      if (this._container) this._container.remove();
      this._unsubscribe();
      if (this.onRemove) this.onRemove(this._map);
      this._map = null;
      return this;
    },
    /** Listen to the state's "change" until the control is removed. */
    onStateChange: function (fn) {
      this.state.on("change", fn);
      this._subscriptions.push(fn);
    },
    _unsubscribe: function () {
      var state = this.state;
      this._subscriptions.forEach(function (fn) { state.off("change", fn); });
      this._subscriptions = [];
    },
  });

  P.controls = P.controls || {};
  P.controls.PanelSection = PanelSection;
})(typeof window !== "undefined" ? window : globalThis);
