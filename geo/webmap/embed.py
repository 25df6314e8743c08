"""The one place where data becomes page text: JSON data blocks and escaped HTML.

Data never passes through Jinja (folium compiles rendered element scripts as templates a second
time), never lands in JS source, and never reaches innerHTML: the page's script reads it with
JSON.parse from a <script type="application/json"> block and sets it with textContent.
"""

from __future__ import annotations

import html
from typing import Any

from geo.jsontext import to_json

# Inside a <script> element the HTML parser ends the element at "</script" and treats "<!--"
# specially; escaping "<", ">" and "&" as JSON \u escapes makes any string inert there, and
# U+2028/U+2029 are escaped for old JS engines that treat them as line breaks.
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_for_script(value: Any) -> str:
    """JSON text that can sit inside a <script> element without ending or changing it."""
    text = to_json(value)
    for char, escaped in _SCRIPT_SAFE:  # str.replace is C-fast; str.translate is not, at 100 MB
        text = text.replace(char, escaped)
    return text


def json_data_block(element_id: str, value: Any) -> str:
    """A non-executing <script type="application/json"> block holding `value`."""
    return (
        f'<script type="application/json" id="{html.escape(element_id, quote=True)}">{json_for_script(value)}</script>'
    )


def escape_html(text: str) -> str:
    """Text for HTML element content or a quoted attribute value."""
    return html.escape(text, quote=True)


def inline_script(code: str) -> str:
    """Trusted JS from a package (Leaflet, our own) inlined; '</script' inside it is defused."""
    return "<script>" + _defuse_script_end(code) + "</script>"


def inline_style(css: str) -> str:
    return "<style>" + css.replace("</style", "<\\/style") + "</style>"


def _defuse_script_end(code: str) -> str:
    lowered = code.lower()
    if "</script" not in lowered and "<!--" not in lowered:
        return code
    out, start = [], 0
    while True:
        index = lowered.find("</script", start)
        if index < 0:
            break
        out.append(code[start:index] + "<\\/")
        start = index + 2
    out.append(code[start:])
    return "".join(out).replace("<!--", "<\\!--")
