"""Importing catalogues (YAML/JSON) and the demo café."""
