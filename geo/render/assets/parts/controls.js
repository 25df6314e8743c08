/* One L.Control per tool. The panel's tools (search, layers and legend, filters, timeline,
 * sources) are controls whose container goes into the side panel / bottom sheet instead of a
 * map corner; the map's own tools (full screen, measure, notices) sit on the map. Each reads and
 * writes the shared AtlasState and redraws itself on its "change" events. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;
  var SEARCH_LIMIT = 12;

  /** A control that lives in a panel section (options.parent: an element id), not on the map. */
  var PanelSection = L.Control.extend({
    options: { parent: null },
    initialize: function (atlas, options) {
      L.setOptions(this, options);
      this.atlas = atlas;
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
      if (this.onRemove) this.onRemove(this._map);
      this._map = null;
      return this;
    },
  });

  // ---- search ------------------------------------------------------------------------------

  var SearchControl = PanelSection.extend({
    onAdd: function () {
      var atlas = this.atlas;
      var box = el("div", { className: "atlas-search-box" });
      var input = el("input", {
        type: "search", id: "atlas-search-input", placeholder: "Find a place (English, Русский, local)",
        autocomplete: "off", spellcheck: "false", "aria-controls": "atlas-search-results", "aria-describedby": "atlas-search-status",
      });
      var results = el("ul", { id: "atlas-search-results", className: "atlas-search-results", "aria-label": "Search results" });
      var status = el("p", { id: "atlas-search-status", className: "atlas-visually-hidden", "aria-live": "polite" });
      box.appendChild(el("label", { for: "atlas-search-input", className: "atlas-visually-hidden", text: "Search places by name, kind or country" }));
      box.appendChild(input);
      box.appendChild(results);
      box.appendChild(status);
      this.input = input;
      this.results = results;
      var index = null; // built on the first search: folding every name costs time at 100k features
      var hits = [];
      var self = this;
      var update = function () {
        results.textContent = "";
        results.hidden = false;
        var query = input.value.trim();
        if (!query) { status.textContent = ""; hits = []; atlas.fire("searchchange", { open: false }); return; }
        index = index || atlas.features.map(function (f) {
          return P.search.makeEntry(f, [f.name, f.name_ru, f.name_local, f.id && f.id.replace(/-/g, " ")],
            [atlas.kindLabel(f.kind), f.kind].concat(f.country.map(atlas.countryLabel, atlas), f.country));
        });
        hits = P.search.rank(index, query, SEARCH_LIMIT);
        status.textContent = hits.length ? hits.length + (hits.length === 1 ? " place found" : " places found") : "No match";
        if (!hits.length) results.appendChild(el("li", { className: "atlas-muted", text: "No match" }));
        hits.forEach(function (f) {
          var detail = atlas.kindLabel(f.kind) + ", " + f.country.map(atlas.countryLabel, atlas).join(" / ");
          var button = el("button", { type: "button", className: "atlas-search-hit", "data-feature-id": f.id },
            el("span", { className: "atlas-hit-name", text: f.name }), el("span", { className: "atlas-muted", text: " — " + detail }));
          if (f.name_ru || f.name_local) button.appendChild(el("span", { className: "atlas-hit-alt", text: [f.name_ru, f.name_local].filter(Boolean).join(" · ") }));
          button.addEventListener("click", function () { self.choose(f); });
          results.appendChild(el("li", null, button));
        });
        atlas.fire("searchchange", { open: true });
      };
      input.addEventListener("input", update);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          if (!hits.length) update();
          if (hits.length) self.choose(hits[0]);
        } else if (event.key === "ArrowDown") {
          var first = results.querySelector("button");
          if (first) { event.preventDefault(); first.focus(); }
        } else if (event.key === "Escape") {
          input.value = "";
          update();
        }
      });
      results.addEventListener("keydown", function (event) {
        var buttons = Array.prototype.slice.call(results.querySelectorAll("button"));
        var at = buttons.indexOf(document.activeElement);
        if (at < 0) return;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          var next = at + (event.key === "ArrowDown" ? 1 : -1);
          if (next < 0) input.focus();
          else buttons[Math.min(next, buttons.length - 1)].focus();
        } else if (event.key === "Escape") {
          event.preventDefault();
          input.focus();
        }
      });
      return box;
    },

    choose: function (feature) {
      // The list gives way to the map (on a phone it would cover it); typing shows it again.
      this.results.hidden = true;
      this.atlas.fire("searchchange", { open: false });
      this.atlas.focusFeature(feature.id, { focusPopup: true, returnFocus: this.input });
    },
  });

  // ---- layers, with their legend -------------------------------------------------------------

  var LayersControl = PanelSection.extend({
    onAdd: function () {
      var atlas = this.atlas;
      var state = atlas.state;
      var box = el("div");
      box.appendChild(el("h2", { text: "Map layers" }));
      var bases = el("fieldset", { className: "atlas-bases" }, el("legend", { text: "Basemap" }));
      this.baseInputs = {};
      var self = this;
      atlas.basemaps.forEach(function (base) {
        var id = "atlas-base-" + base.id;
        var input = el("input", { type: "radio", name: "atlas-base", id: id, value: base.id });
        input.addEventListener("change", function () { if (input.checked) state.set({ base: base.id }); });
        self.baseInputs[base.id] = input;
        bases.appendChild(el("div", { className: "atlas-choice" }, input, el("label", { for: id, text: base.name })));
      });
      box.appendChild(bases);
      var overlays = el("fieldset", { className: "atlas-overlays" }, el("legend", { text: "Layers" }));
      this.layerInputs = {};
      atlas.layers.forEach(function (layer) {
        var id = "atlas-layer-" + layer.data.id;
        var input = el("input", { type: "checkbox", id: id, "data-layer": layer.data.id });
        input.addEventListener("change", function () { state.setLayer(layer.data.id, input.checked); });
        self.layerInputs[layer.data.id] = input;
        var label = el("label", { for: id }, layer.data.title + " ", el("span", { className: "atlas-count", text: "(" + layer.data.count + ")" }));
        var row = el("div", { className: "atlas-layer-row" }, el("div", { className: "atlas-choice" }, input, label));
        var legend = self._legend(layer);
        row.appendChild(legend);
        layer.legend = legend;
        overlays.appendChild(row);
      });
      atlas.tileOverlays.forEach(function (overlay) {
        var id = "atlas-layer-" + overlay.id;
        var input = el("input", { type: "checkbox", id: id, "data-layer": overlay.id });
        input.addEventListener("change", function () { state.setLayer(overlay.id, input.checked); });
        self.layerInputs[overlay.id] = input;
        overlays.appendChild(el("div", { className: "atlas-layer-row" }, el("div", { className: "atlas-choice" }, input, el("label", { for: id, text: overlay.name }))));
      });
      box.appendChild(overlays);
      var uncertainty = el("input", { type: "checkbox", id: "atlas-uncertainty" });
      uncertainty.addEventListener("change", function () { state.set({ uncertainty: uncertainty.checked }); });
      this.uncertaintyInput = uncertainty;
      box.appendChild(el("div", { className: "atlas-choice" }, uncertainty, el("label", { for: "atlas-uncertainty" },
        el("span", { className: "atlas-swatch-circle", "aria-hidden": "true" }), " Positional uncertainty circles (radius = accuracy)")));
      box.appendChild(el("p", { className: "atlas-legend-base" }, el("span", { className: "atlas-swatch-area atlas-swatch-country", "aria-hidden": "true" }),
        el("span", { text: "Country outlines (Natural Earth 1:10m, simplified), drawn offline" })));
      this._onChange = function () { self.sync(); };
      state.on("change", this._onChange);
      this.sync();
      return box;
    },

    _legend: function (layer) {
      var atlas = this.atlas;
      var list = el("ul", { className: "atlas-legend-layer", "data-layer": layer.data.id, "aria-label": "Legend: " + layer.data.title });
      var seen = {};
      var isPath = layer.data.geometry.type !== "Point";
      layer.features.forEach(function (feature) {
        var key = feature.kind + (isPath ? "|" + (feature.kind === "corridor" ? "schematic" : feature.status || "unknown") : "");
        if (seen[key]) return;
        seen[key] = true;
        var style = atlas.vocab.kinds[feature.kind] || atlas.vocab.fallback;
        var swatch;
        if (!isPath) {
          swatch = el("span", { className: "atlas-symbol atlas-symbol-" + style.symbol, "aria-hidden": "true" });
        } else if (style.symbol === "area") {
          swatch = el("span", { className: "atlas-swatch-area", "aria-hidden": "true" });
          swatch.style.background = style.fill;
          swatch.style.borderColor = style.color;
        } else {
          var line = P.layer.pathStyle(atlas.vocab, feature);
          swatch = el("span", { className: "atlas-swatch-line" + (line.dashArray ? " atlas-dashed" : ""), "aria-hidden": "true" });
          swatch.style.borderTopColor = style.color;
          if (line.dashArray === "2 7") swatch.className += " atlas-dotted";
        }
        swatch.style.setProperty("--atlas-color", style.color);
        var label = style.label || feature.kind;
        if (isPath && style.symbol === "line" && feature.kind !== "corridor") label += " — " + atlas.statusLabel(feature.status || "unknown").toLowerCase();
        list.appendChild(el("li", null, swatch, el("span", { text: label })));
      });
      return list;
    },

    sync: function () {
      var state = this.atlas.state;
      var self = this;
      Object.keys(this.baseInputs).forEach(function (id) { self.baseInputs[id].checked = state.base === id; });
      Object.keys(this.layerInputs).forEach(function (id) { self.layerInputs[id].checked = state.layerOn(id); });
      this.atlas.layers.forEach(function (layer) { layer.legend.hidden = !state.layerOn(layer.data.id); });
      this.uncertaintyInput.checked = state.uncertainty;
    },

    onRemove: function () {
      this.atlas.state._listeners.change = this.atlas.state._listeners.change.filter(function (fn) { return fn !== this._onChange; }, this);
    },
  });

  // ---- filters -------------------------------------------------------------------------------

  var FiltersControl = PanelSection.extend({
    onAdd: function () {
      var atlas = this.atlas;
      var state = atlas.state;
      var box = el("div");
      box.appendChild(el("h2", { text: "Filters" }));
      var groups = [
        ["status", "Status", function (f) { return [f.status || ""]; }, atlas.statusLabel],
        ["country", "Country", function (f) { return f.country; }, atlas.countryLabel],
        ["kind", "Kind", function (f) { return [f.kind]; }, atlas.kindLabel],
      ];
      var boxes = [];
      groups.forEach(function (group) {
        var key = group[0];
        var values = {};
        atlas.features.forEach(function (f) { group[2](f).forEach(function (v) { values[v] = true; }); });
        var fieldset = el("fieldset", { className: "atlas-filter", "data-filter": key }, el("legend", { text: group[1] }));
        Object.keys(values).sort().forEach(function (value, n) {
          var id = "atlas-filter-" + key + "-" + n;
          var input = el("input", { type: "checkbox", id: id, "data-value": value });
          input.addEventListener("change", function () { state.setFilter(key, value, input.checked); });
          boxes.push([input, key, value]);
          fieldset.appendChild(el("div", { className: "atlas-choice" }, input, el("label", { for: id, text: group[3].call(atlas, value) })));
        });
        box.appendChild(fieldset);
      });
      var sync = function () { boxes.forEach(function (b) { b[0].checked = !state.filteredOut(b[1], b[2]); }); };
      state.on("change", sync);
      sync();
      return box;
    },
  });

  // ---- timeline ------------------------------------------------------------------------------

  var TimelineControl = PanelSection.extend({
    onAdd: function () {
      var atlas = this.atlas;
      var state = atlas.state;
      var box = el("div");
      box.appendChild(el("h2", { text: "Timeline" }));
      var events = atlas.timelineEvents();
      var dated = events.filter(function (e) { return e.date; });
      if (!dated.length) {
        box.appendChild(el("p", { className: "atlas-muted", text: "No dated events on this map." }));
        this.dates = [];
        return box;
      }
      var dates = [];
      dated.forEach(function (e) { if (dates.indexOf(e.date) < 0) dates.push(e.date); });
      this.dates = dates;
      var slider = el("input", { type: "range", id: "atlas-timeline-slider", min: "0", max: String(dates.length), step: "1", "aria-describedby": "atlas-timeline-label" });
      var label = el("output", { id: "atlas-timeline-label", for: "atlas-timeline-slider" });
      var list = el("ol", { className: "atlas-timeline-events" });
      // The list scrolls: it takes keyboard focus, so arrow keys scroll it.
      var scroller = el("div", { className: "atlas-timeline-scroll", tabindex: "0", role: "region", "aria-label": "Events by date" }, list);
      events.forEach(function (event) {
        var kind = atlas.vocab.events[event.kind] || event.kind;
        list.appendChild(el("li", { "data-date": event.date || "" }, el("time", { text: P.format.formatDate(event.date) }), " — " + kind + ": " + event.title));
      });
      slider.addEventListener("input", function () {
        var index = parseInt(slider.value, 10);
        state.set({ date: index >= dates.length ? null : dates[index] });
      });
      var sync = function () {
        var index = state.date ? dates.indexOf(state.date) : -1;
        slider.value = String(index < 0 ? dates.length : index);
        label.textContent = state.date ? "Showing what existed by " + P.format.formatDate(state.date) : "All dates";
        slider.setAttribute("aria-valuetext", label.textContent);
        Array.prototype.forEach.call(list.children, function (item) {
          var date = item.getAttribute("data-date");
          item.className = state.date && date && date > state.date ? "atlas-future" : "";
        });
      };
      state.on("change", function (change) { if (change.keys.indexOf("date") >= 0) sync(); });
      box.appendChild(el("label", { for: "atlas-timeline-slider", text: "Agreements, events and projects up to a date (places stay; later projects are greyed)" }));
      box.appendChild(slider);
      box.appendChild(label);
      box.appendChild(scroller);
      sync();
      return box;
    },
  });

  // ---- sources and credits -------------------------------------------------------------------

  var SourcesControl = PanelSection.extend({
    onAdd: function () {
      var atlas = this.atlas;
      var box = el("div");
      var ids = Object.keys(atlas.data.sources).sort(function (a, b) {
        var ta = atlas.data.sources[a].title || a, tb = atlas.data.sources[b].title || b;
        return ta < tb ? -1 : ta > tb ? 1 : 0;
      });
      var details = el("details", { className: "atlas-all-sources" }, el("summary", { text: "Sources (" + ids.length + ")" }));
      details.appendChild(atlas.sourceList(ids));
      box.appendChild(el("h2", { text: "Sources and credits" }));
      box.appendChild(details);
      var credits = el("p", { className: "atlas-credits" });
      credits.appendChild(document.createTextNode("Basemaps © OpenStreetMap contributors, Esri; railway overlay © OpenRailwayMap; country outlines Natural Earth; drawn with Leaflet and folium. "));
      credits.appendChild(el("a", { href: "index.html", text: "All maps" }));
      box.appendChild(credits);
      return box;
    },
  });

  // ---- map tools -----------------------------------------------------------------------------

  var ToolButton = L.Control.extend({
    options: { position: "topleft", title: "", iconName: "" },
    onAdd: function () {
      var bar = el("div", { className: "leaflet-bar atlas-tool" });
      var button = el("button", { type: "button", title: this.options.title, "aria-label": this.options.title, "aria-pressed": "false", className: "atlas-tool-" + this.options.iconName }, P.dom.icon(this.options.iconName));
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
    options: { title: "Full screen", iconName: "fullscreen" },
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
    options: { title: "Measure a distance: click points on the map; press again or Esc to finish", iconName: "measure" },
    press: function () {
      if (this.active) { this.finish(); return; }
      var map = this._map;
      this.clear();
      this.line = L.polyline([], { color: "#d35400", weight: 3, dashArray: "6 4", interactive: false }).addTo(map);
      this.readout = el("div", { className: "atlas-measure-readout", role: "status", text: "Click on the map to start measuring" });
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
      this.readout.textContent = "Distance: " + P.format.formatDistance(total) + " (" + points.length + " points)";
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

  /** Messages about the page itself: tiles that failed, a link that could not be read. */
  var NoticeControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      this._box = el("div", { className: "atlas-notices", role: "status", "aria-live": "polite" });
      L.DomEvent.disableClickPropagation(this._box);
      this._shown = {};
      return this._box;
    },
    show: function (key, text) {
      if (this._shown[key]) { this._shown[key].firstChild.textContent = text; return; }
      var note = el("div", { className: "atlas-notice", "data-notice": key }, el("span", { text: text }));
      var close = el("button", { type: "button", className: "atlas-notice-close", "aria-label": "Dismiss this message", text: "×" });
      var self = this;
      close.addEventListener("click", function () { self.hide(key); });
      note.appendChild(close);
      this._box.appendChild(note);
      this._shown[key] = note;
    },
    hide: function (key) {
      if (this._shown[key]) this._shown[key].remove();
      delete this._shown[key];
    },
    /** How far down the map the notices reach (0 with none shown): what a popup must stay below. */
    coveredHeight: function () {
      if (!this._box.childElementCount) return 0;
      return Math.ceil(this._box.getBoundingClientRect().bottom - this._map.getContainer().getBoundingClientRect().top);
    },
  });

  P.controls = {
    PanelSection: PanelSection, SearchControl: SearchControl, LayersControl: LayersControl,
    FiltersControl: FiltersControl, TimelineControl: TimelineControl, SourcesControl: SourcesControl,
    FullscreenControl: FullscreenControl, MeasureControl: MeasureControl, NoticeControl: NoticeControl,
  };
})(typeof window !== "undefined" ? window : globalThis);
