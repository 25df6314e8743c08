// Unit tests of the data block decoding (geo/webmap/assets/parts/decode.js).
const test = require("node:test");
const assert = require("node:assert/strict");
const D = require("../../geo/webmap/assets/parts/decode.js");

test("dictionary-coded columns and delta-coded coordinates", () => {
  assert.deepEqual(D.decodeColumn({ values: ["a", "b"], codes: [1, 0, 1] }), ["b", "a", "b"]);
  assert.deepEqual(D.decodeColumn([1, 2]), [1, 2]);
  assert.deepEqual(D.decodeLatLngs([6890, 4110, 10, -5], 100), [[41.1, 68.9], [41.05, 69]]);
  assert.deepEqual(D.decodeNested([[[100, 200, 1, 1]]], 2, 10), [[[[20, 10], [20.1, 10.1]]]]);
});
