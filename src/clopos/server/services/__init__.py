"""Domain logic shared by both API versions and the CLI."""
