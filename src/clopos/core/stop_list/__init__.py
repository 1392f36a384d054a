"""The stop list: products with limited stock left."""
