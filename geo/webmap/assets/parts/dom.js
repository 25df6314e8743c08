/* Small DOM helpers (they use the global document only when called, so Node tests can give
 * them a stand-in). Data strings reach the page only through textContent, createTextNode or
 * setAttribute of known-safe attributes; never through innerHTML. */
(function (root) {
  "use strict";

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined) return;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value);
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  /** A data string in its own bidi isolate: a right-to-left name, or an unclosed override
   * (U+202E) in a note, cannot reorder the page's own text around it (citation numbers, "·"). */
  function bdi(text) {
    return el("bdi", { text: text });
  }

  function safeUrl(url) {
    // Only web links become links; anything else (javascript:, data:) stays plain text.
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  /** A data string as HTML text, for the one place that only takes HTML: Leaflet's attribution
   * control (credits of the layers on the map). Each character HTML gives meaning is an entity,
   * and the text sits in its own bidi isolate, as bdi() puts it. */
  function htmlText(text) {
    var escaped = String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
    return "<bdi>" + escaped + "</bdi>";
  }

  var ICONS = {
    fullscreen: "M3 9V3h6M15 3h6v6M21 15v6h-6M9 21H3v-6",
    measure: "M3 17 17 3l4 4L7 21zM7 13l2 2M10 10l2 2M13 7l2 2",
  };

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.appendChild(path);
    return svg;
  }

  var api = { el: el, bdi: bdi, htmlText: htmlText, safeUrl: safeUrl, icon: icon };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.dom = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
