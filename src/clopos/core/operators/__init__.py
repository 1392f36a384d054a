"""Operator accounts: the people who sign in to the venue console."""
