"""Venues of a brand."""
