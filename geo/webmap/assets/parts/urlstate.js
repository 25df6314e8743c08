/* Pure: the page state and view to and from the URL hash (hash.js does the syntax). What the map
 * knows (its basemaps, layers, filter keys, dates, features, zoom range) comes in as `ctx`:
 *   {bases: [id, ...] (the first is the default), layerIds: [...] (in panel order),
 *    defaultLayers: [...], filterKeys: [...], dates: [...], hasFeature(id), minZoom, maxZoom}
 * A part that cannot be read falls back to its default and is named in `problems`. */
(function (root) {
  "use strict";

  root.AtlasParts = root.AtlasParts || {};
  var P = root.AtlasParts; // hash.js, read when called

  // What each part of the link is called when a reader is told it could not be read.
  var N_ = function (msgid) { return msgid; }; // marks a text for the catalogs (README: Languages)
  var PART_NAMES = { map: N_("view"), base: N_("basemap"), layers: N_("layers"), hide: N_("filters"), date: N_("date"), open: N_("open feature"), lang: N_("language") };

  /** state: AtlasState (or its fields); view: {zoom, lat, lng} -> "#map=...&...". */
  function toHash(state, view, ctx) {
    var layers = state.layers;
    return P.hash.formatHash({
      map: view.zoom + "/" + view.lat.toFixed(4) + "/" + view.lng.toFixed(4),
      base: state.base === ctx.bases[0] ? null : state.base,
      layers: ctx.layerIds.filter(function (id) { return layers.indexOf(id) >= 0; }).join(","),
      hide: Object.keys(state.hidden).sort().join(",") || null,
      date: state.date,
      uncertainty: state.uncertainty ? null : "0",
      open: state.open,
      lang: state.lang || null,
    });
  }

  /** "#..." -> {patch: a state patch (every part, defaults where the link is silent or wrong),
   * view: {zoom, lat, lng} or null, open: a feature id or null, problems: [part, ...]}. */
  function fromHash(text, ctx) {
    var parsed = P.hash.parseHash(text);
    var params = parsed.params;
    var problems = parsed.problems.slice();
    var patch = { base: ctx.bases[0], layers: ctx.defaultLayers.slice(), hidden: {}, date: null, uncertainty: true };
    var view = null;
    if ("map" in params) {
      view = P.hash.parseView(params.map, ctx.minZoom, ctx.maxZoom);
      if (!view) problems.push("map");
    }
    if ("base" in params) {
      if (ctx.bases.indexOf(params.base) >= 0) patch.base = params.base;
      else problems.push("base");
    }
    if ("layers" in params) {
      var layers = P.hash.parseList(params.layers, ctx.layerIds);
      if (layers.unknown.length) problems.push("layers");
      if (layers.values.length || !layers.unknown.length) patch.layers = layers.values;
    }
    if ("hide" in params) {
      var filters = P.hash.parseList(params.hide, ctx.filterKeys);
      if (filters.unknown.length) problems.push("hide");
      filters.values.forEach(function (k) { patch.hidden[k] = true; });
    }
    if ("date" in params) {
      var date = P.hash.parseDate(params.date);
      if (date && ctx.dates.indexOf(date) >= 0) patch.date = date;
      else problems.push("date");
    }
    if ("uncertainty" in params) patch.uncertainty = params.uncertainty !== "0";
    if ("lang" in params) {
      if ((ctx.languages || []).indexOf(params.lang) >= 0) patch.lang = params.lang;
      else problems.push("lang");
    }
    var open = null;
    if (params.open) {
      if (ctx.hasFeature(params.open)) open = params.open;
      else problems.push("open");
    }
    return { patch: patch, view: view, open: open, problems: problems };
  }

  /** The notice for the parts of a link that could not be read, or null when all could. */
  function problemNotice(problems, tr) {
    if (!problems.length) return null;
    var t = function (msgid, params) { return tr ? tr.t(msgid, params) : msgid.replace("{parts}", params ? params.parts : ""); };
    var parts = problems.map(function (p) { return PART_NAMES[p] ? t(PART_NAMES[p]) : p; }).filter(function (p, i, a) { return a.indexOf(p) === i; });
    return t("Part of this link could not be read ({parts}); showing the map's defaults for it.", { parts: parts.join(", ") });
  }

  var api = { toHash: toHash, fromHash: fromHash, problemNotice: problemNotice };
  P.urlstate = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
