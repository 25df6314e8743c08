// A stand-in for the browser's document, enough for the page script's DOM builders (dom.js el):
// elements with attributes, children and text, and text nodes. Installed as global.document.
"use strict";

class Text {
  constructor(text) { this.nodeType = 3; this.data = String(text); }
  get textContent() { return this.data; }
}

class Element {
  constructor(tag) {
    this.nodeType = 1;
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.childNodes = [];
    this.style = { setProperty(name, value) { this[name] = value; } };
  }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return Object.prototype.hasOwnProperty.call(this.attributes, name) ? this.attributes[name] : null; }
  get className() { return this.getAttribute("class") || ""; }
  set className(value) { this.setAttribute("class", value); }
  appendChild(child) { this.childNodes.push(child); return child; }
  get children() { return this.childNodes.filter((c) => c.nodeType === 1); }
  get textContent() { return this.childNodes.map((c) => c.textContent).join(""); }
  set textContent(value) { this.childNodes = value === "" ? [] : [new Text(value)]; }
  /** Every descendant element matching a tag name ("li") or a class (".atlas-cite"). */
  findAll(selector) {
    const out = [];
    const match = selector.startsWith(".")
      ? (e) => e.className.split(" ").includes(selector.slice(1))
      : (e) => e.tagName === selector.toUpperCase();
    const visit = (node) => node.children.forEach((c) => { if (match(c)) out.push(c); visit(c); });
    visit(this);
    return out;
  }
}

const document = {
  createElement: (tag) => new Element(tag),
  createElementNS: (ns, tag) => new Element(tag),
  createTextNode: (text) => new Text(text),
};

global.document = document;
module.exports = { document, Element, Text };
