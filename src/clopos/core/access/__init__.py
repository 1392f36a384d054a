"""Brands, integrators, API clients and signing keys: who may call the API."""
