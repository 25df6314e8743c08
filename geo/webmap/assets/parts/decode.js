/* Pure: the data block's encodings (geo/webmap/encoding.py) back into values and [lat, lng]s. */
(function (root) {
  "use strict";

  function decodeColumn(column) {
    if (Array.isArray(column)) return column;
    var values = column.values;
    return column.codes.map(function (code) { return values[code]; });
  }

  // [x0, y0, dx1, dy1, ...] in units of 10^-decimals degrees -> [[lat, lng], ...] for Leaflet.
  function decodeLatLngs(flat, scale) {
    var out = new Array(flat.length / 2);
    var x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) {
      x += flat[i];
      y += flat[i + 1];
      out[i / 2] = [y / scale, x / scale];
    }
    return out;
  }

  function decodeNested(node, depth, scale) {
    if (depth === 0) return decodeLatLngs(node, scale);
    return node.map(function (child) { return decodeNested(child, depth - 1, scale); });
  }

  var api = { decodeColumn: decodeColumn, decodeLatLngs: decodeLatLngs, decodeNested: decodeNested };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.decode = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
