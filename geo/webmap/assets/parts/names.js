/* Pure: the reader's names for the vocabulary's codes (kinds, countries, statuses, event kinds),
 * read from the payload's vocabulary; a code the vocabulary does not name is shown as it is. */
(function (root) {
  "use strict";

  function has(object, key) { return !!object && Object.prototype.hasOwnProperty.call(object, key); }

  /** vocab: payload.vocabulary -> {kind(code), country(code), status(code), event(code)}. */
  function vocabularyNames(vocab) {
    return {
      kind: function (kind) { return has(vocab.kinds, kind) ? vocab.kinds[kind].label : kind; },
      country: function (code) { return has(vocab.countries, code) && vocab.countries[code] ? vocab.countries[code] : code; },
      status: function (status) { var key = status || ""; return has(vocab.statuses, key) && vocab.statuses[key] ? vocab.statuses[key] : status; },
      event: function (kind) { return has(vocab.events, kind) && vocab.events[kind] ? vocab.events[kind] : kind; },
    };
  }

  var api = { vocabularyNames: vocabularyNames };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.names = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
