/* Notices on the map about the page itself (tiles that failed, a link that could not be read). */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;

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
      // One line over the map until the reader asks for the rest: the map keeps its room, the
      // whole text is read out by the live region and shown on a click.
      var words = el("button", { type: "button", className: "atlas-notice-text", "aria-expanded": "false", text: text });
      words.addEventListener("click", function () {
        var open = words.getAttribute("aria-expanded") !== "true";
        words.setAttribute("aria-expanded", String(open));
        note.classList.toggle("atlas-notice-open", open);
      });
      var note = el("div", { className: "atlas-notice", "data-notice": key }, words);
      var close = el("button", { type: "button", className: "atlas-notice-close", "aria-label": this.options.tr.t("Dismiss this message"), text: "×" });
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

  P.controls.NoticeControl = NoticeControl;
})(typeof window !== "undefined" ? window : globalThis);
