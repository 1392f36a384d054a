"""Kitchen stations."""
