/* The panel's language switch: one button per language the page carries, each named in its own
 * language; pressing one sets the state's `lang` (kept in the URL), and the page redraws its
 * words in place (the page's setLanguage): nothing is loaded. */
(function (root) {
  "use strict";

  var P = root.AtlasParts;
  var el = P.dom.el;

  var LanguageControl = P.controls.PanelSection.extend({
    onAdd: function () {
      var api = this.mapApi;
      var state = this.state;
      var tr = api.tr;
      var box = el("div", { className: "atlas-language", role: "group", "aria-label": tr.t("Language") });
      var buttons = {};
      api.languages.forEach(function (code) {
        var button = el("button", { type: "button", className: "atlas-language-button", lang: code, "data-lang": code, text: tr.languageName(code) });
        button.addEventListener("click", function () { state.set({ lang: code }); });
        buttons[code] = button;
        box.appendChild(button);
      });
      var sync = function () {
        Object.keys(buttons).forEach(function (code) { buttons[code].setAttribute("aria-pressed", String(code === state.lang)); });
      };
      this.onStateChange(sync);
      sync();
      return box;
    },
  });

  P.controls.LanguageControl = LanguageControl;
})(typeof window !== "undefined" ? window : globalThis);
