/* A map in a small frame (an article's iframe, 600 × 400 say): the map fills the frame, the panel
 * folds behind one button, and a link opens the full map in its own tab. And for print: the map
 * as drawn, zoomed to the paper (atlas.css @media print puts the legend and sources under it).
 * Talks to the page state and the map only, like the panel's controls. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;
  var N_ = function (msgid) { return msgid; }; // marks a text for the catalogs (README: Languages)

  // A frame this small gets the compact layout (a phone's full screen keeps its bottom sheet).
  var SMALL_FRAME = "(max-width: 900px), (max-height: 640px)";

  /** Whether the page runs inside another page's frame (a cross-origin parent throws: it is one). */
  function framed(win) {
    try { return win.self !== win.top; } catch (e) { return true; }
  }

  /** The compact layout: in a frame, and the frame is small. */
  function wantsCompact(win) {
    return framed(win) && !!win.matchMedia && win.matchMedia(SMALL_FRAME).matches;
  }

  /** The address of this page as a link that opens it whole: the same view, feature and language
   * (`hash`, the page's state now: the address bar may hold it a moment later, address.js). */
  function fullMapHref(loc, hash) {
    return loc.href.split("#")[0] + hash;
  }

  /** The one button (top right) that shows or hides the panel over the map, and the full-map link. */
  var CompactControl = L.Control.extend({
    options: { position: "topright", tr: null, panel: null, state: null, currentHash: function () { return window.location.hash; } },
    onAdd: function () {
      var tr = this.options.tr;
      var t = function (msgid) { return tr ? tr.t(msgid) : msgid; };
      var panel = this.options.panel;
      var bar = el("div", { className: "atlas-compact-bar" });
      var button = el("button", {
        type: "button", className: "atlas-compact-toggle", "aria-controls": panel ? panel.id : null, "aria-expanded": "false",
        text: t("Legend, layers and search"),
      });
      var currentHash = this.options.currentHash;
      var href = function () { return fullMapHref(window.location, currentHash()); };
      var link = el("a", { className: "atlas-compact-full", href: href(), target: "_blank", rel: "noopener", text: t("Open the full map ↗") });
      L.DomEvent.disableClickPropagation(bar);
      L.DomEvent.disableScrollPropagation(bar);
      var self = this;
      button.addEventListener("click", function () { self.set(!self.isOpen()); });
      // The link follows the view: the address changes as the reader pans, zooms and opens.
      var follow = function () { link.href = href(); };
      link.addEventListener("pointerdown", follow);
      link.addEventListener("focus", follow);
      this._onMove = function () { setTimeout(follow, 0); }; // after the page has taken in the new view
      this._map.on("moveend", this._onMove);
      this._onMove();
      this._onKey = function (event) {
        if (event.key === "Escape" && self.isOpen()) { self.set(false); button.focus(); }
      };
      document.addEventListener("keydown", this._onKey);
      this._onState = function (change) {
        if (change.keys.indexOf("open") >= 0 && self.options.state.open) self.set(false); // a feature chosen: show it
      };
      if (this.options.state) this.options.state.on("change", this._onState);
      bar.appendChild(button);
      bar.appendChild(link);
      this.button = button;
      this.link = link;
      this.set(panel ? panel.classList.contains("atlas-compact-open") : false);
      return bar;
    },
    onRemove: function (map) {
      map.off("moveend", this._onMove);
      document.removeEventListener("keydown", this._onKey);
      if (this.options.state) this.options.state.off("change", this._onState);
    },
    /** How far down from the map's top the bar reaches (popups pan in below it). */
    coveredHeight: function () {
      if (!this._map || !this._container) return 0;
      return Math.ceil(this._container.getBoundingClientRect().bottom - this._map.getContainer().getBoundingClientRect().top);
    },
    isOpen: function () { return !!this.options.panel && this.options.panel.classList.contains("atlas-compact-open"); },
    set: function (open) {
      var panel = this.options.panel;
      if (!panel) return;
      panel.classList.toggle("atlas-compact-open", open);
      this.button.setAttribute("aria-expanded", String(open));
      var tr = this.options.tr;
      var t = function (msgid) { return tr ? tr.t(msgid) : msgid; };
      this.button.textContent = open ? t("Hide the legend") : t("Legend, layers and search");
    },
  });

  /** Put the page in the compact layout (a class on <html>: atlas.css does the rest) and let the
   * map take the room the panel gave up. */
  function applyCompact(doc, map) {
    doc.documentElement.classList.add("atlas-compact");
    if (map) map.invalidateSize({ animate: false });
  }

  // The paper's printable box in CSS px: A4 landscape less 10 mm margins (atlas.css @page), less
  // room for the title above the map.
  var PRINT_BOX = { width: 1047, height: 640 };

  /** Print the map as drawn: at print time its box keeps the screen's size in CSS px and is zoomed
   * to fit the paper (atlas.css @media print), so Leaflet lays nothing out again and every canvas
   * keeps what it painted (a canvas repainted while printing is not what the paper gets). */
  function followPrint(win, map) {
    var box = map.getContainer();
    win.addEventListener("beforeprint", function () {
      var width = box.clientWidth, height = box.clientHeight;
      if (!width || !height) return;
      var zoom = Math.min(1, PRINT_BOX.width / width, PRINT_BOX.height / height);
      box.style.setProperty("--atlas-print-width", width + "px");
      box.style.setProperty("--atlas-print-height", height + "px");
      box.style.setProperty("--atlas-print-zoom", String(Math.round(zoom * 1000) / 1000));
    });
    win.addEventListener("afterprint", function () {
      ["--atlas-print-width", "--atlas-print-height", "--atlas-print-zoom"].forEach(function (name) { box.style.removeProperty(name); });
    });
  }

  var api = { SMALL_FRAME: SMALL_FRAME, framed: framed, wantsCompact: wantsCompact, fullMapHref: fullMapHref, applyCompact: applyCompact, followPrint: followPrint };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.embed = api;
  if (typeof L !== "undefined") {
    P.controls = P.controls || {};
    P.controls.CompactControl = CompactControl;
  }
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
