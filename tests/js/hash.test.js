// Unit tests of the URL hash (geo/webmap/assets/parts/hash.js) and the page state.
const test = require("node:test");
const assert = require("node:assert/strict");
const H = require("../../geo/webmap/assets/parts/hash.js");
const { AtlasState } = require("../../geo/webmap/assets/parts/state.js");

test("a hash reads back what was written", () => {
  const params = { map: "8/41.1000/68.9000", base: "grey", layers: "cities,rail", hide: "kind.capital,status.proposed", date: "2024-08-22", uncertainty: "0", open: "tashkent" };
  const text = H.formatHash(params);
  assert.equal(text, "#map=8/41.1000/68.9000&base=grey&layers=cities,rail&hide=kind.capital,status.proposed&date=2024-08-22&uncertainty=0&open=tashkent");
  assert.deepEqual(H.parseHash(text), { params, problems: [] });
});

test("broken parts are reported, never thrown", () => {
  const parsed = H.parseHash("#layers=%E0%A4%A&map=8/41/69");
  assert.deepEqual(parsed.problems, ["layers"]);
  assert.equal(parsed.params.map, "8/41/69");
  assert.equal(H.parseView("1e308/1e308/1e308", 3, 18), null);
  assert.equal(H.parseView("abc", 3, 18), null);
  assert.equal(H.parseView("8/95/10", 3, 18), null);
  assert.equal(H.parseView("30/41/69", 3, 18), null);
  assert.deepEqual(H.parseView("8/41.1/-68.9", 3, 18), { zoom: 8, lat: 41.1, lng: -68.9 });
  assert.deepEqual(H.parseList("cities,nonexistent,<x>", ["cities", "dams"]), { values: ["cities"], unknown: ["nonexistent", "<x>"] });
  assert.equal(H.parseDate("2024-13-99x"), null);
  assert.equal(H.parseDate("2024-08"), "2024-08");
  assert.deepEqual(H.parseHash("").params, {});
  assert.deepEqual(H.parseHash("#foo=bar").params, {}, "other parameters are left alone");
});

test("the state fires one change naming what changed", () => {
  const state = new AtlasState({ base: "osm", layers: ["a", "b"] });
  const seen = [];
  state.on("change", (c) => seen.push(c.keys));
  state.setLayer("a", false);
  state.setFilter("kind", "city", false);
  state.set({ base: "osm" }); // no change: no event
  state.set({ base: "grey", date: "2024" });
  assert.deepEqual(seen, [["layers"], ["hidden"], ["base", "date"]]);
  assert.deepEqual(state.layers, ["b"]);
  assert.equal(state.filteredOut("kind", "city"), true);
  state.setFilter("kind", "city", true);
  assert.equal(state.filteredOut("kind", "city"), false);
});
