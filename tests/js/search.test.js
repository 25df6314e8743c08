// Unit tests of the page's search ranking (geo/webmap/assets/parts/search.js).
const test = require("node:test");
const assert = require("node:assert/strict");
const S = require("../../geo/webmap/assets/parts/search.js");

const places = [
  ["atameken-checkpoint", "Atameken border checkpoint", "пункт пропуска Атамекен", null, "Border checkpoint", ["Kazakhstan", "KZ"]],
  ["gulistan-checkpoint", "Gulistan border checkpoint", "пункт пропуска Гулистан", null, "Border checkpoint", ["Uzbekistan", "UZ"]],
  ["gulistan-uz", "Gulistan", "Гулистан", "Guliston", "City", ["Uzbekistan", "UZ"]],
  ["guliston-tj", "Guliston", "Гулистон", null, "City", ["Tajikistan", "TJ"]],
  ["almaty", "Almaty", "Алматы", null, "City", ["Kazakhstan", "KZ"]],
  ["almaty-railway-bypass", "Almaty railway bypass", "обход Алматы", null, "Railway line", ["Kazakhstan", "KZ"]],
  ["darbaza-maktaaral-railway", "Darbaza–Maktaaral railway line", null, null, "Railway line", ["Kazakhstan", "KZ"]],
  ["bahri-tojik-reservoir", "Bahri Tojik reservoir", "Кайраккумское водохранилище", "Qayroqqum", "Reservoir", ["Tajikistan", "TJ"]],
  ["kayrakkum-dam", "Kayrakkum dam", "Кайраккумская ГЭС", null, "Dam", ["Tajikistan", "TJ"]],
  ["tashkent", "Tashkent", "Ташкент", "Toshkent", "Capital", ["Uzbekistan", "UZ"]],
];
const index = places.map(([id, name, ru, local, kind, country]) =>
  S.makeEntry({ id }, [name, ru, local, id.replace(/-/g, " ")], [kind].concat(country)));
const ids = (query) => S.rank(index, query, 12).map((item) => item.id);

test("words in any order, any case", () => {
  assert.equal(ids("Almaty bypass")[0], "almaty-railway-bypass");
  assert.equal(ids("bypass almaty")[0], "almaty-railway-bypass");
  assert.equal(ids("Gulistan checkpoint")[0], "gulistan-checkpoint");
  assert.equal(ids("Darbaza Maktaaral")[0], "darbaza-maktaaral-railway");
  assert.equal(ids("ALMATY")[0], "almaty");
});

test("one typo is forgiven", () => {
  assert.equal(ids("Atamken")[0], "atameken-checkpoint");
  assert.equal(ids("Tashkant")[0], "tashkent");
});

test("Latin and Cyrillic spellings of one name meet", () => {
  for (const q of ["Kayrakkum", "Kairakkum", "Qayroqqum", "Кайраккум"]) {
    const found = ids(q);
    assert.ok(found.includes("kayrakkum-dam"), q + " -> " + found);
    assert.ok(found.includes("bahri-tojik-reservoir"), q + " -> " + found);
  }
  assert.deepEqual(ids("Toshkent"), ["tashkent"]);
});

test("namesakes stay apart, the one spelled as typed first", () => {
  assert.deepEqual(ids("Гулистан").sort(), ["gulistan-checkpoint", "gulistan-uz", "guliston-tj"]);
  assert.equal(ids("Guliston")[0], "guliston-tj");
  assert.equal(ids("Gulistan")[0], "gulistan-uz");
});

test("kind and country match too; nothing matches nothing", () => {
  assert.ok(ids("dam Tajikistan").includes("kayrakkum-dam"));
  assert.deepEqual(ids("zzzz"), []);
  assert.deepEqual(ids("   "), []);
});

test("edit distance of one", () => {
  assert.ok(S.withinOneEdit("atameken", "atamken"));
  assert.ok(S.withinOneEdit("abc", "abd"));
  assert.ok(!S.withinOneEdit("abc", "acb d"));
  assert.ok(!S.withinOneEdit("abcd", "badc"));
});
