// Unit tests of the popup builder (geo/webmap/assets/parts/popup.js) against a stand-in document.
const test = require("node:test");
const assert = require("node:assert/strict");
require("./stand_in_document.js");
require("../../geo/webmap/assets/parts/dom.js");
const { Lang, localizeFeature } = require("../../geo/webmap/assets/parts/i18n.js");
const { vocabularyNames } = require("../../geo/webmap/assets/parts/names.js");
const Popup = require("../../geo/webmap/assets/parts/popup.js");

const vocab = {
  kinds: { dam: { label: "Dam" } }, countries: { TJ: "Tajikistan" },
  statuses: { operational: "Operational", planned: "Planned" }, events: { agreement: "Agreement" },
};
const names = vocabularyNames(vocab);
// The payload's i18n block for English as the build writes it (geo/webmap/languages.py).
const en = new Lang({
  languages: ["en", "ru"], plurals: { en: null }, numbers: { en: { decimal: ".", group: ",", km: "{0} km", m: "{0} m" } },
  dates: { en: { "2024-08-22": "22 August 2024", "2023-05": "May 2023", "2026": "2026" } },
  figures: { en: { f1: { values: ["3,000 MW", "3,600 MW"], period: "" } } },
}, "en");

const data = {
  sources: {
    s1: { title: "Report", url: "https://example.org/r", publisher: "Ministry", published: "2024-08-22" },
    s2: { title: "<b>Article</b>", url: "javascript:alert(1)", published: null, file: "seeds/a.md" },
    s3: { title: "Never cited" },
  },
  projects: { p1: { name: "Upgrade", status: "planned", summary: "A summary.", sources: ["s2"] } },
  figures: { f1: { label: "Capacity", value: 3000, unit: "MW", sources: ["s1"], alternatives: [{ value: 3600, sources: ["s2"] }] } },
  events: {
    e1: { kind: "agreement", title: "Signed", date: "2023-05", sources: ["s1"] },
    e2: { kind: "opening", title: "Opens", date: "2026", sources: ["s2"] },
  },
};

function feature(extra) {
  return localizeFeature(Object.assign({
    id: "rogun", name: "Rogun", name_ru: "Рогун", name_local: null, local_lang: null, kind: "dam", country: ["TJ"],
    status: "operational", schematic: false, accuracy_m: 200, geometry_source: "OSM way 1.", note: "A note.",
    projects: [], sources: ["s1"], events: [], figures: [],
  }, extra || {}), en);
}

test("sources are numbered in the order they are first cited, and only cited ones are listed", () => {
  const f = feature({ projects: ["p1"], figures: ["f1"], events: ["e1"] });
  assert.deepEqual(Popup.citationOrder(f, data), ["s1", "s2"]);
  const node = Popup.buildPopup(f, data, names, null, en);
  const listed = node.findAll("li").filter((li) => li.getAttribute("data-source")).map((li) => li.getAttribute("data-source"));
  assert.deepEqual(listed, ["s1", "s2"]);
  assert.deepEqual(node.findAll(".atlas-cite").map((c) => c.textContent), ["[1]", "[1]", "[2]", "[1]", "[2]", "[1]"]);
});

test("the title, names, kind, country and status come from the data and the vocabulary", () => {
  const node = Popup.buildPopup(feature(), data, names, null, en);
  assert.equal(node.getAttribute("data-feature-id"), "rogun");
  assert.equal(node.findAll("h2")[0].textContent, "Rogun");
  assert.equal(node.findAll(".atlas-altnames")[0].textContent, "Рогун");
  assert.equal(node.findAll(".atlas-meta")[0].textContent, "Dam · Tajikistan Operational");
  assert.match(node.findAll(".atlas-position")[0].textContent, /^Position\. Within about .* of the true place\. OSM way 1\.\[1\]$/);
  const schematic = Popup.buildPopup(feature({ schematic: true, accuracy_m: 5000 }), data, names, null, en);
  assert.match(schematic.findAll(".atlas-position")[0].textContent, /^Schematic geometry\. /);
  const rough = Popup.buildPopup(feature({ accuracy_m: 5000 }), data, names, null, en);
  assert.match(rough.findAll(".atlas-position")[0].textContent, /^Approximate position\. /);
});

