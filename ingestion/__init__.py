"""Turns regulation texts into a searchable Qdrant index."""
