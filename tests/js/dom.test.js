// Unit tests of the page's DOM helpers (geo/webmap/assets/parts/dom.js): the one helper that makes
// HTML of a data string (for Leaflet's attribution control) leaves no markup in it.
const test = require("node:test");
const assert = require("node:assert/strict");
const D = require("../../geo/webmap/assets/parts/dom.js");

test("a data string given to the attribution control is text, in its own bidi isolate", () => {
  assert.equal(D.htmlText("Map data © OpenStreetMap contributors, ODbL 1.0"), "<bdi>Map data © OpenStreetMap contributors, ODbL 1.0</bdi>");
  const hostile = `</bdi><img src=x onerror="alert(1)">&amp;'\u202e`;
  const html = D.htmlText(hostile);
  assert.equal(html, "<bdi>&lt;/bdi&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;amp;&#39;\u202e</bdi>");
  assert.equal((html.match(/</g) || []).length, 2); // the isolate's own two tags, nothing else
});
