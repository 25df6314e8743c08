/* Pure: label placement with collision avoidance. Labels are placed by priority; each tries
 * positions around its anchor and takes the first that overlaps no placed label, no symbol and
 * stays in view; a label with no room is hidden (and comes back when the view leaves room). */
(function (root) {
  "use strict";

  // Offsets as fractions: [dx of the box's left edge in widths, dy of its top edge in heights].
  var AROUND = [
    ["right", 0, -0.5], ["left", -1, -0.5], ["top", -0.5, -1], ["bottom", -0.5, 0],
    ["top-right", 0, -1], ["bottom-right", 0, 0], ["top-left", -1, -1], ["bottom-left", -1, 0],
  ];

  function intersects(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  function candidates(item) {
    if (item.centered) {
      // A name written across an area: centred on its anchor, or on one of its other anchors.
      return [[item.x, item.y]].concat(item.anchors || []).map(function (a) { return ["center", a[0] - item.w / 2, a[1] - item.h / 2]; });
    }
    var gap = item.gap || 0;
    return AROUND.map(function (p) {
      var x = item.x + p[1] * item.w + (p[1] === 0 ? gap : p[1] === -1 ? -gap : 0);
      var y = item.y + p[2] * item.h + (p[2] === 0 ? gap : p[2] === -1 ? -gap : 0);
      return [p[0], x, y];
    });
  }

  /**
   * items: [{key, x, y, w, h, priority, gap?, centered?, anchors?}] in screen pixels (x, y: the
   * anchor; a centred item may offer other anchors [[x, y], ...] to try in turn);
   * obstacles: [{x, y, w, h, key?}] boxes labels must not cover (an item's own symbol is skipped
   * by key); view: {w, h}. Returns {key: {x, y, position}} for the labels that fit.
   */
  function placeLabels(items, obstacles, view, padding) {
    var pad = padding || 0;
    var order = items.map(function (item, i) { return [item, i]; });
    order.sort(function (a, b) { return (b[0].priority - a[0].priority) || (a[1] - b[1]); });
    var placed = [];
    var out = {};
    order.forEach(function (pair) {
      var item = pair[0];
      var options = candidates(item);
      for (var c = 0; c < options.length; c++) {
        var box = { x: options[c][1], y: options[c][2], w: item.w, h: item.h };
        if (box.x < 0 || box.y < 0 || box.x + box.w > view.w || box.y + box.h > view.h) continue;
        var padded = { x: box.x - pad, y: box.y - pad, w: box.w + 2 * pad, h: box.h + 2 * pad };
        var clash = false;
        for (var p = 0; p < placed.length && !clash; p++) clash = intersects(padded, placed[p]);
        for (var o = 0; o < obstacles.length && !clash; o++) {
          if (obstacles[o].key !== item.key) clash = intersects(box, obstacles[o]);
        }
        if (clash) continue;
        placed.push(box);
        out[item.key] = { x: box.x, y: box.y, position: options[c][0] };
        return;
      }
    });
    return out;
  }

  var api = { placeLabels: placeLabels, intersects: intersects };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.labels = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
