// Unit tests of the page's pure formatting module (geo/render/assets/parts/format.js).
const test = require("node:test");
const assert = require("node:assert/strict");
const F = require("../../geo/render/assets/parts/format.js");

test("dates at their precision", () => {
  assert.equal(F.formatDate("2023-11-09"), "9 Nov 2023");
  assert.equal(F.formatDate("2024-08"), "Aug 2024");
  assert.equal(F.formatDate("2024"), "2024");
  assert.equal(F.formatDate(null), "date unknown");
});

test("values with units and qualifiers", () => {
  assert.equal(F.formatValue({ value: 2.19e9, unit: "USD" }), "$2.19 billion");
  assert.equal(F.formatValue({ value: 152, unit: "km", qualifier: "about" }), "about 152 km");
  assert.equal(F.formatValue({ value: 40, unit: "percent", qualifier: "up_to" }), "up to 40%");
  assert.equal(F.formatValue({ value: 513, unit: "km2" }), "513 km²");
  assert.equal(F.formatPeriod({ period_start: "2023-01", period_end: "2023-07" }), "Jan 2023 – Jul 2023");
  assert.equal(F.formatDistance(8000), "8 km");
  assert.equal(F.formatDistance(450), "450 m");
});

test("a figure whose sources disagree lists every value with its own sources", () => {
  const figure = {
    value: 152, unit: "km", sources: ["art-a"],
    alternatives: [{ value: 145, unit: "km", qualifier: "about", sources: ["art-b", "art-c"], note: "an earlier plan" }],
  };
  const values = F.figureValues(figure);
  assert.deepEqual(values.map((v) => v.text), ["152 km", "about 145 km"]);
  assert.deepEqual(values.map((v) => v.sources), [["art-a"], ["art-b", "art-c"]]);
  assert.equal(values[1].note, "an earlier plan");
  assert.equal(F.sourcesDisagree(figure), true);
  assert.equal(F.sourcesDisagree({ value: 1, unit: "km", sources: ["a"] }), false);
  assert.equal(F.sourcesDisagree({ value: 1, unit: "km", alternatives: [{ value: 1, unit: "km", sources: ["b"] }] }), false);
});

test("a stated length beside the length measured on the geometry", () => {
  assert.equal(F.measuredText({ value: 152, unit: "km", measured: { value: 148, unit: "km" } }), "stated 152 km · drawn 148 km");
  assert.equal(F.measuredText({ value: 152, unit: "km" }), "");
});
