"""Benchmarks: `./dev bench` (or `python -m bench`)."""
