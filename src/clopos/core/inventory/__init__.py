"""Inventory: suppliers and the documents (supplies, transfers, waste, production, counts,
initial stock) that move stock besides sales."""
