/* The panel's sources and credits: every source the map's data cites, and the map's credits. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;

  var SourcesControl = P.controls.PanelSection.extend({
    onAdd: function () {
      var sources = this.mapApi.sources;
      var box = el("div");
      var ids = Object.keys(sources).sort(function (a, b) {
        var ta = sources[a].title || a, tb = sources[b].title || b;
        return ta < tb ? -1 : ta > tb ? 1 : 0;
      });
      var details = el("details", { className: "atlas-all-sources" }, el("summary", { text: "Sources (" + ids.length + ")" }));
      details.appendChild(P.popup.sourceList(ids, sources));
      box.appendChild(el("h2", { text: "Sources and credits" }));
      box.appendChild(details);
      var credits = el("p", { className: "atlas-credits" });
      credits.appendChild(document.createTextNode("Basemaps © OpenStreetMap contributors, Esri; railway overlay © OpenRailwayMap; country outlines Natural Earth; drawn with Leaflet and folium. "));
      credits.appendChild(el("a", { href: "index.html", text: "All maps" }));
      box.appendChild(credits);
      return box;
    },
  });

  P.controls.SourcesControl = SourcesControl;
})(typeof window !== "undefined" ? window : globalThis);
