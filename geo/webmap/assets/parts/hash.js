/* Pure: the page state in the URL hash. Every part is read on its own: a part that cannot be
 * read is reported and left out, so the page falls back to its default for that part only. */
(function (root) {
  "use strict";

  var ORDER = ["map", "base", "layers", "hide", "date", "uncertainty", "open", "lang"];
  var TOKEN = /^[A-Za-z0-9_.:-]+$/;

  /** "#a=1&b=x" -> {params: {a: "1", b: "x"}, problems: ["..."]}; never throws. */
  function parseHash(hash) {
    var params = {};
    var problems = [];
    String(hash || "").replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf("=");
      var key = at < 0 ? pair : pair.slice(0, at);
      var raw = at < 0 ? "" : pair.slice(at + 1);
      var value;
      try {
        value = decodeURIComponent(raw.replace(/\+/g, " "));
      } catch (err) {
        problems.push(key);
        return;
      }
      if (ORDER.indexOf(key) < 0) return; // someone else's parameter: not ours to judge
      params[key] = value;
    });
    return { params: params, problems: problems };
  }

  /** "8/41.1/68.9" -> {zoom, lat, lng} within the map's zoom range, or null. */
  function parseView(text, minZoom, maxZoom) {
    var parts = String(text || "").split("/");
    if (parts.length !== 3) return null;
    if (!parts.every(function (p) { return /^-?\d+(\.\d+)?$/.test(p); })) return null;
    var zoom = Number(parts[0]), lat = Number(parts[1]), lng = Number(parts[2]);
    if (!(lat >= -85 && lat <= 85 && lng >= -180 && lng <= 180)) return null;
    if (!(zoom >= (minZoom || 0) && zoom <= (maxZoom === undefined ? 22 : maxZoom))) return null;
    return { zoom: zoom, lat: lat, lng: lng };
  }

  /** A comma list of known tokens: {values, unknown}; values only among `known` when given. */
  function parseList(text, known) {
    var values = [];
    var unknown = [];
    String(text || "").split(",").forEach(function (v) {
      if (!v) return;
      if (!TOKEN.test(v) || (known && known.indexOf(v) < 0)) unknown.push(v);
      else if (values.indexOf(v) < 0) values.push(v);
    });
    return { values: values, unknown: unknown };
  }

  /** A date "2024", "2024-08" or "2024-08-22", or null. */
  function parseDate(text) {
    return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(String(text || "")) ? String(text) : null;
  }

  /** {key: value} -> "#key=value&..." in a fixed key order; null and undefined values left out. */
  function formatHash(params) {
    var bits = [];
    ORDER.forEach(function (key) {
      var value = params[key];
      if (value === null || value === undefined) return;
      bits.push(key + "=" + encodeURIComponent(String(value)).replace(/%2C/g, ",").replace(/%2F/g, "/").replace(/%3A/g, ":"));
    });
    return "#" + bits.join("&");
  }

  var api = { ORDER: ORDER, parseHash: parseHash, parseView: parseView, parseList: parseList, parseDate: parseDate, formatHash: formatHash };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.hash = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
