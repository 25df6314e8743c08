/* The side panel, which becomes a bottom sheet on phones: open as a sidebar, collapsed as a sheet,
 * with its toggle button; a sheet makes room for search results while they are listed. */
(function (root) {
  "use strict";

  var PHONE = "(max-width: 700px)";

  /** options: {panel, toggle}: the elements; resized(): the map's size changed with the layout. */
  function PanelSheet(options) {
    this.panel = options.panel;
    this.toggle = options.toggle;
    this.resized = options.resized || function () {};
    this.tr = options.tr || null;
  }

  PanelSheet.prototype.set = function (open) {
    if (!this.panel || !this.toggle) return;
    this.panel.classList.toggle("atlas-sheet-open", open);
    this.toggle.setAttribute("aria-expanded", String(open));
    var tr = this.tr;
    var t = function (msgid) { return tr ? tr.t(msgid) : msgid; };
    this.toggle.textContent = open ? t("Hide layers, filters and timeline") : t("Layers, filters, timeline");
  };

  /** Wire the toggle, the phone-width query and the search list (events: the map API's). */
  PanelSheet.prototype.bind = function (events) {
    var self = this;
    var panel = this.panel;
    this.toggle.addEventListener("click", function () { self.set(!panel.classList.contains("atlas-sheet-open")); });
    var phone = window.matchMedia(PHONE);
    this.set(!phone.matches);
    // Turned or resized across the phone width: a sheet starts collapsed, a sidebar open.
    if (phone.addEventListener) phone.addEventListener("change", function () { self.set(!phone.matches); self.resized(); });
    events.on("searchchange", function (e) { if (window.matchMedia(PHONE).matches) panel.classList.toggle("atlas-sheet-results", e.open); });
    return this;
  };

  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.sheet = { PanelSheet: PanelSheet, PHONE: PHONE };
})(typeof window !== "undefined" ? window : globalThis);
