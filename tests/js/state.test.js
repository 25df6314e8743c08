// Unit tests of the page state's events and filters (geo/webmap/assets/parts/state.js) and of the
// timeline's dates (timeline.js).
const test = require("node:test");
const assert = require("node:assert/strict");
const { AtlasState, Emitter } = require("../../geo/webmap/assets/parts/state.js");
const T = require("../../geo/webmap/assets/parts/timeline.js");

test("every subscription can be undone, and only the one named", () => {
  const state = new AtlasState({ base: "osm", layers: [] });
  const seen = [];
  const first = (c) => seen.push("first " + c.keys);
  const second = (c) => seen.push("second " + c.keys);
  state.on("change", first).on("change", second);
  state.set({ date: "2024" });
  state.off("change", first);
  state.off("change", () => {}); // never added: nothing happens
  state.set({ date: "2025" });
  state.off("change", second);
  state.set({ date: "2026" });
  assert.deepEqual(seen, ["first date", "second date", "second date"]);
  assert.equal(state.listenerCount("change"), 0);
});

test("a listener removed while an event fires still sees that event, and no later one", () => {
  const events = new Emitter();
  const seen = [];
  const once = () => { seen.push("once"); events.off("ping", once); };
  events.on("ping", once).on("ping", () => seen.push("always"));
  events.fire("ping").fire("ping");
  assert.deepEqual(seen, ["once", "always", "always"]);
});

test("a feature is shown unless its status, its kind or all its countries are filtered out", () => {
  const state = new AtlasState({ base: "osm", layers: [] });
  const f = { status: null, kind: "dam", country: ["KZ", "UZ"] };
  assert.equal(state.shows(f), true);
  state.setFilter("country", "KZ", false);
  assert.equal(state.shows(f), true, "one of its countries is still shown");
  state.setFilter("country", "UZ", false);
  assert.equal(state.shows(f), false);
  state.set({ hidden: { "status.": true } });
  assert.equal(state.shows(f), false, "a feature without a status has the empty status");
  assert.equal(state.shows({ status: "planned", kind: "dam", country: [] }), true);
});

test("the timeline lists the map's events by date, the undated last, and stops at each date once", () => {
  const data = {
    map: { countries: ["KZ", "UZ"] },
    events: {
      a: { date: "2024", countries: ["KZ"], projects: ["p"] },
      b: { date: "2019-05", countries: ["KZ", "UZ"], projects: ["p", "q"] },
      c: { date: null, countries: ["UZ"], projects: [] },
      d: { date: "2020", countries: ["CN"], projects: ["q"] },
      e: { date: "2024", countries: ["UZ"], projects: [] },
    },
  };
  const events = T.timelineEvents(data);
  assert.deepEqual(events.map((e) => e.date), ["2019-05", "2024", "2024", null], "the event in China is left out");
  assert.deepEqual(T.eventDates(events), ["2019-05", "2024"]);
  const features = [{ projects: ["p"], start: null }, { projects: ["p", "r"], start: null }, { projects: [], start: null }];
  T.dateFeatures(features, data.events);
  assert.deepEqual(features.map((f) => f.start), ["2019-05", null, null]);
});
