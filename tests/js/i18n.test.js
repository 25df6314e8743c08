// Unit tests of the page's languages (geo/webmap/assets/parts/i18n.js) with a bundle shaped as
// geo/webmap/languages.py writes it; the Python side is checked against Babel in tests/test_i18n.py.
const test = require("node:test");
const assert = require("node:assert/strict");
const I = require("../../geo/webmap/assets/parts/i18n.js");

// Russian's CLDR rule as the catalog's Plural-Forms formula computes it, 0..199.
const ruTable = Array.from({ length: 200 }, (_, n) => (n % 10 === 1 && n % 100 !== 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? 1 : 2));
const bundle = {
  languages: ["en", "ru"], names: { en: "English", ru: "Русский" },
  messages: { ru: { "Map layers": "Слои карты", "{n} place found": ["найдено {n} место", "найдено {n} места", "найдено {n} мест"], "Map: {title}": "Карта: {title}", "Dam": "Плотина", "Operational": "Действует" } },
  plurals: { en: Array.from({ length: 200 }, (_, n) => (n === 1 ? 0 : 1)), ru: ruTable },
  numbers: { en: { decimal: ".", group: ",", km: "{0} km", m: "{0} m" }, ru: { decimal: ",", group: "\u00a0", km: "{0} км", m: "{0} м" } },
  dates: { en: { "2024-05-09": "9 May 2024" }, ru: { "2024-05-09": "9 мая 2024\u202fг." } },
  unknown_date: { en: "date unknown", ru: "дата неизвестна" },
  figures: { ru: { f1: { values: ["2,19\u00a0млрд\u00a0$"], period: "январь\u00a0— июль 2023\u202fг." } } },
  texts: { ru: { map: { title: "Обзор" }, layers: { dams: { title: "Плотины" } }, countries: { KG: "Кыргызстан" },
    features: { rogun: { note: "Примечание." } }, projects: { p1: { summary: "Сводка." } }, events: {}, figures: {} } },
};

test("messages, placeholders and Russian plural forms", () => {
  const ru = new I.Lang(bundle, "ru");
  assert.equal(ru.t("Map layers"), "Слои карты");
  assert.equal(ru.t("Map: {title}", { title: "X" }), "Карта: X");
  assert.equal(ru.t("Not in the catalog"), "Not in the catalog");
  assert.deepEqual([1, 2, 5, 11, 21, 22, 112, 1001].map((n) => ru.tn("{n} place found", "{n} places found", n)),
    ["найдено 1 место", "найдено 2 места", "найдено 5 мест", "найдено 11 мест", "найдено 21 место", "найдено 22 места", "найдено 112 мест", "найдено 1\u00a0001 место"]);
  const en = new I.Lang(bundle, "en");
  assert.equal(en.tn("{n} place found", "{n} places found", 1), "1 place found");
  assert.equal(en.tn("{n} place found", "{n} places found", 1234), "1,234 places found");
  assert.equal(new I.Lang(bundle, "xx").lang, "en", "an unknown language is the first one");
});

test("numbers, distances and dates as the build formatted them", () => {
  const ru = new I.Lang(bundle, "ru");
  assert.equal(ru.number(2190000), "2\u00a0190\u00a0000");
  assert.equal(ru.number(7.5), "7,5");
  assert.equal(ru.distance(12345), "12,3 км");
  assert.equal(ru.distance(420), "420 м");
  assert.equal(ru.date("2024-05-09"), "9 мая 2024\u202fг.");
  assert.equal(ru.date(null), "дата неизвестна");
  assert.deepEqual(ru.figure("f1").values, ["2,19\u00a0млрд\u00a0$"]);
  assert.equal(new I.Lang(bundle, "en").distance(8000), "8 km");
});

test("the data in Russian is a new view; the English records stay as they were", () => {
  const data = {
    map: { title: "Overview", description: "All." }, layers: [{ id: "dams", title: "Dams" }],
    projects: { p1: { name: "Upgrade", summary: "A summary." } }, events: {}, figures: {},
    vocabulary: { kinds: { dam: { label: "Dam", symbol: "triangle" } }, statuses: { operational: "Operational", "": "Not a project" }, events: {}, countries: { KG: "Kyrgyzstan" }, fallback: { label: "Feature" } },
  };
  const ru = I.localizeData(data, new I.Lang(bundle, "ru"));
  assert.equal(ru.map.title, "Обзор");
  assert.equal(ru.map.description, "All.", "an untranslated text stays English");
  assert.equal(ru.layers[0].title, "Плотины");
  assert.equal(ru.projects.p1.summary, "Сводка.");
  assert.equal(ru.vocabulary.kinds.dam.label, "Плотина");
  assert.equal(ru.vocabulary.kinds.dam.symbol, "triangle");
  assert.equal(ru.vocabulary.statuses.operational, "Действует");
  assert.equal(ru.vocabulary.countries.KG, "Кыргызстан");
  assert.equal(data.projects.p1.summary, "A summary.");
  assert.equal(data.vocabulary.kinds.dam.label, "Dam");
});

test("a feature's name: the Russian one first in Russian, the English among the others; back again", () => {
  const f = { id: "rogun", name: "Rogun", name_ru: "Рогун", name_local: "Роғун", local_lang: "tg", note: "A note.", geometry_source: "OSM." };
  I.localizeFeature(f, new I.Lang(bundle, "ru"));
  assert.equal(f.name, "Рогун");
  assert.deepEqual(f.altNames, ["Rogun", "Роғун (tg)"]);
  assert.equal(f.note, "Примечание.");
  I.localizeFeature(f, new I.Lang(bundle, "en"));
  assert.equal(f.name, "Rogun");
  assert.deepEqual(f.altNames, ["Рогун", "Роғун (tg)"]);
  assert.equal(f.note, "A note.");
});

test("the first visit opens in the browser's first preferred language the page has", () => {
  assert.equal(I.preferredLanguage(bundle, ["ru-RU", "en"]), "ru");
  assert.equal(I.preferredLanguage(bundle, ["kk-KZ", "ru"]), "ru");
  assert.equal(I.preferredLanguage(bundle, ["de-DE"]), "en");
  assert.equal(I.preferredLanguage(bundle, []), "en");
});
