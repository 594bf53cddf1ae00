"""Reggi: cited answers about regulations, for in-house legal teams."""

__version__ = "0.1.0"
