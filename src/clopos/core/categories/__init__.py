"""Menu categories (a tree)."""
