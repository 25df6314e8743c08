/* The panel's timeline: a slider over the dates of the map's events and the list of events. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;

  var TimelineControl = P.controls.PanelSection.extend({
    onAdd: function () {
      var api = this.mapApi;
      var state = this.state;
      var tr = api.tr;
      var box = el("div");
      box.appendChild(el("h2", { text: tr.t("Timeline") }));
      var events = api.timeline;
      var dates = P.timeline.eventDates(events);
      if (!dates.length) {
        box.appendChild(el("p", { className: "atlas-muted", text: tr.t("No dated events on this map.") }));
        return box;
      }
      var slider = el("input", { type: "range", id: "atlas-timeline-slider", min: "0", max: String(dates.length), step: "1", "aria-describedby": "atlas-timeline-label" });
      var label = el("output", { id: "atlas-timeline-label", for: "atlas-timeline-slider" });
      var list = el("ol", { className: "atlas-timeline-events" });
      // The list scrolls: it takes keyboard focus, so arrow keys scroll it.
      var scroller = el("div", { className: "atlas-timeline-scroll", tabindex: "0", role: "region", "aria-label": tr.t("Events by date") }, list);
      events.forEach(function (event) {
        list.appendChild(el("li", { "data-date": event.date || "" }, el("time", { text: tr.date(event.date) }), " — " + api.names.event(event.kind) + ": ", P.dom.bdi(event.title)));
      });
      slider.addEventListener("input", function () {
        var index = parseInt(slider.value, 10);
        state.set({ date: index >= dates.length ? null : dates[index] });
      });
      var sync = function () {
        var index = state.date ? dates.indexOf(state.date) : -1;
        slider.value = String(index < 0 ? dates.length : index);
        label.textContent = state.date ? tr.t("Showing what existed by {date}", { date: tr.date(state.date) }) : tr.t("All dates");
        slider.setAttribute("aria-valuetext", label.textContent);
        Array.prototype.forEach.call(list.children, function (item) {
          var date = item.getAttribute("data-date");
          item.className = state.date && date && date > state.date ? "atlas-future" : "";
        });
      };
      this.onStateChange(function (change) { if (change.keys.indexOf("date") >= 0) sync(); });
      box.appendChild(el("label", { for: "atlas-timeline-slider", text: tr.t("Agreements, events and projects up to a date (places stay; later projects are greyed)") }));
      box.appendChild(slider);
      box.appendChild(label);
      box.appendChild(scroller);
      sync();
      return box;
    },
  });

  P.controls.TimelineControl = TimelineControl;
})(typeof window !== "undefined" ? window : globalThis);
