"""Credentials, tokens, the request guard, rate limits and the audit trail."""
