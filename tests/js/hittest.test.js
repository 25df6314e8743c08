// Unit tests of click hit-testing (geo/webmap/assets/parts/hittest.js), in screen pixels.
const test = require("node:test");
const assert = require("node:assert/strict");
const H = require("../../geo/webmap/assets/parts/hittest.js");

const pt = (x, y) => ({ x, y });
const square = [pt(0, 0), pt(100, 0), pt(100, 100), pt(0, 100)];
const hole = [pt(40, 40), pt(60, 40), pt(60, 60), pt(40, 60)];

test("distance to a segment is to its nearest point, ends included", () => {
  assert.equal(H.segmentDistance(pt(5, 3), pt(0, 0), pt(10, 0)), 3);
  assert.equal(H.segmentDistance(pt(13, 4), pt(0, 0), pt(10, 0)), 5);
  assert.equal(H.segmentDistance(pt(3, 4), pt(0, 0), pt(0, 0)), 5, "a segment of one point");
});

test("a closed ring has its closing edge; an open line does not", () => {
  const line = [pt(0, 0), pt(100, 0), pt(100, 100)];
  assert.equal(H.partsDistance(pt(0, 50), [line], false), 50);
  assert.ok(Math.abs(H.partsDistance(pt(0, 50), [line], true) - 50 / Math.SQRT2) < 1e-9);
});

test("inside an area by the even-odd rule: a hole is outside", () => {
  assert.equal(H.insideRings(pt(20, 20), [square]), true);
  assert.equal(H.insideRings(pt(50, 50), [square, hole]), false);
  assert.equal(H.insideRings(pt(150, 50), [square]), false);
});

test("a click near an edge is an edge hit, well inside an area is an inside hit, outside none", () => {
  assert.deepEqual(H.pathHit(pt(3, 50), [square], true, 6), { d: 3, rank: H.EDGE });
  assert.deepEqual(H.pathHit(pt(20, 50), [square], true, 6), { d: 6, rank: H.INSIDE });
  assert.equal(H.pathHit(pt(20, 50), [square], false, 6), null, "a line is never clicked inside");
  assert.equal(H.pathHit(pt(120, 50), [square], true, 6), null);
  assert.equal(H.pathHit(pt(50, 50), [square, hole], true, 6), null, "a click in a hole misses");
});

test("a point symbol is hit within its tolerance", () => {
  assert.deepEqual(H.pointHit(pt(3, 4), pt(0, 0), 11), { d: 5, rank: H.POINT });
  assert.equal(H.pointHit(pt(30, 40), pt(0, 0), 11), null);
});

test("hits sort points first, then edges, then insides, each nearest first", () => {
  const hits = [{ id: "inside", rank: H.INSIDE, d: 6 }, { id: "far edge", rank: H.EDGE, d: 4 }, { id: "near edge", rank: H.EDGE, d: 1 }, { id: "point", rank: H.POINT, d: 9 }];
  assert.deepEqual(H.sortHits(hits).map((h) => h.id), ["point", "near edge", "far edge", "inside"]);
});

test("nested coordinates flatten to their parts", () => {
  const isPart = (a) => !Array.isArray(a[0]);
  const a = [pt(0, 0), pt(1, 1)], b = [pt(2, 2), pt(3, 3)];
  assert.deepEqual(H.flattenParts(a, isPart), [a]);
  assert.deepEqual(H.flattenParts([a, b], isPart), [a, b]);
  assert.deepEqual(H.flattenParts([[a], [b, a]], isPart), [a, b, a]);
  assert.deepEqual(H.flattenParts([], isPart), []);
});
