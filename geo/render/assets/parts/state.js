/* The page state a reader changes (basemap, layers, filters, date, open feature), as one object
 * that fires "change" events; every view of it (panel, map, URL) listens instead of calling
 * each other. Loadable by Node: it needs no Leaflet. */
(function (root) {
  "use strict";

  function AtlasState(initial) {
    this._listeners = {};
    this.base = initial.base;
    this.layers = initial.layers.slice(); // ids of the overlays shown, data layers and tile overlays
    this.hidden = {}; // filter key "status.proposed" -> true when that value is filtered out
    this.date = null;
    this.uncertainty = true;
    this.open = null;
  }

  AtlasState.prototype.on = function (type, fn) {
    (this._listeners[type] = this._listeners[type] || []).push(fn);
    return this;
  };

  AtlasState.prototype.fire = function (type, detail) {
    (this._listeners[type] || []).slice().forEach(function (fn) { fn(detail); });
    return this;
  };

  /** Apply a patch; fire one "change" naming the keys that really changed. */
  AtlasState.prototype.set = function (patch) {
    var changed = [];
    var self = this;
    Object.keys(patch).forEach(function (key) {
      var value = patch[key];
      if (JSON.stringify(self[key]) === JSON.stringify(value)) return;
      self[key] = Array.isArray(value) ? value.slice() : value && typeof value === "object" ? Object.assign({}, value) : value;
      changed.push(key);
    });
    if (changed.length) this.fire("change", { keys: changed, state: this });
    return changed;
  };

  AtlasState.prototype.layerOn = function (id) { return this.layers.indexOf(id) >= 0; };

  AtlasState.prototype.setLayer = function (id, on) {
    var layers = this.layers.filter(function (l) { return l !== id; });
    if (on) layers.push(id);
    return this.set({ layers: layers });
  };

  AtlasState.prototype.filteredOut = function (key, value) { return this.hidden[key + "." + value] === true; };

  AtlasState.prototype.setFilter = function (key, value, shown) {
    var hidden = Object.assign({}, this.hidden);
    if (shown) delete hidden[key + "." + value];
    else hidden[key + "." + value] = true;
    return this.set({ hidden: hidden });
  };

  var api = { AtlasState: AtlasState };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.state = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
