// Unit tests of the address bar's writer (geo/webmap/assets/parts/address.js), on a clock of the
// test's own: at most one write per interval, the latest state always written, the reader's own
// address never overwritten.
const test = require("node:test");
const assert = require("node:assert/strict");
const { AddressWriter, WRITE_INTERVAL_MS } = require("../../geo/webmap/assets/parts/address.js");

/** A writer on a manual clock; `writes` lists [time, hash] of every write. */
function setUp(interval) {
  const clock = { now: 0, timers: [] };
  const address = { hash: "", writes: [] };
  const writer = new AddressWriter({
    interval,
    current: () => address.hash,
    write: (hash) => { address.hash = hash; address.writes.push([clock.now, hash]); },
    setTimeout: (fn, ms) => { const timer = { at: clock.now + ms, fn }; clock.timers.push(timer); return timer; },
    clearTimeout: (timer) => { clock.timers = clock.timers.filter((t) => t !== timer); },
  });
  const advance = (ms) => {
    const until = clock.now + ms;
    for (;;) {
      const due = clock.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      clock.timers = clock.timers.filter((t) => t !== due);
      clock.now = due.at;
      due.fn();
    }
    clock.now = until;
  };
  return { writer, address, advance, clock };
}

test("the first change is written at once", () => {
  const { writer, address } = setUp(350);
  writer.request("#map=5/41/69");
  assert.deepEqual(address.writes, [[0, "#map=5/41/69"]]);
  assert.equal(writer.pending(), false);
});

test("changes within the interval are one write of the latest, when the interval has passed", () => {
  const { writer, address, advance } = setUp(350);
  writer.request("#a");
  for (const [step, hash] of [[40, "#b"], [40, "#c"], [40, "#d"]]) {
    advance(step);
    writer.request(hash);
  }
  assert.equal(writer.pending(), true);
  assert.equal(address.hash, "#a");
  advance(350);
  assert.deepEqual(address.writes, [[0, "#a"], [350, "#d"]]);
  assert.equal(writer.pending(), false);
});

test("a click every 60 ms for 30 s writes at most once per interval, and the last state last", () => {
  const { writer, address, advance } = setUp(WRITE_INTERVAL_MS);
  for (let click = 0; click < 500; click++) {
    for (let change = 0; change < 4; change++) writer.request(`#open=f${click}.${change}`);
    advance(60);
  }
  advance(WRITE_INTERVAL_MS);
  const times = address.writes.map(([at]) => at);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= WRITE_INTERVAL_MS, times.slice(i - 1, i + 1));
  // Safari's budget for history.replaceState is counted over a few seconds: any 10 s hold at most 30.
  for (const start of times) assert.ok(times.filter((at) => at >= start && at < start + 10000).length <= 30, start);
  assert.equal(address.hash, "#open=f499.3");
});

test("a change back to what the address already holds writes nothing", () => {
  const { writer, address, advance } = setUp(350);
  writer.request("#a");
  writer.request("#b");
  writer.request("#a");
  advance(1000);
  assert.deepEqual(address.writes, [[0, "#a"]]);
  writer.request("#a");
  assert.deepEqual(address.writes, [[0, "#a"]]);
});

test("leaving the page writes what waits, at once; the reader's own address cancels it", () => {
  const { writer, address, advance, clock } = setUp(350);
  writer.request("#a");
  writer.request("#b");
  writer.flush();
  assert.deepEqual(address.writes, [[0, "#a"], [0, "#b"]]);
  assert.equal(clock.timers.length, 0);
  advance(1000);
  writer.request("#c");
  writer.request("#d");
  address.hash = "#typed-by-the-reader"; // then the page reads it and sets its state from it
  writer.cancel();
  advance(1000);
  assert.equal(address.hash, "#typed-by-the-reader");
  assert.equal(writer.pending(), false);
  writer.request("#e"); // the state read from the reader's address, written at once
  assert.equal(address.hash, "#e");
});
