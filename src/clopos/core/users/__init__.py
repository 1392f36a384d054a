"""Staff members of a brand."""