test("data text stays text and only web links become links", () => {
  const node = Popup.buildPopup(feature({ sources: ["s1", "s2"], name: "<img src=x onerror=alert(1)>" }), data, names, null, en);
  assert.equal(node.findAll("h2")[0].textContent, "<img src=x onerror=alert(1)>");
  assert.equal(node.findAll("img").length, 0);
  const links = node.findAll("a");
  assert.deepEqual(links.map((a) => a.getAttribute("href")), ["https://example.org/r"]);
  const plain = node.findAll("li").find((li) => li.getAttribute("data-source") === "s2");
  assert.equal(plain.textContent, "<b>Article</b> (undated, text: seeds/a.md)");
});

test("figures show every source's value, and events after the timeline's date are marked", () => {
  const f = feature({ figures: ["f1"], events: ["e1", "e2"] });
  const node = Popup.buildPopup(f, data, names, "2024", en);
  const figure = node.findAll("li").find((li) => li.getAttribute("data-figure") === "f1");
  assert.equal(figure.findAll("strong").length, 2);
  assert.equal(figure.findAll(".atlas-disagree").length, 1);
  const events = node.findAll(".atlas-events")[0].children;
  assert.equal(events[0].className, "");
  assert.equal(events[1].className, "atlas-future");
  assert.match(events[1].textContent, /— opening: Opens/, "an event kind the vocabulary lacks is shown as it is");
  assert.match(events[1].textContent, /after the timeline's date/);
  assert.equal(Popup.buildPopup(f, data, names, null, en).findAll(".atlas-future").length, 0);
});

test("missing projects, figures, events and sources are left out, not shown broken", () => {
  const f = feature({ projects: ["nope"], figures: ["nope"], events: ["nope"], sources: ["nope"], note: null });
  const node = Popup.buildPopup(f, data, names, null, en);
  assert.equal(node.findAll(".atlas-cite").length, 0);
  assert.equal(node.findAll(".atlas-project").length, 0);
  assert.equal(node.findAll(".atlas-sources")[0].children.length, 0);
});

test("a status over a year old at build time reads 'status as of <date>' in the page's language; a fresh one does not", () => {
  const stale = Popup.buildPopup(feature({ status: "planned", status_as_of: "2024-08-22", status_stale: true }), data, names, null, en);
  assert.deepEqual(stale.findAll(".atlas-as-of").map((n) => n.textContent), ["status as of 22 August 2024"]);
  const fresh = Popup.buildPopup(feature({ status: "planned", status_as_of: "2026", status_stale: false }), data, names, null, en);
  assert.equal(fresh.findAll(".atlas-as-of").length, 0);
  const projects = { p2: { name: "Line", status: "planned", status_as_of: "2023-05", status_stale: true, summary: "S.", sources: ["s1"] } };
  const withProject = Popup.buildPopup(feature({ projects: ["p2"] }), { ...data, projects }, names, null, en);
  assert.deepEqual(withProject.findAll(".atlas-as-of").map((n) => n.textContent), ["status as of May 2023"]);
  const ru = new Lang({
    languages: ["en", "ru"], plurals: { ru: [0, 1, 2, 2, 2, 2] }, numbers: { ru: { decimal: ",", group: " ", km: "{0} км", m: "{0} м" } },
    dates: { ru: { "2024-08-22": "22 августа 2024 г." } }, figures: { ru: {} },
    messages: { ru: { "status as of {date}": "статус на {date}" } },
  }, "ru");
  const russian = Popup.buildPopup(feature({ status: "planned", status_as_of: "2024-08-22", status_stale: true }), data, names, null, ru);
  assert.deepEqual(russian.findAll(".atlas-as-of").map((n) => n.textContent), ["статус на 22 августа 2024 г."]);
});

test("an event with a status shows it as a step of the status history", () => {
  const events = { e3: { kind: "agreement", title: "Works begin", date: "2023-05", status: "planned", sources: ["s1"] } };
  const node = Popup.buildPopup(feature({ events: ["e3"] }), { ...data, events }, names, null, en);
  // The feature's own status badge, then the event's.
  assert.deepEqual(node.findAll(".atlas-status").map((n) => n.textContent), ["Operational", "Planned"]);
});
