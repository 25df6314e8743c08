// Unit tests of the URL state (geo/webmap/assets/parts/urlstate.js): the page state to a link and back.
const test = require("node:test");
const assert = require("node:assert/strict");
require("../../geo/webmap/assets/parts/hash.js");
const U = require("../../geo/webmap/assets/parts/urlstate.js");
const { AtlasState } = require("../../geo/webmap/assets/parts/state.js");

const ctx = {
  bases: ["light", "grey", "none"], layerIds: ["cities", "dams", "rail"], defaultLayers: ["cities", "dams"],
  filterKeys: ["status.planned", "kind.dam", "country.TJ"], dates: ["2023-05", "2024"],
  hasFeature: (id) => id === "rogun", minZoom: 3, maxZoom: 18,
};

test("the default state writes only the view and the layers", () => {
  const state = new AtlasState({ base: "light", layers: ["cities", "dams"] });
  assert.equal(U.toHash(state, { zoom: 6, lat: 41.123456, lng: 69.2 }, ctx), "#map=6/41.1235/69.2000&layers=cities,dams");
});

test("a state read back from its link is the same state", () => {
  const state = new AtlasState({ base: "light", layers: ["cities"] });
  state.set({ base: "grey", layers: ["rail", "cities"], hidden: { "status.planned": true }, date: "2024", uncertainty: false, open: "rogun" });
  const hash = U.toHash(state, { zoom: 8, lat: 41, lng: 69 }, ctx);
  assert.equal(hash, "#map=8/41.0000/69.0000&base=grey&layers=cities,rail&hide=status.planned&date=2024&uncertainty=0&open=rogun", "layers in panel order");
  const read = U.fromHash(hash, ctx);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.view, { zoom: 8, lat: 41, lng: 69 });
  assert.equal(read.open, "rogun");
  const again = new AtlasState({ base: "light", layers: ctx.defaultLayers });
  again.set(read.patch);
  assert.equal(U.toHash(again, read.view, ctx).replace("&open=rogun", ""), hash.replace("&open=rogun", ""));
});

test("an empty link gives the defaults and no problem", () => {
  const read = U.fromHash("", ctx);
  assert.deepEqual(read, { patch: { base: "light", layers: ["cities", "dams"], hidden: {}, date: null, uncertainty: true }, view: null, open: null, problems: [] });
  assert.equal(U.problemNotice(read.problems), null);
});

test("each part that cannot be read falls back alone and is named once", () => {
  const read = U.fromHash("#map=99/0/0&base=satellite&layers=cities,nope&hide=kind.nope&date=1999&open=nowhere", ctx);
  assert.deepEqual(read.problems, ["map", "base", "layers", "hide", "date", "open"]);
  assert.equal(read.view, null);
  assert.equal(read.patch.base, "light");
  assert.deepEqual(read.patch.layers, ["cities"], "the known layers of a partly wrong list are kept");
  assert.deepEqual(read.patch.hidden, {});
  assert.equal(read.patch.date, null);
  assert.equal(read.open, null);
  assert.equal(U.problemNotice(read.problems), "Part of this link could not be read (view, basemap, layers, filters, date, open feature); showing the map's defaults for it.");
  assert.deepEqual(U.fromHash("#layers=nope", ctx).patch.layers, ["cities", "dams"], "a list with nothing known keeps the defaults");
  assert.deepEqual(U.fromHash("#layers=", ctx).patch.layers, [], "an empty list is an empty list");
});

test("an open feature that is not on the map is a problem, not an exception", () => {
  assert.deepEqual(U.fromHash("#open=__proto__", ctx).problems, ["open"]);
  assert.deepEqual(U.fromHash("#open=%E0%A4%A", ctx).problems, ["open"]);
});
