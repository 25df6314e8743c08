"""Reference atlas of Central Asia's new trade corridors and border sites."""

__version__ = "0.1.0"
