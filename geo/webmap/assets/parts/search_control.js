/* The panel's search: a box, a ranked list of places (search.js), Enter or a click opens one. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;
  var SEARCH_LIMIT = 12;

  var SearchControl = P.controls.PanelSection.extend({
    onAdd: function () {
      var api = this.mapApi;
      var names = api.names;
      var tr = api.tr;
      var box = el("div", { className: "atlas-search-box" });
      var input = el("input", {
        type: "search", id: "atlas-search-input", placeholder: tr.t("Find a place (English, Русский, local)"),
        autocomplete: "off", spellcheck: "false", "aria-controls": "atlas-search-results", "aria-describedby": "atlas-search-status",
      });
      var results = el("ul", { id: "atlas-search-results", className: "atlas-search-results", "aria-label": tr.t("Search results") });
      var status = el("p", { id: "atlas-search-status", className: "atlas-visually-hidden", "aria-live": "polite" });
      box.appendChild(el("label", { for: "atlas-search-input", className: "atlas-visually-hidden", text: tr.t("Search places by name, kind or country") }));
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
        if (!query) { status.textContent = ""; hits = []; api.events.fire("searchchange", { open: false }); return; }
        index = index || api.features.map(function (f) {
          return P.search.makeEntry(f, [f.en ? f.en.name : f.name, f.name_ru, f.name_local, f.id && f.id.replace(/-/g, " ")],
            [names.kind(f.kind), f.kind].concat(f.country.map(names.country), f.country));
        });
        // Large layers answer from their own name scan (compact.js): candidates, ranked with the rest.
        var extra = api.searchEntries ? api.searchEntries(query) : { entries: [], more: false };
        hits = P.search.rank(extra.entries.length ? index.concat(extra.entries) : index, query, SEARCH_LIMIT);
        status.textContent = hits.length ? tr.tn("{n} place found", "{n} places found", hits.length) : tr.t("No match");
        if (extra.more) status.textContent += " " + tr.t("More places match: type more of the name to narrow them.");
        if (!hits.length) results.appendChild(el("li", { className: "atlas-muted", text: tr.t("No match") }));
        hits.forEach(function (f) {
          var detail = names.kind(f.kind) + ", " + f.country.map(names.country).join(" / ");
          var button = el("button", { type: "button", className: "atlas-search-hit", "data-feature-id": f.id },
            el("span", { className: "atlas-hit-name", dir: "auto", text: f.name }), el("span", { className: "atlas-muted", text: " — " + detail }));
          var alt = f.altNames || [f.name_ru, f.name_local].filter(Boolean);
          if (alt.length) {
            var alts = el("span", { className: "atlas-hit-alt" });
            alt.forEach(function (name, n) { if (n) alts.appendChild(document.createTextNode(" · ")); alts.appendChild(P.dom.bdi(name)); });
            button.appendChild(alts);
          }
          button.addEventListener("click", function () { self.choose(f); });
          results.appendChild(el("li", null, button));
        });
        if (extra.more) results.appendChild(el("li", { className: "atlas-muted atlas-search-more", text: tr.t("More places match: type more of the name to narrow them.") }));
        api.events.fire("searchchange", { open: true });
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
      this.mapApi.events.fire("searchchange", { open: false });
      this.mapApi.focusFeature(feature.id, { focusPopup: true, returnFocus: this.input });
    },
  });

  P.controls.SearchControl = SearchControl;
})(typeof window !== "undefined" ? window : globalThis);
