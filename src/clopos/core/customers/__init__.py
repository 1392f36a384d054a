"""Customers and customer groups."""
