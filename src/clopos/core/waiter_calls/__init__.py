"""Waiter calls: a guest at a table asks for the waiter or for the bill (the e-menu's button)."""
