"""Catalogue and customer tables (filled in by the catalogue work)."""
