/* Pure: the map's events in time. Which events a map's timeline lists, the dates its slider
 * stops at, and when each feature starts (its projects' first dated event). */
(function (root) {
  "use strict";

  /** The events among the map's countries (all, for a map about no countries in particular),
   * dated ones by date first, then the undated. data: the payload. */
  function timelineEvents(data) {
    var scope = data.map.countries || [];
    var events = Object.keys(data.events).map(function (id) { return data.events[id]; })
      .filter(function (e) { return !scope.length || e.countries.every(function (c) { return scope.indexOf(c) >= 0; }); });
    var dated = events.filter(function (e) { return e.date; }).sort(function (a, b) { return a.date < b.date ? -1 : a.date > b.date ? 1 : 0; });
    return dated.concat(events.filter(function (e) { return !e.date; }));
  }

  /** The distinct dates of the dated events, in the events' order. */
  function eventDates(events) {
    var dates = [];
    events.forEach(function (e) { if (e.date && dates.indexOf(e.date) < 0) dates.push(e.date); });
    return dates;
  }

  /** Set feature.start: a feature with projects starts with its projects' first dated event;
   * one with a project that has none, or with no projects, never starts (stays null). */
  function dateFeatures(features, events) {
    var startOf = featureStart(events);
    features.forEach(function (f) { f.start = startOf(f.projects); });
  }

  /** events -> startOf(projects): the date a feature with these projects starts, or null. */
  function featureStart(events) {
    var starts = {};
    Object.keys(events).forEach(function (id) {
      var e = events[id];
      if (!e.date) return;
      (e.projects || []).forEach(function (p) { if (!starts[p] || e.date < starts[p]) starts[p] = e.date; });
    });
    return function (projects) {
      if (!projects || !projects.length || !projects.every(function (p) { return starts[p]; })) return null;
      return projects.map(function (p) { return starts[p]; }).sort()[0];
    };
  }

  var api = { timelineEvents: timelineEvents, eventDates: eventDates, dateFeatures: dateFeatures, featureStart: featureStart };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.timeline = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
