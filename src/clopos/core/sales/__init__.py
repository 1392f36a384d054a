"""Sale types and payment methods."""
