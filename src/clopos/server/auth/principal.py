"""Who is calling: what the guard resolved from a token and the request's headers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller, scoped to one brand and one active venue for this request."""

    version: int
    client_id: str
    brand_id: int
    brand: str
    venue_id: int
    integrator_id: str | None
    scopes: frozenset[str]
    stage: str
