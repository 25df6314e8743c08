/* The page state a reader changes (basemap, layers, filters, date, open feature), as one object
 * that fires "change" events; every view of it (panel, map, URL) listens instead of calling
 * each other. Every subscription can be undone with off(). Loadable by Node: it needs no Leaflet. */
(function (root) {
  "use strict";

  /** on/off/fire for plain objects: the state, and the events the map API passes on. */
  function Emitter() {
    this._listeners = {};
  }

  Emitter.prototype.on = function (type, fn) {
    (this._listeners[type] = this._listeners[type] || []).push(fn);
    return this;
  };

  /** Undo one on(type, fn); a listener never added is ignored. */
  Emitter.prototype.off = function (type, fn) {
    var list = this._listeners[type];
    if (!list) return this;
    var at = list.indexOf(fn);
    if (at >= 0) list.splice(at, 1);
    return this;
  };

  Emitter.prototype.fire = function (type, detail) {
    (this._listeners[type] || []).slice().forEach(function (fn) { fn(detail); });
    return this;
  };

  /** How many listeners a type has (for tests that check a control let go of its own). */
  Emitter.prototype.listenerCount = function (type) {
    return (this._listeners[type] || []).length;
  };

  function AtlasState(initial) {
    Emitter.call(this);
    this.base = initial.base;
    this.layers = initial.layers.slice(); // ids of the overlays shown, data layers and tile overlays
    this.hidden = {}; // filter key "status.proposed" -> true when that value is filtered out
    this.date = null;
    this.uncertainty = true;
    this.open = null;
  }

  AtlasState.prototype = Object.create(Emitter.prototype);
  AtlasState.prototype.constructor = AtlasState;

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

  /** Whether the filters let a feature through: its status, its kind, and one of its countries. */
  AtlasState.prototype.shows = function (feature) {
    var self = this;
    if (this.filteredOut("status", feature.status || "")) return false;
    if (this.filteredOut("kind", feature.kind)) return false;
    if (feature.country.length && feature.country.every(function (c) { return self.filteredOut("country", c); })) return false;
    return true;
  };

  var api = { Emitter: Emitter, AtlasState: AtlasState };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.state = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
