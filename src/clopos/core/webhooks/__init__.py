"""Webhooks: subscriptions per brand, events made from the change log, signed deliveries."""
