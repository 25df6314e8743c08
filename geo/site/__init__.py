"""The publishable site: a landing page, a page per feature, the changelog and its Atom feed.

It stands on the catalog alone; the maps, preview images and downloads it links are made by the
other output packages and handed to it as bytes (geo/site_build.py composes them).
"""
