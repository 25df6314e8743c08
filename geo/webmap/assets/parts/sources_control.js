/* The panel's sources and credits: every source the map's data cites, and the map's credits. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;

  var SourcesControl = P.controls.PanelSection.extend({
    onAdd: function () {
      var sources = this.mapApi.sources;
      var tr = this.mapApi.tr;
      var box = el("div");
      var ids = Object.keys(sources).sort(function (a, b) {
        var ta = sources[a].title || a, tb = sources[b].title || b;
        return ta < tb ? -1 : ta > tb ? 1 : 0;
      });
      var details = el("details", { className: "atlas-all-sources" }, el("summary", { text: tr.t("Sources ({count})", { count: tr.number(ids.length) }) }));
      details.appendChild(P.popup.sourceList(ids, sources, tr));
      box.appendChild(el("h2", { text: tr.t("Sources and credits") }));
      box.appendChild(details);
      var credits = el("p", { className: "atlas-credits" });
      credits.appendChild(document.createTextNode(tr.t("Basemaps © OpenStreetMap contributors, Esri; railway overlay © OpenRailwayMap; drawn with Leaflet and folium.") + " "));
      // The data's own credits, as the sources word them: the base layer's and what its sources'
      // licences oblige (geo/credits.py).
      this.mapApi.credits.forEach(function (line) { credits.appendChild(el("span", { className: "atlas-credit" }, P.dom.bdi(line), ". ")); });
      if (tr.lang !== "en") credits.appendChild(document.createTextNode(tr.t("Texts translated for the atlas unless a source is named.") + " "));
      credits.appendChild(el("a", { href: "index.html", text: tr.t("All maps") }));
      box.appendChild(credits);
      return box;
    },
  });

  P.controls.SourcesControl = SourcesControl;
})(typeof window !== "undefined" ? window : globalThis);
