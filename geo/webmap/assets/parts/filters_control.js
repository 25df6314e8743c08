/* The panel's filters: a checkbox per status, country and kind found among the features. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;

  var FiltersControl = P.controls.PanelSection.extend({
    onAdd: function () {
      var api = this.mapApi;
      var state = this.state;
      var tr = api.tr;
      var box = el("div");
      box.appendChild(el("h2", { text: tr.t("Filters") }));
      var groups = [
        ["status", tr.t("Status"), function (f) { return [f.status || ""]; }, api.names.status],
        ["country", tr.t("Country"), function (f) { return f.country; }, api.names.country],
        ["kind", tr.t("Kind"), function (f) { return [f.kind]; }, api.names.kind],
      ];
      var boxes = [];
      groups.forEach(function (group) {
        var key = group[0];
        var values = {};
        api.features.concat(api.featureSamples || []).forEach(function (f) { group[2](f).forEach(function (v) { values[v] = true; }); });
        var found = Object.keys(values).sort();
        if (!found.length) return; // nothing to filter by (a map of empty layers): no empty box
        var fieldset = el("fieldset", { className: "atlas-filter", "data-filter": key }, el("legend", { text: group[1] }));
        found.forEach(function (value, n) {
          var id = "atlas-filter-" + key + "-" + n;
          var input = el("input", { type: "checkbox", id: id, "data-value": value });
          input.addEventListener("change", function () { state.setFilter(key, value, input.checked); });
          boxes.push([input, key, value]);
          fieldset.appendChild(el("div", { className: "atlas-choice" }, input, el("label", { for: id, dir: "auto", text: group[3](value) })));
        });
        box.appendChild(fieldset);
      });
      box.hidden = !boxes.length; // no choice at all: no "Filters" heading over nothing
      var sync = function () { boxes.forEach(function (b) { b[0].checked = !state.filteredOut(b[1], b[2]); }); };
      this.onStateChange(sync);
      sync();
      return box;
    },
  });

  P.controls.FiltersControl = FiltersControl;
})(typeof window !== "undefined" ? window : globalThis);
