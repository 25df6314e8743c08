/* Pure: search ranking. Token and word-order free, case- and diacritics-insensitive, Cyrillic
 * and Latin spellings of one name meet (Kayrakkum / Kairakkum / Qayroqqum / Кайраккум), one
 * typo per word is forgiven. */
(function (root) {
  "use strict";

  // Russian, Kazakh, Uzbek and Tajik Cyrillic letters to a plain Latin spelling.
  var CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "k",
    "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ҳ": "h", "ҷ": "j", "ӣ": "i",
    "ӯ": "u", "ў": "u",
  };

  /** Lower case, no diacritics, Cyrillic spelled in Latin letters. */
  function fold(text) {
    var lowered = String(text || "").toLowerCase();
    var out = "";
    for (var i = 0; i < lowered.length; i++) {
      var c = lowered[i];
      out += Object.prototype.hasOwnProperty.call(CYRILLIC, c) ? CYRILLIC[c] : c;
    }
    return out.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[ʻʼ’'`]/g, "");
  }

  /** A spelling skeleton: the letters transliterations disagree on are merged. */
  function skeleton(word) {
    return word
      .replace(/dzh|dj/g, "j").replace(/zh/g, "j").replace(/kh|x/g, "h").replace(/q/g, "k")
      .replace(/y/g, "i").replace(/w/g, "v").replace(/o/g, "a").replace(/(.)\1+/g, "$1");
  }

  function words(text) {
    return fold(text).split(/[^a-z0-9\u0400-\u04ff\u0590-\u06ff\u4e00-\u9fff]+/).filter(Boolean);
  }

  /** True when a and b differ by at most one insertion, deletion or substitution. */
  function withinOneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    if (la > lb) { var t = a; a = b; b = t; la = a.length; lb = b.length; }
    var i = 0, j = 0, edits = 0;
    while (i < la && j < lb) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (la === lb) { i++; j++; } else { j++; }
    }
    return edits + (lb - j) + (la - i) <= 1;
  }

  /**
   * One searchable entry. `names` are what the thing is called (names, other names, id);
   * `extra` what it is (kind, country): they match too, with less weight.
   */
  function makeEntry(item, names, extra) {
    var entry = { item: item, name: [], nameRaw: [], primaryRaw: words(names[0] || ""), extra: [], phrase: [] };
    names.forEach(function (text) {
      if (!text) return;
      words(text).forEach(function (w) { entry.nameRaw.push(w); entry.name.push(skeleton(w)); });
      entry.phrase.push(words(text).map(skeleton).join(" "));
    });
    extra.forEach(function (text) {
      if (!text) return;
      words(text).forEach(function (w) { entry.extra.push(skeleton(w)); });
    });
    return entry;
  }

  function tokenScore(q, tokens) {
    var best = 0;
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      var s = 0;
      if (t === q) s = 10;
      else if (q.length >= 2 && t.indexOf(q) === 0) s = 7;
      else if (q.length >= 3 && t.indexOf(q) > 0) s = 4;
      else if (q.length >= 4 && withinOneEdit(q, t)) s = 3;
      else if (q.length >= 5 && t.length > q.length && withinOneEdit(q, t.slice(0, q.length))) s = 2;
      if (s > best) best = s;
    }
    return best;
  }

  /** Entries matching every word of the query, best first (ties keep the entries' order). */
  function rank(entries, query, limit) {
    var raw = words(query);
    if (!raw.length) return [];
    var qs = raw.map(skeleton);
    var phrase = qs.join(" ");
    var scored = [];
    entries.forEach(function (entry, order) {
      var total = 0;
      for (var k = 0; k < qs.length; k++) {
        var s = tokenScore(qs[k], entry.name);
        var e = tokenScore(qs[k], entry.extra) * 0.6;
        var best = Math.max(s, e);
        if (!best) return;
        if (entry.nameRaw.indexOf(raw[k]) >= 0) best += 2; // spelled exactly as written
        if (entry.primaryRaw.indexOf(raw[k]) >= 0) best += 1; // ... in its main name
        total += best;
      }
      if (entry.phrase.indexOf(phrase) >= 0) total += 20;
      scored.push({ entry: entry, score: total, order: order });
    });
    scored.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return scored.slice(0, limit || 12).map(function (s) { return s.entry.item; });
  }

  var api = { fold: fold, skeleton: skeleton, words: words, withinOneEdit: withinOneEdit, makeEntry: makeEntry, rank: rank };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.search = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
