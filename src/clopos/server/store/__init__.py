"""Database models, engine and session handling, and the per-brand id sequences."""
