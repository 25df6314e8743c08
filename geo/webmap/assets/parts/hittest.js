/* Pure: which features a click reaches, in screen pixels. The caller projects each candidate's
 * own coordinates (its [lat, lng]s, through the map's public latLngToContainerPoint); nothing
 * here reads Leaflet's drawing internals. Nearest first: point symbols, then lines and area
 * edges within reach, then areas the click falls inside. */
(function (root) {
  "use strict";

  var POINT = 0, EDGE = 1, INSIDE = 2;

  /** Distance in pixels from p to the segment a-b (all {x, y}). */
  function segmentDistance(p, a, b) {
    var dx = b.x - a.x, dy = b.y - a.y;
    var t = dx || dy ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy) : 0;
    t = Math.max(0, Math.min(1, t));
    var x = a.x + t * dx - p.x, y = a.y + t * dy - p.y;
    return Math.sqrt(x * x + y * y);
  }

  /** Nearest distance from p to any part (a list of {x, y}); a closed part has its last edge. */
  function partsDistance(p, parts, closed) {
    var best = Infinity;
    parts.forEach(function (part) {
      for (var i = 1; i < part.length; i++) best = Math.min(best, segmentDistance(p, part[i - 1], part[i]));
      if (closed && part.length > 2) best = Math.min(best, segmentDistance(p, part[part.length - 1], part[0]));
    });
    return best;
  }

  /** Even-odd rule over every ring: inside an outer ring and outside its holes. */
  function insideRings(p, rings) {
    var inside = false;
    rings.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var a = ring[i], b = ring[j];
        if ((a.y > p.y) !== (b.y > p.y) && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
      }
    });
    return inside;
  }

  /** Nested coordinate arrays (a line, a multi-line, a polygon's rings, a multi-polygon) as a flat
   * list of their innermost parts; `isPart(array)` says when an array is one part. */
  function flattenParts(nested, isPart) {
    if (!nested.length) return [];
    if (isPart(nested)) return [nested];
    return nested.reduce(function (out, child) { return out.concat(flattenParts(child, isPart)); }, []);
  }

  /** A point symbol at `at` (screen px) within `tol` of the click p: {d, rank} or null. */
  function pointHit(p, at, tol) {
    var dx = at.x - p.x, dy = at.y - p.y;
    var d = Math.sqrt(dx * dx + dy * dy);
    return d <= tol ? { d: d, rank: POINT } : null;
  }

  /** A line or area drawn through `parts` (screen px): within `tol` of its edge, or inside it. */
  function pathHit(p, parts, closed, tol) {
    var d = partsDistance(p, parts, closed);
    if (d <= tol) return { d: d, rank: EDGE };
    if (closed && insideRings(p, parts)) return { d: tol, rank: INSIDE };
    return null;
  }

  /** Hits nearest first: by rank (points, edges, insides), then by distance. */
  function sortHits(hits) {
    return hits.sort(function (x, y) { return x.rank - y.rank || x.d - y.d; });
  }

  var api = {
    POINT: POINT, EDGE: EDGE, INSIDE: INSIDE, segmentDistance: segmentDistance, partsDistance: partsDistance,
    insideRings: insideRings, flattenParts: flattenParts, pointHit: pointHit, pathHit: pathHit, sortHits: sortHits,
  };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.hittest = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
