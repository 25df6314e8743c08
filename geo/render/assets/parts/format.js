/* Pure: dates, numbers with units, figures (with other sources' values and measured sizes). */
(function (root) {
  "use strict";

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var HEDGES = { about: "about ", over: "over ", nearly: "nearly ", up_to: "up to " };

  function formatDate(date) {
    if (!date) return "date unknown";
    var parts = String(date).split("-");
    if (parts.length === 1) return parts[0];
    var month = MONTHS[parseInt(parts[1], 10) - 1];
    if (parts.length === 2) return month + " " + parts[0];
    return parseInt(parts[2], 10) + " " + month + " " + parts[0];
  }

  function formatNumber(value) {
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 3 });
  }

  /** "$2.19 billion", "152 km", "about 40%": a value with its unit and qualifier. */
  function formatValue(figure) {
    var v = figure.value;
    var text;
    if (figure.unit === "USD") {
      if (Math.abs(v) >= 1e9) text = "$" + formatNumber(v / 1e9) + " billion";
      else if (Math.abs(v) >= 1e6) text = "$" + formatNumber(v / 1e6) + " million";
      else text = "$" + formatNumber(v);
    } else if (figure.unit === "percent") text = formatNumber(v) + "%";
    else if (figure.unit === "km2") text = formatNumber(v) + " km²";
    else if (figure.unit === "m2") text = formatNumber(v) + " m²";
    else if (figure.unit === "count" || !figure.unit) text = formatNumber(v);
    else if (figure.unit === "year") text = String(v);
    else text = formatNumber(v) + " " + figure.unit;
    return (HEDGES[figure.qualifier] || "") + text;
  }

  function formatPeriod(figure) {
    var bits = [];
    if (figure.period_start || figure.period_end) {
      var start = figure.period_start ? formatDate(figure.period_start) : "";
      var end = figure.period_end ? formatDate(figure.period_end) : "";
      bits.push(start && end ? start + " – " + end : start ? "from " + start : "by " + end);
    }
    if (figure.as_of) bits.push("as of " + formatDate(figure.as_of));
    return bits.join(", ");
  }

  function formatDistance(metres) {
    return metres >= 1000 ? formatNumber(Math.round(metres / 100) / 10) + " km" : Math.round(metres) + " m";
  }

  /**
   * The values a figure record states, each with the source ids that state it: the record's own
   * value first, then its `alternatives` (other sources' values for the same fact).
   */
  function figureValues(figure) {
    var out = [{ text: formatValue(figure), sources: figure.sources || [], note: null }];
    (figure.alternatives || []).forEach(function (alt) {
      if (!alt || typeof alt.value !== "number") return;
      out.push({ text: formatValue(alt), sources: alt.sources || [], note: alt.note || null });
    });
    return out;
  }

  /** Whether the sources of a figure give different values for it. */
  function sourcesDisagree(figure) {
    var values = figureValues(figure);
    for (var i = 1; i < values.length; i++) if (values[i].text !== values[0].text) return true;
    return false;
  }

  /** "stated 152 km · drawn 148 km" when the geometry's own size is known, else "". */
  function measuredText(figure) {
    var m = figure.measured;
    if (!m || typeof m.value !== "number") return "";
    return "stated " + formatValue({ value: figure.value, unit: figure.unit }) + " · drawn " + formatValue({ value: m.value, unit: m.unit });
  }

  var api = {
    MONTHS: MONTHS, formatDate: formatDate, formatNumber: formatNumber, formatValue: formatValue,
    formatPeriod: formatPeriod, formatDistance: formatDistance, figureValues: figureValues,
    sourcesDisagree: sourcesDisagree, measuredText: measuredText,
  };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.format = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
