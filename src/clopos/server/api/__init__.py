"""Thin routers: parse, call a service, shape the envelope. Each is mounted for v1 and v2."""
