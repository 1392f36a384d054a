"""Price lists and their prices."""
