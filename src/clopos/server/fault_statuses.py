"""The statuses the sandbox can be armed to answer with: the reference's documented errors.
Free of the server's dependencies, so that the CLI (installable without them) offers the
same ones the server accepts."""

from __future__ import annotations

FAULT_STATUSES = (429, 500, 502, 503, 504)


def status_refusal(status: int) -> str | None:
    """Why `status` cannot be armed; None when it can."""
    if status in FAULT_STATUSES:
        return None
    return f"status must be one of {', '.join(map(str, FAULT_STATUSES))}"
