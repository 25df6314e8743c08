/* The compact path for large layers (geo/webmap/compact.py packs them): typed arrays instead of
 * one object per feature, one canvas per layer that draws only what is in view, a grid index
 * that answers clicks, and a scan of the names for search. A feature becomes an object only when
 * a popup, the chooser or a search result needs it. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var DOT_LIMIT = 4000; // more points than this in view: drawn as dots, each still its own
  var PICK_POINT_PX = 6;
  var PICK_PATH_PX = 5;
  var CANDIDATE_LIMIT = 400; // names ranked per search, among the matches found first
  var SEP = "\u0000";

  // ---- decoding ------------------------------------------------------------------------------

  /** base64 -> bytes: the browser's own decoder where it has one (Chromium 140+, Firefox 133+,
   * Safari 18.2+), a quarter of a second sooner at a million features than a loop over atob's text. */
  function fromBase64(b64) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
    var binary = atob(b64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  /** base64 of zlib-deflated bytes -> Promise<Uint8Array>, inflated by the browser itself. */
  function inflate(b64) {
    var bytes = fromBase64(b64);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  /** LEB128 varints (zigzag when signed) -> Int32Array. Values up to 2^32 (five bytes). */
  function readVarints(bytes, signed) {
    var n = 0, len = bytes.length;
    for (var i = 0; i < len; i++) if (bytes[i] < 128) n++;
    var out = new Int32Array(n);
    for (var j = 0, k = 0; j < len; k++) {
      var b = bytes[j++], v = b & 127;
      if (b > 127) {
        b = bytes[j++]; v |= (b & 127) << 7;
        if (b > 127) {
          b = bytes[j++]; v |= (b & 127) << 14;
          if (b > 127) {
            b = bytes[j++]; v |= (b & 127) << 21;
            if (b > 127) {
              b = bytes[j++];
              v += (b & 127) * 268435456; // past 28 bits: no longer a small integer, so arithmetic
              out[k] = signed ? (v % 2 ? -(v + 1) / 2 : v / 2) : v;
              continue;
            }
          }
        }
      }
      out[k] = signed ? (v >>> 1) ^ -(v & 1) : v;
    }
    return out;
  }

  /** Counts -> offsets (a Uint32Array one longer, starting at 0). */
  function offsetsOf(counts) {
    var out = new Uint32Array(counts.length + 1);
    for (var i = 0; i < counts.length; i++) out[i + 1] = out[i] + counts[i];
    return out;
  }

  /** Where each NUL-separated value of a text column starts (one past the end last). */
  function textStarts(text, count) {
    var starts = new Uint32Array(count + 1);
    var at = 0;
    for (var i = 0; i < count; i++) {
      starts[i] = at;
      var next = text.indexOf(SEP, at);
      at = next < 0 ? text.length + 1 : next + 1;
    }
    starts[count] = at;
    return starts;
  }

  /** A template split at its placeholders: [text, width, text, width, ... text]; width 0: as is. */
  function splitTemplate(template) {
    var out = [], at = 0;
    for (var i = 0; i < template.length; i++) {
      var c = template.charCodeAt(i);
      if (c !== 1 && c !== 2) continue;
      out.push(template.slice(at, i), c === 1 ? 0 : template.charCodeAt(i + 1) - 48);
      if (c === 2) i++;
      at = i + 1;
    }
    out.push(template.slice(at));
    return out;
  }

  /** Templates and number steps (compact.py _templates) back into one NUL-joined text. */
  function fillTemplates(templates, steps, count) {
    var last = [], at = 0, out = new Array(count), parsed = new Map();
    for (var i = 0; i < count; i++) {
      var template = columnValue(templates, i);
      var pieces = parsed.get(template);
      if (!pieces) { pieces = splitTemplate(template); parsed.set(template, pieces); }
      var text = pieces[0];
      for (var k = 1, slot = 0; k < pieces.length; k += 2, slot++) {
        if (last.length <= slot) last.push(0);
        last[slot] += steps[at++];
        var number = String(last[slot]);
        while (number.length < pieces[k]) number = "0" + number;
        text += number + pieces[k + 1];
      }
      out[i] = text;
    }
    return out.join(SEP);
  }

  function decodeColumn(column, count) {
    if (column.templates) {
      return Promise.all([decodeColumn(column.templates, count), inflate(column.numbers)]).then(function (parts) {
        var text = fillTemplates(parts[0], readVarints(parts[1], true), count);
        return { text: text, starts: textStarts(text, count) };
      });
    }
    if (column.values) {
      return inflate(column.codes).then(function (bytes) { return { values: column.values, codes: narrow(readVarints(bytes, false), column.values.length) }; });
    }
    if (column.items) {
      return Promise.all([inflate(column.item_codes), inflate(column.lengths)]).then(function (parts) {
        var codes = narrow(readVarints(parts[0], false), column.items.length);
        return { items: column.items, itemCodes: codes, itemStarts: offsetsOf(readVarints(parts[1], false)) };
      });
    }
    return inflate(column.text || column.json).then(function (bytes) {
      var text = new TextDecoder().decode(bytes);
      if (column.json) return { list: JSON.parse(text) };
      return { text: text, starts: textStarts(text, count) };
    });
  }

  /** Codes into `size` values in the smallest typed array that holds them (a byte each, mostly). */
  function narrow(codes, size) {
    if (size <= 256) return Uint8Array.from(codes);
    if (size <= 65536) return Uint16Array.from(codes);
    return codes;
  }

  function columnValue(column, i) {
    if (column.list) return column.list[i];
    if (column.codes) return column.values[column.codes[i]];
    if (column.itemCodes) {
      var list = [];
      for (var k = column.itemStarts[i]; k < column.itemStarts[i + 1]; k++) list.push(column.items[column.itemCodes[k]]);
      return list;
    }
    return column.text.slice(column.starts[i], column.starts[i + 1] - 1);
  }

  /** A compact layer's data block entry -> Promise of its store: typed arrays and columns. */
  function decodeLayer(layerData) {
    var g = layerData.geometry;
    var count = layerData.count;
    var names = Object.keys(layerData.properties);
    var jobs = [inflate(g.coords), inflate(g.coarse)].concat(g.counts.map(inflate)).concat(names.map(function (name) {
      return decodeColumn(layerData.properties[name], count);
    }));
    // Features whose status is over a year old (payload.py): ascending indices as steps.
    var stale = layerData.stale_status ? inflate(layerData.stale_status).then(function (bytes) {
      var flags = new Uint8Array(count), at = 0, steps = readVarints(bytes, false);
      for (var s = 0; s < steps.length; s++) { at += steps[s]; flags[at] = 1; }
      return flags;
    }) : Promise.resolve(null);
    return Promise.all([stale].concat(jobs)).then(function (all) {
      var parts = all.slice(1);
      var store = { type: g.type, count: count, scale: Math.pow(10, g.decimals), decimals: g.decimals, columns: {}, stale: all[0] };
      var levels = parts.slice(2, 2 + g.counts.length).map(function (b) { return offsetsOf(readVarints(b, false)); });
      names.forEach(function (name, k) { store.columns[name] = parts[2 + g.counts.length + k]; });
      if (g.type === "Point") {
        store.pathStart = null;
        store.featurePath = null;
      } else {
        // Paths are lines or rings; each feature owns a run of them.
        store.pathStart = levels[0];
        store.featurePath = levels.length === 1 ? identity(count + 1) : compose(levels, 1);
      }
      var bounds = levels.length ? compose(levels, 0) : identity(count + 1);
      store.coords = decodeCoords(readVarints(parts[0], true), bounds, readVarints(parts[1], false));
      store.bbox = bboxes(store);
      // Decoded once: the packed text is let go, or the page would hold every layer twice (as
      // text and as arrays: 45 MB of the heap at a million features).
      layerData.geometry = { type: g.type, decimals: g.decimals };
      names.forEach(function (name) { layerData.properties[name] = null; });
      layerData.stale_status = null;
      return store;
    });
  }

  /** The offsets of the outermost level (features) expressed at level `down` (0: positions). */
  function compose(levels, down) {
    var out = levels[levels.length - 1];
    for (var l = levels.length - 2; l >= down; l--) {
      var inner = levels[l];
      out = out.map(function (v) { return inner[v]; });
    }
    return out;
  }

  /**
   * Positions (x, y, x, y ... in 10^-decimals degrees) from their steps: feature f's steps are
   * in units of 10^coarse[f], from the position before divided by that and rounded down
   * (geo/webmap/compact.py encode_compact_geometries).
   */
  function decodeCoords(steps, bounds, coarse) {
    var out = new Int32Array(steps.length);
    var x = 0, y = 0;
    for (var f = 0; f < coarse.length; f++) {
      var m = Math.pow(10, coarse[f]);
      for (var v = bounds[f]; v < bounds[f + 1]; v++) {
        if (m === 1) { x += steps[2 * v]; y += steps[2 * v + 1]; }
        else { x = (Math.floor(x / m) + steps[2 * v]) * m; y = (Math.floor(y / m) + steps[2 * v + 1]) * m; }
        out[2 * v] = x;
        out[2 * v + 1] = y;
      }
    }
    return out;
  }

  function identity(n) {
    var out = new Uint32Array(n);
    for (var i = 0; i < n; i++) out[i] = i;
    return out;
  }

  /** Each feature's box in coordinate units: [minx, miny, maxx, maxy] * count. */
  function bboxes(store) {
    var box = new Int32Array(store.count * 4);
    var c = store.coords;
    for (var i = 0; i < store.count; i++) {
      var a, b;
      if (!store.pathStart) { a = i; b = i + 1; } else { a = store.pathStart[store.featurePath[i]]; b = store.pathStart[store.featurePath[i + 1]]; }
      var minx = 2147483647, miny = 2147483647, maxx = -2147483648, maxy = -2147483648;
      for (var v = a; v < b; v++) {
        var x = c[2 * v], y = c[2 * v + 1];
        if (x < minx) minx = x;
        if (x > maxx) maxx = x;
        if (y < miny) miny = y;
        if (y > maxy) maxy = y;
      }
      box[4 * i] = minx; box[4 * i + 1] = miny; box[4 * i + 2] = maxx; box[4 * i + 3] = maxy;
    }
    return box;
  }

  // ---- the grid index ----------------------------------------------------------------------------

  /** Features by grid cell (compressed rows): each feature in every cell its box touches. */
  function GridIndex(bbox, count) {
    var minx = Infinity, miny = Infinity, maxx = -Infinity, maxy = -Infinity;
    for (var i = 0; i < count; i++) {
      if (bbox[4 * i] < minx) minx = bbox[4 * i];
      if (bbox[4 * i + 1] < miny) miny = bbox[4 * i + 1];
      if (bbox[4 * i + 2] > maxx) maxx = bbox[4 * i + 2];
      if (bbox[4 * i + 3] > maxy) maxy = bbox[4 * i + 3];
    }
    var side = Math.max(1, Math.ceil(Math.sqrt(count / 4)));
    this.minx = minx; this.miny = miny;
    this.cw = Math.max(1, Math.ceil((maxx - minx + 1) / side));
    this.ch = Math.max(1, Math.ceil((maxy - miny + 1) / side));
    this.nx = Math.ceil((maxx - minx + 1) / this.cw);
    this.ny = Math.ceil((maxy - miny + 1) / this.ch);
    var nx = this.nx;
    // Each feature's cell range, then two passes: count per cell, then fill (compressed rows).
    var range = new Int32Array(4 * count);
    for (var f = 0; f < count; f++) {
      range[4 * f] = this.col(bbox[4 * f]); range[4 * f + 1] = this.row(bbox[4 * f + 1]);
      range[4 * f + 2] = this.col(bbox[4 * f + 2]); range[4 * f + 3] = this.row(bbox[4 * f + 3]);
    }
    var start = new Uint32Array(nx * this.ny + 1);
    var x, y;
    for (f = 0; f < count; f++) {
      for (y = range[4 * f + 1]; y <= range[4 * f + 3]; y++) for (x = range[4 * f]; x <= range[4 * f + 2]; x++) start[y * nx + x + 1]++;
    }
    for (var k = 1; k < start.length; k++) start[k] += start[k - 1];
    this.start = start;
    var items = (this.items = new Uint32Array(start[start.length - 1]));
    var fill = start.slice(0, start.length - 1);
    for (f = 0; f < count; f++) {
      for (y = range[4 * f + 1]; y <= range[4 * f + 3]; y++) for (x = range[4 * f]; x <= range[4 * f + 2]; x++) items[fill[y * nx + x]++] = f;
    }
  }

  GridIndex.prototype.col = function (x) { return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minx) / this.cw))); };
  GridIndex.prototype.row = function (y) { return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.miny) / this.ch))); };

  /** Each feature whose cells meet the box (units), once, to fn. */
  GridIndex.prototype.search = function (minx, miny, maxx, maxy, fn) {
    var seen = {};
    for (var y = this.row(miny); y <= this.row(maxy); y++) {
      for (var x = this.col(minx); x <= this.col(maxx); x++) {
        var cell = y * this.nx + x;
        for (var k = this.start[cell]; k < this.start[cell + 1]; k++) {
          var i = this.items[k];
          if (seen[i]) continue;
          seen[i] = true;
          fn(i);
        }
      }
    }
  };

  // ---- projection ----------------------------------------------------------------------------

  var D2R = Math.PI / 180;
  var MAX_LAT = 85.0511287798;

  /** Web Mercator world y in [0, 1] (Leaflet's EPSG:3857 at zoom 0, divided by 256). */
  function mercY(lat) {
    lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
    var s = Math.sin(lat * D2R);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }

  // mercY every hundredth of a degree, interpolated in between: a tenth of a pixel off at zoom
  // 18, and several times faster than a logarithm per position when millions are drawn.
  var TABLE_STEP = 100;
  var MERC = new Float64Array(180 * TABLE_STEP + 2);
  for (var t = 0; t < MERC.length; t++) MERC[t] = mercY(t / TABLE_STEP - 90);

  function fastMercY(lat) {
    var at = (lat + 90) * TABLE_STEP;
    if (!(at >= 0 && at < 180 * TABLE_STEP)) return mercY(lat);
    var i = at | 0;
    return MERC[i] + (MERC[i + 1] - MERC[i]) * (at - i);
  }

  // ---- the layer ---------------------------------------------------------------------------------

  var CompactLayer = L.Layer.extend({
    options: { pane: "overlayPane" },

    /** layerData: a compact entry of payload.layers; store: decodeLayer's result; ctx: {vocab, startOf}. */
    initialize: function (layerData, store, ctx) {
      this.data = layerData;
      this.store = store;
      this.ctx = ctx;
      this.features = []; // the page's per-feature loops skip a compact layer: see each()
      this.compact = true;
      this.large = true;
      this.index = new GridIndex(store.bbox, store.count);
      this.visible = new Uint8Array(store.count).fill(1);
      this.dimmed = new Uint8Array(store.count);
      this.shownCount = store.count;
      this._cache = {};
      this._styles = this._styleIndex();
      this._ids = null;
      this.mode = null;
    },

    get: function (name, i, fallback) {
      var column = this.store.columns[name];
      return column ? columnValue(column, i) : fallback;
    },

    /** What filters and the timeline look at, without the rest of a feature. */
    lite: function (i) {
      var projects = this.get("projects", i, []);
      var lite = { kind: this.get("kind", i), status: this.get("status", i, null), country: this.get("country", i, []), projects: projects, start: null };
      if (projects.length && this.ctx.startOf) lite.start = this.ctx.startOf(projects);
      return lite;
    },

    /** The feature as the popup, the chooser and search see it (made once, then kept). */
    feature: function (i) {
      if (this._cache[i]) return this._cache[i];
      var s = this.store, self = this;
      var get = function (name, fallback) { return self.get(name, i, fallback); };
      var f = {
        layerId: this.data.id, index: i, id: get("id"), name: get("name"), name_ru: get("name_ru", null),
        name_local: get("name_local", null), local_lang: get("local_lang", null), kind: get("kind"),
        country: get("country", []), status: get("status", null), schematic: get("schematic", false),
        status_as_of: get("status_as_of", null), status_sources: get("status_sources", []), status_stale: !!(s.stale && s.stale[i]),
        accuracy_m: get("accuracy_m", null), geometry_source: get("geometry_source", null),
        note: get("note", null), projects: get("projects", []), sources: get("sources", []),
        events: get("events", []), figures: get("figures", []), leaflet: null, circle: null,
        latlng: null, isPoint: s.type === "Point", isLine: s.type.indexOf("LineString") >= 0, start: null,
        compact: this, compactIndex: i,
      };
      if (f.projects.length && this.ctx.startOf) f.start = this.ctx.startOf(f.projects);
      if (this.tr && P.i18n) P.i18n.localizeFeature(f, this.tr);
      var b = s.bbox, k = s.scale;
      f.bounds = L.latLngBounds([b[4 * i + 1] / k, b[4 * i] / k], [b[4 * i + 3] / k, b[4 * i + 2] / k]);
      if (f.isPoint) f.latlng = L.latLng(s.coords[2 * i + 1] / k, s.coords[2 * i] / k);
      else f._anchor = this._anchor(i);
      this._cache[i] = f;
      return f;
    },

    /** A line's middle position; an area's centre when inside it, else its first corner. */
    _anchor: function (i) {
      var s = this.store, c = s.coords, k = s.scale;
      var a = s.pathStart[s.featurePath[i]], b = s.pathStart[s.featurePath[i] + 1];
      if (s.type.indexOf("LineString") >= 0) {
        var m = a + ((b - a - 1) >> 1);
        return L.latLng(c[2 * m + 1] / k, c[2 * m] / k);
      }
      var cx = (s.bbox[4 * i] + s.bbox[4 * i + 2]) / 2, cy = (s.bbox[4 * i + 1] + s.bbox[4 * i + 3]) / 2;
      if (this._insideUnits(i, cx, cy)) return L.latLng(cy / k, cx / k);
      return L.latLng(c[2 * a + 1] / k, c[2 * a] / k);
    },

    _insideUnits: function (i, x, y) {
      var s = this.store, c = s.coords, inside = false;
      for (var p = s.featurePath[i]; p < s.featurePath[i + 1]; p++) {
        var a = s.pathStart[p], b = s.pathStart[p + 1];
        for (var v = a, w = b - 1; v < b; w = v++) {
          var xi = c[2 * v], yi = c[2 * v + 1], xj = c[2 * w], yj = c[2 * w + 1];
          if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
        }
      }
      return inside;
    },

    /** Features are made again in the page's new language when next asked for. */
    setLanguage: function (tr) {
      this.tr = tr;
      this._cache = {};
    },

    /** Feature index of an id, or -1 (a sorted permutation of the ids, built on first use). */
    indexOf: function (id) {
      var self = this;
      if (!this._ids) {
        var n = this.store.count;
        var order = new Uint32Array(n);
        for (var i = 0; i < n; i++) order[i] = i;
        var ids = new Array(n);
        for (var j = 0; j < n; j++) ids[j] = self.get("id", j);
        Array.prototype.sort.call(order, function (a, b) { return ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0; });
        this._ids = order;
      }
      var lo = 0, hi = this._ids.length - 1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        var at = this.get("id", this._ids[mid]);
        if (at === id) return this._ids[mid];
        if (at < id) lo = mid + 1;
        else hi = mid - 1;
      }
      return -1;
    },

    byId: function (id) {
      var i = this.indexOf(id);
      return i < 0 ? null : this.feature(i);
    },

    _styleIndex: function () {
      var styles = [], keys = {}, vocab = this.ctx.vocab;
      var n = this.store.count;
      var index = new Uint16Array(n);
      if (this.store.type === "Point") {
        for (var i = 0; i < n; i++) {
          var kind = this.get("kind", i);
          if (!(kind in keys)) { keys[kind] = styles.length; var st = vocab.kinds[kind] || vocab.fallback; styles.push({ color: st.color }); }
          index[i] = keys[kind];
        }
      } else {
        for (var j = 0; j < n; j++) {
          var f = { kind: this.get("kind", j), status: this.get("status", j, null), schematic: this.get("schematic", j, false) };
          var key = f.kind + "|" + f.status + "|" + f.schematic;
          if (!(key in keys)) { keys[key] = styles.length; styles.push(P.layer.pathStyle(vocab, f)); }
          index[j] = keys[key];
        }
      }
      return { list: styles, of: index };
    },

    // ---- the page's hooks: visibility, counts ----

    /**
     * Show exactly the features `show(lite)` accepts; grey those `dim(lite)` names. Features
     * with the same kind, status, countries and projects fare the same: asked once per such
     * combination when those columns are dictionary-coded. Redraws only when something changed.
     */
    applyVisibility: function (show, showCircles, dim) {
      var n = this.store.count, shown = 0, changed = false;
      var group = this._groups();
      var memo = {};
      for (var i = 0; i < n; i++) {
        var key = group ? group(i) : -1;
        var known = key >= 0 ? memo[key] : null;
        if (!known) {
          var lite = this.lite(i);
          var v = show(lite) ? 1 : 0;
          known = [v, v && dim(lite) ? 1 : 0];
          if (key >= 0) memo[key] = known;
        }
        if (this.visible[i] !== known[0] || this.dimmed[i] !== known[1]) changed = true;
        this.visible[i] = known[0];
        this.dimmed[i] = known[1];
        shown += known[0];
      }
      this.shownCount = shown;
      if (changed) this.redraw();
    },

    /**
     * i -> a number shared by the features of the same kind, status, countries, projects and
     * style, when those columns are dictionary-coded (else null): what filters, the timeline, the
     * legend and the filter list tell apart, asked once per group instead of once per feature.
     */
    _groups: function () {
      var cols = this.store.columns, styles = this._styles.of;
      var names = ["kind", "status", "country", "projects", "schematic"].filter(function (name) { return cols[name]; });
      if (!names.every(function (name) { return cols[name].codes; })) return null;
      var coded = names.map(function (name) { return cols[name]; });
      var sizes = coded.map(function (c) { return c.values.length; });
      var styleCount = this._styles.list.length;
      if (sizes.reduce(function (a, b) { return a * b; }, styleCount) > 9e15) return null;
      return function (i) {
        var key = styles[i];
        for (var c = 0; c < coded.length; c++) key = key * sizes[c] + coded[c].codes[i];
        return key;
      };
    },

    /** One stand-in per group of features (see _groups): what the legend and the filter list show. */
    samples: function () {
      if (this._samples) return this._samples;
      var n = this.store.count, seen = {}, out = [];
      var group = this._groups();
      for (var i = 0; i < n; i++) {
        var key = group ? group(i) : -1;
        if (key >= 0 && seen[key]) continue;
        var lite = this.lite(i);
        lite.schematic = this.get("schematic", i, false);
        if (key >= 0) { seen[key] = true; out.push(lite); continue; }
        var keys = ["s" + this._styles.of[i] + "|" + lite.status].concat(lite.country.map(function (c) { return "c" + c; }));
        if (keys.every(function (k) { return seen[k]; })) continue;
        keys.forEach(function (k) { seen[k] = true; });
        out.push(lite);
      }
      this._samples = out;
      return out;
    },

    drawnCount: function () { return this._map ? this.shownCount : 0; },

    /** Each feature's id and the filter keys its values make (status, kind, country). */
    filterKeys: function (keys) {
      var n = this.store.count;
      var cols = this.store.columns;
      ["status", "kind"].forEach(function (name) {
        var col = cols[name];
        if (!col) { if (name === "status") keys["status."] = true; return; }
        if (col.values) col.values.forEach(function (v) { keys[name + "." + (v || "")] = true; });
        else for (var i = 0; i < n; i++) keys[name + "." + (columnValue(col, i) || "")] = true;
      });
      var country = cols.country;
      if (country && country.values) country.values.forEach(function (list) { (list || []).forEach(function (c) { keys["country." + c] = true; }); });
      else if (country) for (var j = 0; j < n; j++) (columnValue(country, j) || []).forEach(function (c) { keys["country." + c] = true; });
    },

    // ---- drawing ----

    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "atlas-canvas-layer leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      this.getPane().appendChild(this._canvas);
      map.on("moveend resize viewreset", this.redraw, this);
      map.on("zoomstart", this._hide, this);
      this.redraw();
    },

    onRemove: function (map) {
      map.off("moveend resize viewreset", this.redraw, this);
      map.off("zoomstart", this._hide, this);
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
    },

    _hide: function () { if (this._canvas) this._canvas.style.visibility = "hidden"; },

    redraw: function () {
      var map = this._map;
      if (!map || !this._canvas) return;
      var size = map.getSize();
      var pad = size.multiplyBy(0.25).round();
      var topLeft = map.containerPointToLayerPoint([0, 0]).subtract(pad);
      var w = size.x + 2 * pad.x, h = size.y + 2 * pad.y;
      var dpr = root.devicePixelRatio || 1;
      var canvas = this._canvas;
      L.DomUtil.setPosition(canvas, topLeft);
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
      canvas.style.visibility = "";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      var zoom = map.getZoom();
      var world = 256 * Math.pow(2, zoom);
      var origin = map.getPixelOrigin().add(topLeft);
      // view box in units, for culling
      var k = this.store.scale;
      var nw = map.unproject(origin, zoom), se = map.unproject(origin.add([w, h]), zoom);
      var view = { minx: Math.floor(nw.lng * k), maxx: Math.ceil(se.lng * k), miny: Math.floor(se.lat * k), maxy: Math.ceil(nw.lat * k) };
      var proj = { k: k, world: world, ox: origin.x, oy: origin.y, dpr: dpr, w: w, h: h };
      if (this.store.type === "Point") this._drawPoints(ctx, view, proj);
      else this._drawPaths(ctx, view, proj);
      this.fire("drawn", { mode: this.mode, inView: this.inView });
    },

    _inView: function (i, view) {
      var b = this.store.bbox;
      return b[4 * i + 2] >= view.minx && b[4 * i] <= view.maxx && b[4 * i + 3] >= view.miny && b[4 * i + 1] <= view.maxy;
    },

    _drawPoints: function (ctx, view, proj) {
      var s = this.store, c = s.coords, n = s.count;
      var shown = [];
      for (var i = 0; i < n; i++) {
        if (!this.visible[i]) continue;
        var x = c[2 * i], y = c[2 * i + 1];
        if (x < view.minx || x > view.maxx || y < view.miny || y > view.maxy) continue;
        shown.push(i);
      }
      this.inView = shown.length;
      var styles = this._styles;
      var px = function (i) { return (c[2 * i] / proj.k / 360 + 0.5) * proj.world - proj.ox; };
      var py = function (i) { return fastMercY(c[2 * i + 1] / proj.k) * proj.world - proj.oy; };
      if (shown.length > DOT_LIMIT) {
        // Dots: every point in view is written into the image, a 3-pixel square in its kind's colour.
        this.mode = "dots";
        var W = Math.round(proj.w * proj.dpr), H = Math.round(proj.h * proj.dpr);
        var image = ctx.createImageData(W, H);
        var pixels = new Uint32Array(image.data.buffer);
        var colours = styles.list.map(function (st) { return rgba(st.color, 230); });
        var faded = styles.list.map(function (st) { return rgba(st.color, 80); });
        var r = Math.max(1, Math.round(proj.dpr));
        for (var q = 0; q < shown.length; q++) {
          var f = shown[q];
          var X = Math.round(px(f) * proj.dpr), Y = Math.round(py(f) * proj.dpr);
          var colour = this.dimmed[f] ? faded[styles.of[f]] : colours[styles.of[f]];
          for (var dy = -r + 1; dy < r; dy++) {
            var row = Y + dy;
            if (row < 0 || row >= H) continue;
            for (var dx = -r + 1; dx < r; dx++) {
              var col = X + dx;
              if (col >= 0 && col < W) pixels[row * W + col] = colour;
            }
          }
        }
        ctx.putImageData(image, 0, 0);
        return;
      }
      this.mode = "symbols";
      ctx.lineWidth = 1;
      ctx.strokeStyle = "#ffffff";
      for (var t = 0; t < shown.length; t++) {
        var g = shown[t];
        ctx.globalAlpha = this.dimmed[g] ? 0.35 : 0.9;
        ctx.beginPath();
        ctx.arc(px(g), py(g), 4, 0, 2 * Math.PI);
        ctx.fillStyle = styles.list[styles.of[g]].color;
        ctx.fill();
        ctx.globalAlpha = this.dimmed[g] ? 0.35 : 1;
        ctx.stroke();
      }
      ctx.globalAlpha = 1;
    },

    _drawPaths: function (ctx, view, proj) {
      var s = this.store, c = s.coords, n = s.count;
      var area = s.type.indexOf("Polygon") >= 0;
      var styles = this._styles;
      var groups = styles.list.map(function () { return [[], []]; }); // [normal, dimmed]
      var inView = 0;
      for (var i = 0; i < n; i++) {
        if (!this.visible[i] || !this._inView(i, view)) continue;
        groups[styles.of[i]][this.dimmed[i]].push(i);
        inView++;
      }
      this.inView = inView;
      this.mode = "paths";
      var k = proj.k, world = proj.world, ox = proj.ox, oy = proj.oy;
      for (var st = 0; st < groups.length; st++) {
        for (var dim = 0; dim < 2; dim++) {
          var list = groups[st][dim];
          if (!list.length) continue;
          var style = styles.list[st];
          ctx.beginPath();
          for (var q = 0; q < list.length; q++) {
            var f = list[q];
            for (var p = s.featurePath[f]; p < s.featurePath[f + 1]; p++) {
              var a = s.pathStart[p], b = s.pathStart[p + 1];
              var lx = 0, ly = 0;
              for (var v = a; v < b; v++) {
                var x = (c[2 * v] / k / 360 + 0.5) * world - ox;
                var y = fastMercY(c[2 * v + 1] / k) * world - oy;
                // Within a pixel of the last position drawn: nothing to see (the last one always drawn).
                if (v > a && v < b - 1 && Math.abs(x - lx) < 0.7 && Math.abs(y - ly) < 0.7) continue;
                if (v === a) ctx.moveTo(x, y);
                else ctx.lineTo(x, y);
                lx = x; ly = y;
              }
              if (area) ctx.closePath();
            }
          }
          if (area && style.fillOpacity) {
            ctx.globalAlpha = style.fillOpacity * (dim ? 0.5 : 1);
            ctx.fillStyle = style.fillColor;
            ctx.fill("evenodd");
          }
          ctx.globalAlpha = dim ? 0.3 : style.opacity;
          ctx.strokeStyle = style.color;
          ctx.lineWidth = style.weight;
          ctx.lineCap = "butt";
          ctx.setLineDash(style.dashArray ? String(style.dashArray).split(/[ ,]+/).map(Number) : []);
          ctx.stroke();
        }
      }
      ctx.globalAlpha = 1;
      ctx.setLineDash([]);
    },

    // ---- hit-testing ----

    /** Shown features within reach of a container point: [{feature, d, rank}], nearest first. */
    hitsAt: function (cp) {
      var map = this._map;
      if (!map) return [];
      var s = this.store, c = s.coords, k = s.scale;
      var isPoint = s.type === "Point";
      var area = s.type.indexOf("Polygon") >= 0;
      var styles = this._styles;
      var maxTol = isPoint ? PICK_POINT_PX : PICK_PATH_PX + 6;
      var a = map.containerPointToLatLng([cp.x - maxTol, cp.y - maxTol]);
      var b = map.containerPointToLatLng([cp.x + maxTol, cp.y + maxTol]);
      var zoom = map.getZoom();
      var world = 256 * Math.pow(2, zoom);
      var o = map.project(map.containerPointToLatLng([0, 0]), zoom);
      var at = map.project(map.containerPointToLatLng(cp), zoom).subtract(o);
      var toX = function (v) { return (c[2 * v] / k / 360 + 0.5) * world - o.x; };
      var toY = function (v) { return mercY(c[2 * v + 1] / k) * world - o.y; };
      var hits = [], self = this;
      var inside = L.latLng(map.containerPointToLatLng(cp));
      this.index.search(Math.floor(a.lng * k), Math.floor(b.lat * k), Math.ceil(b.lng * k), Math.ceil(a.lat * k), function (i) {
        if (!self.visible[i]) return;
        if (isPoint) {
          var d = Math.sqrt(Math.pow(toX(i) - at.x, 2) + Math.pow(toY(i) - at.y, 2));
          if (d <= PICK_POINT_PX) hits.push({ i: i, d: d, rank: 0 });
          return;
        }
        var tol = (styles.list[styles.of[i]].weight || 3) / 2 + PICK_PATH_PX;
        var best = Infinity;
        for (var p = s.featurePath[i]; p < s.featurePath[i + 1]; p++) {
          var from = s.pathStart[p], to = s.pathStart[p + 1];
          for (var v = from + 1; v < to; v++) best = Math.min(best, segDist(at.x, at.y, toX(v - 1), toY(v - 1), toX(v), toY(v)));
          if (area && to - from > 2) best = Math.min(best, segDist(at.x, at.y, toX(to - 1), toY(to - 1), toX(from), toY(from)));
        }
        if (best <= tol) hits.push({ i: i, d: best, rank: 1 });
        else if (area && self._insideUnits(i, inside.lng * k, inside.lat * k)) hits.push({ i: i, d: tol, rank: 2 });
      });
      hits.sort(function (x, y) { return x.rank - y.rank || x.d - y.d; });
      return hits.map(function (h) { return { feature: self.feature(h.i), d: h.d, rank: h.rank }; });
    },

    // ---- search ----

    /**
     * Search entries (search.js makeEntry) for the features whose names hold every word of the
     * query (names, Russian and local names, id), case and accents aside: one scan of one folded
     * string per name column, built on the first search. The first CANDIDATE_LIMIT found are
     * offered for ranking; `more` says when there were more.
     */
    searchEntries: function (query, names) {
      var words = simpleFold(query).split(/[\s\u0000]+/).filter(Boolean);
      if (!words.length) return { entries: [], more: false };
      if (!this._text) this._text = this._searchText();
      var t = this._text, n = this.store.count;
      words.sort(function (x, y) { return y.length - x.length; });
      var found = [], seen = {}, more = false;
      var at = t.text.indexOf(words[0]);
      while (at >= 0) {
        var slot = upperBound(t.starts, at) - 1;
        var f = slot % n;
        if (!seen[f] && this.visible[f]) {
          var all = true;
          for (var w = 1; w < words.length && all; w++) all = this._holds(f, words[w]);
          if (all) {
            seen[f] = true;
            if (found.length >= CANDIDATE_LIMIT) { more = true; break; }
            found.push(f);
          }
        }
        at = t.text.indexOf(words[0], t.starts[slot + 1]);
      }
      var self = this;
      var entries = found.map(function (i) {
        var feature = self.feature(i);
        return P.search.makeEntry(feature, [feature.name, feature.name_ru, feature.name_local, feature.id && feature.id.replace(/-/g, " ")],
          [names.kind(feature.kind), feature.kind].concat(feature.country.map(names.country), feature.country));
      });
      return { entries: entries, more: more };
    },

    _holds: function (f, word) {
      var t = this._text, n = this.store.count;
      for (var part = 0; part < t.parts; part++) {
        var slot = part * n + f;
        var at = t.text.indexOf(word, t.starts[slot]);
        if (at >= 0 && at < t.starts[slot + 1]) return true;
      }
      return false;
    },

    /** One folded string of every name column, NUL-separated, and where each value starts. */
    _searchText: function () {
      var n = this.store.count, cols = this.store.columns, pieces = [];
      ["name", "name_ru", "name_local", "id"].forEach(function (name) {
        var col = cols[name];
        if (!col) return;
        if (col.text) { pieces.push(col.text); return; }
        var vals = new Array(n);
        for (var i = 0; i < n; i++) vals[i] = String(columnValue(col, i) || "").split(SEP).join(" ");
        pieces.push(vals.join(SEP));
      });
      var text = simpleFold(pieces.join(SEP));
      return { text: text, starts: textStarts(text, n * pieces.length), parts: pieces.length };
    },
  });

  /** Says, on the map, when a large layer's points are drawn as dots at this zoom. */
  var DrawingNote = L.Control.extend({
    options: { position: "bottomleft", tr: null },
    initialize: function (layers, options) {
      L.setOptions(this, options);
      this.layers = layers;
    },
    onAdd: function () {
      var box = L.DomUtil.create("div", "atlas-dots-note");
      box.setAttribute("role", "status");
      this._box = box;
      var self = this;
      this.layers.forEach(function (l) { l.on("drawn", self.update, self); });
      this.update();
      return box;
    },
    onRemove: function () {
      var self = this;
      this.layers.forEach(function (l) { l.off("drawn", self.update, self); });
    },
    update: function () {
      var box = this._box, tr = this.options.tr, shown = 0;
      box.textContent = "";
      this.layers.forEach(function (l) {
        if (!l._map || l.mode !== "dots") return;
        // The sentence is the catalog's; the layer's title is data, isolated in a <bdi> so that a
        // right-to-left or override character in it cannot reorder the sentence around it.
        var sentence = tr
          ? tr.tn("{title}: {n} point in view, drawn as a dot; zoom in for its symbol.", "{title}: {n} points in view, each drawn as a dot; zoom in for symbols.", l.inView, { title: "\u0000" })
          : "\u0000: " + l.inView + " points in view, each drawn as a dot; zoom in for symbols.";
        var line = document.createElement("span");
        sentence.split("\u0000").forEach(function (piece, k) {
          if (k) { var bdi = document.createElement("bdi"); bdi.textContent = l.localTitle || l.data.title; line.appendChild(bdi); }
          line.appendChild(document.createTextNode(piece));
        });
        if (shown++) box.appendChild(document.createTextNode(" "));
        box.appendChild(line);
      });
      box.hidden = !shown;
    },
  });

  /** Lower case without accents; every other character kept (the NUL separators too). */
  function simpleFold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[ʻʼ’'`-]/g, " ");
  }

  function upperBound(array, value) {
    var lo = 0, hi = array.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (array[mid] <= value) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function segDist(px, py, ax, ay, bx, by) {
    var dx = bx - ax, dy = by - ay;
    var len = dx * dx + dy * dy;
    var t = len ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len)) : 0;
    var x = ax + t * dx - px, y = ay + t * dy - py;
    return Math.sqrt(x * x + y * y);
  }

  /** "#rrggbb" -> a little-endian RGBA pixel for a Uint32Array view of ImageData. */
  function rgba(hex, alpha) {
    var v = parseInt(String(hex).replace("#", ""), 16) || 0;
    return ((alpha << 24) | ((v & 255) << 16) | (((v >> 8) & 255) << 8) | ((v >> 16) & 255)) >>> 0;
  }

  /** Every compact layer of a data block decoded: Promise of {layerId: store}. */
  function decodeAll(data) {
    var layers = data.layers.filter(function (l) { return l.compact; });
    return Promise.all(layers.map(decodeLayer)).then(function (stores) {
      var out = {};
      layers.forEach(function (l, n) { out[l.id] = stores[n]; });
      return out;
    });
  }

  P.compact = {
    decodeAll: decodeAll, decodeLayer: decodeLayer, readVarints: readVarints, decodeCoords: decodeCoords, CompactLayer: CompactLayer, DrawingNote: DrawingNote,
    GridIndex: GridIndex, simpleFold: simpleFold, mercY: mercY,
  };
})(typeof window !== "undefined" ? window : globalThis);
