"""folium, imported without pandas: a fifth of a second that no map build needs.

folium imports pandas only to recognise DataFrames passed as locations or data (its own
`try: import pandas` makes it optional); the atlas hands folium its own JSON and never a
DataFrame. Hiding pandas during that one import keeps `geo build` import-bound
(bench/import_time.py). When pandas is already loaded (an export earlier in the same
process), folium simply sees it.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import cast

if "folium" not in sys.modules and "pandas" not in sys.modules:
    sys.modules["pandas"] = cast(ModuleType, None)  # `import pandas` raises ImportError meanwhile
    try:
        import folium
    finally:
        del sys.modules["pandas"]

import folium

__all__ = ["folium"]
