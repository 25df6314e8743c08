/* Pure: the page in one of its languages. Everything comes from the payload's "i18n" block,
 * written at build time (geo/webmap/languages.py): the gettext messages (msgid -> text, or the
 * plural forms of a counted text), the plural rule as a table, number symbols, and every date,
 * figure value and data text already formatted or translated. Nothing is formatted by the
 * browser's Intl, which lacks most of the region's locales. Loadable by Node for its tests. */
(function (root) {
  "use strict";

  var PLURAL_TABLE = 200; // geo/messages.py PLURAL_TABLE_SIZE

  function has(object, key) { return !!object && Object.prototype.hasOwnProperty.call(object, key); }

  function fill(text, params) {
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return has(params, name) ? String(params[name]) : whole; });
  }

  /** bundle: payload.i18n; lang: one of bundle.languages (an unknown one is English). */
  function Lang(bundle, lang) {
    this.bundle = bundle || { languages: ["en"] };
    this.lang = this.bundle.languages.indexOf(lang) >= 0 ? lang : this.bundle.languages[0];
    this.messages = (this.bundle.messages || {})[this.lang] || {};
    this.table = (this.bundle.plurals || {})[this.lang] || null;
    this.symbols = (this.bundle.numbers || {})[this.lang] || { decimal: ".", group: ",", km: "{0} km", m: "{0} m" };
  }

  /** The interface text of a msgid, with {name} placeholders filled from params. */
  Lang.prototype.t = function (msgid, params) {
    var text = has(this.messages, msgid) && typeof this.messages[msgid] === "string" && this.messages[msgid] ? this.messages[msgid] : msgid;
    return fill(text, params);
  };

  Lang.prototype.pluralIndex = function (n) {
    n = Math.abs(Math.floor(n));
    if (!this.table) return n === 1 ? 0 : 1;
    return n < PLURAL_TABLE ? this.table[n] : this.table[100 + (n % 100)];
  };

  /** A counted text: tn("{n} place found", "{n} places found", 3) in the language's plural form. */
  Lang.prototype.tn = function (singular, plural, n, params) {
    var forms = this.messages[singular];
    var index = this.pluralIndex(n);
    var text = Array.isArray(forms) && forms[index] ? forms[index] : n === 1 ? singular : plural;
    return fill(text, Object.assign({ n: this.number(n) }, params || {}));
  };

  /** A number grouped and with the decimal mark of the language (at most 3 decimals). */
  Lang.prototype.number = function (value) {
    var v = Math.round(Number(value) * 1000) / 1000;
    var negative = v < 0;
    var parts = Math.abs(v).toString().split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, this.symbols.group);
    return (negative ? "-" : "") + whole + (parts[1] ? this.symbols.decimal + parts[1] : "");
  };

  /** A length: metres below a kilometre, else kilometres to 0.1 (as geo/formatting.py). */
  Lang.prototype.distance = function (metres) {
    if (metres >= 1000) return this.symbols.km.replace("{0}", this.number(Math.round(metres / 100) / 10));
    return this.symbols.m.replace("{0}", this.number(Math.round(metres)));
  };

  /** A partial ISO date as the build formatted it ("9 мая 2024 г."); no date: "date unknown". */
  Lang.prototype.date = function (iso) {
    if (!iso) return ((this.bundle.unknown_date || {})[this.lang]) || "date unknown";
    var dates = (this.bundle.dates || {})[this.lang] || {};
    return has(dates, iso) ? dates[iso] : String(iso);
  };

  /** A figure's formatted values, period and measured size ({values, period, measured}). */
  Lang.prototype.figure = function (id) {
    var figures = (this.bundle.figures || {})[this.lang] || {};
    return has(figures, id) ? figures[id] : { values: [], period: "" };
  };

  /** The data's text in this language: section "layers", record id, field; else the English. */
  Lang.prototype.text = function (section, id, field, english) {
    var texts = (this.bundle.texts || {})[this.lang];
    var records = texts && texts[section];
    var record = records && (id === null ? records : records[id]);
    return record && has(record, field) && record[field] ? record[field] : english;
  };

  /** The language's own name of a language code (the menu's words). */
  Lang.prototype.languageName = function (code) { return ((this.bundle.names || {})[code]) || code; };

  /**
   * The payload's records with their texts in `lang`: new objects, the English ones untouched, so
   * switching back and forth never mixes languages. Vocabulary names go through the messages.
   */
  function localizeData(data, lang) {
    var copy = function (pool, section, fields) {
      var out = {};
      Object.keys(pool || {}).forEach(function (id) {
        var record = Object.assign({}, pool[id]);
        fields.forEach(function (f) { if (record[f]) record[f] = lang.text(section, id, f, record[f]); });
        out[id] = record;
      });
      return out;
    };
    var out = Object.assign({}, data);
    out.map = Object.assign({}, data.map, {
      title: lang.text("map", null, "title", data.map.title),
      description: lang.text("map", null, "description", data.map.description),
    });
    out.credits = (data.credits || []).map(function (line) { return lang.text("credits", null, line, line); });
    out.projects = copy(data.projects, "projects", ["name", "summary"]);
    out.events = copy(data.events, "events", ["title", "note"]);
    out.figures = copy(data.figures, "figures", ["label", "note"]);
    Object.keys(out.figures).forEach(function (id) {
      var notes = lang.text("figures", id, "alternative_notes", null);
      var figure = out.figures[id];
      if (notes && figure.alternatives) {
        figure.alternatives = figure.alternatives.map(function (a, n) { return a && notes[n] ? Object.assign({}, a, { note: notes[n] }) : a; });
      }
    });
    var vocab = data.vocabulary;
    var kinds = {};
    Object.keys(vocab.kinds).forEach(function (k) { kinds[k] = Object.assign({}, vocab.kinds[k], { label: lang.t(vocab.kinds[k].label) }); });
    var statuses = {};
    Object.keys(vocab.statuses).forEach(function (k) { statuses[k] = vocab.statuses[k] ? lang.t(vocab.statuses[k]) : vocab.statuses[k]; });
    var events = {};
    Object.keys(vocab.events).forEach(function (k) { events[k] = lang.t(vocab.events[k]); });
    var countries = {};
    Object.keys(vocab.countries).forEach(function (k) { countries[k] = lang.text("countries", null, k, vocab.countries[k]); });
    out.vocabulary = Object.assign({}, vocab, {
      kinds: kinds, statuses: statuses, events: events, countries: countries,
      fallback: Object.assign({}, vocab.fallback, { label: lang.t(vocab.fallback.label) }),
    });
    out.layers = data.layers.map(function (layer) {
      return Object.assign({}, layer, {
        title: lang.text("layers", layer.id, "title", layer.title),
        description: lang.text("layers", layer.id, "description", layer.description),
      });
    });
    return out;
  }

  /**
   * A feature's texts in `lang`, set on the feature: `name` (the Russian name first in Russian),
   * `altNames` (the other names), `note`, `geometry_source`. The English ones are kept aside.
   */
  function localizeFeature(feature, lang) {
    if (!feature.en) feature.en = { name: feature.name, note: feature.note, geometry_source: feature.geometry_source };
    var en = feature.en;
    var inLang = feature["name_" + lang.lang];
    var own = inLang || en.name;
    feature.name = own;
    var alt = [];
    if (own !== en.name) alt.push(en.name);
    if (feature.name_ru && feature.name_ru !== own) alt.push(feature.name_ru);
    if (feature.name_local && feature.name_local !== own) alt.push(feature.name_local + (feature.local_lang ? " (" + feature.local_lang + ")" : ""));
    feature.altNames = alt;
    feature.note = en.note ? lang.text("features", feature.id, "note", en.note) : en.note;
    feature.geometry_source = en.geometry_source ? lang.text("features", feature.id, "geometry_source", en.geometry_source) : en.geometry_source;
    return feature;
  }

  /** The language a first visit opens in: the browser's first preferred language the page has. */
  function preferredLanguage(bundle, navigatorLanguages) {
    var langs = (bundle && bundle.languages) || ["en"];
    var wanted = navigatorLanguages || [];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").toLowerCase().split("-")[0];
      if (langs.indexOf(code) >= 0) return code;
    }
    return langs[0];
  }

  var api = { Lang: Lang, localizeData: localizeData, localizeFeature: localizeFeature, preferredLanguage: preferredLanguage };
  root.AtlasParts = root.AtlasParts || {};
  root.AtlasParts.i18n = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
