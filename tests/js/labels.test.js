// Unit tests of label placement (geo/webmap/assets/parts/labels.js).
const test = require("node:test");
const assert = require("node:assert/strict");
const L = require("../../geo/webmap/assets/parts/labels.js");

const view = { w: 400, h: 300 };

test("labels that would overlap move, by priority, and none intersects", () => {
  const items = [
    { key: "a", x: 100, y: 100, w: 80, h: 16, priority: 50, gap: 10 },
    { key: "b", x: 104, y: 104, w: 80, h: 16, priority: 90, gap: 10 },
    { key: "c", x: 108, y: 96, w: 80, h: 16, priority: 10, gap: 10 },
  ];
  const placed = L.placeLabels(items, [], view, 1);
  assert.equal(placed.b.position, "right"); // the most important takes the first place
  const boxes = Object.keys(placed).map((k) => ({ x: placed[k].x, y: placed[k].y, w: 80, h: 16 }));
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) assert.ok(!L.intersects(boxes[i], boxes[j]));
});

test("a label with no room is hidden, and comes back when there is room", () => {
  const crowd = [];
  for (let i = 0; i < 30; i++) crowd.push({ key: "k" + i, x: 200, y: 150, w: 120, h: 16, priority: 50 });
  const placed = L.placeLabels(crowd, [], view);
  assert.ok(Object.keys(placed).length < 30 && Object.keys(placed).length >= 2);
  const alone = L.placeLabels([crowd[29]], [], view);
  assert.ok(alone.k29);
});

test("labels avoid symbols and stay in view", () => {
  const item = { key: "a", x: 380, y: 150, w: 60, h: 16, priority: 50, gap: 10 };
  const obstacle = { key: "other", x: 290, y: 130, w: 15, h: 60 };
  const placed = L.placeLabels([item], [obstacle], view);
  assert.ok(placed.a);
  assert.ok(placed.a.x + 60 <= 400 && placed.a.x >= 0);
  assert.ok(!L.intersects({ x: placed.a.x, y: placed.a.y, w: 60, h: 16 }, obstacle));
  const own = L.placeLabels([item], [{ key: "a", x: 370, y: 140, w: 20, h: 20 }], view);
  assert.ok(own.a, "its own symbol is no obstacle");
});

test("a centred label (a country name) is centred or hidden", () => {
  const placed = L.placeLabels([{ key: "kz", x: 200, y: 100, w: 100, h: 14, priority: 10, centered: true }], [], view);
  assert.deepEqual([placed.kz.x, placed.kz.y], [150, 93]);
  assert.deepEqual(L.placeLabels([{ key: "kz", x: 10, y: 100, w: 100, h: 14, priority: 10, centered: true }], [], view), {});
});

test("a centred label takes its next anchor when the first has no room", () => {
  const blocker = { key: "city", x: 150, y: 90, w: 100, h: 20, priority: 90 };
  const country = { key: "uz", x: 200, y: 100, w: 100, h: 14, priority: 10, centered: true, anchors: [[200, 200]] };
  const placed = L.placeLabels([blocker, country], [], view);
  assert.deepEqual([placed.uz.x, placed.uz.y], [150, 193]);
});
