"""Receipts (open and closed checks), their lines, payments, and the stock they consume."""
