"""Provisioning and access control: what `clopos admin` does, as plain service functions.

Every change to who may do what is a change to an access table, logged in the same
transaction (store/uow.py), so running servers see it on their next request.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from clopos.core.access.credentials import (
    SecretHasher,
    new_client_id,
    new_client_secret,
    new_secret_id,
)
from clopos.core.access.scopes import ALL_SCOPES, validate_scopes
from clopos.core.access.table import ApiClient, Brand, Integrator, SigningKey
from clopos.core.errors import Conflict, Invalid, NotFound
from clopos.core.venues.table import Venue
from clopos.store.base import utcnow
from clopos.store.models import AuditEvent
from clopos.store.sequences import next_ids, reserve_id

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{1,63}")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
BRAND_MODES = ("test", "production")


@dataclass(frozen=True)
class NewCredential:
    """A client and its secret: the secret exists only here and is shown once."""

    client: ApiClient
    secret: str


def get_brand(session: Session, slug: str) -> Brand:
    brand = session.scalar(select(Brand).where(Brand.slug == slug))
    if brand is None:
        raise NotFound(f"no brand '{slug}'")
    return brand


def list_brands(session: Session) -> list[Brand]:
    return list(session.scalars(select(Brand).order_by(Brand.id)))


def brand_slug_of(session: Session, brand_id: int) -> str:
    brand = session.get(Brand, brand_id)
    if brand is None:
        raise NotFound(f"no brand with id {brand_id}")
    return brand.slug


def list_integrators(session: Session) -> list[Integrator]:
    return list(session.scalars(select(Integrator).order_by(Integrator.created_at)))


def list_clients(session: Session, brand_slug: str | None = None) -> list[dict[str, Any]]:
    """Every client (of one brand), as operators see them."""
    query = select(ApiClient, Brand.slug).join(Brand).order_by(ApiClient.id)
    if brand_slug:
        query = query.where(Brand.slug == get_brand(session, brand_slug).slug)
    return [client_json(client, slug) for client, slug in session.execute(query).all()]


def get_client(session: Session, client_id: str) -> ApiClient:
    client = session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is None:
        raise NotFound(f"no client '{client_id}'")
    return client


def get_integrator(session: Session, integrator_id: str) -> Integrator:
    integrator = session.get(Integrator, integrator_id)
    if integrator is None:
        raise NotFound(f"no integrator '{integrator_id}'")
    return integrator


def create_brand(
    session: Session,
    slug: str,
    name: str | None = None,
    mode: str = "production",
    venue_name: str = "Main",
) -> Brand:
    """A brand with its main venue (id 1)."""
    if not _SLUG.fullmatch(slug):
        raise Invalid(f"invalid brand slug '{slug}': use 2-64 of a-z, 0-9, '-' and '_'")
    if mode not in BRAND_MODES:
        raise Invalid(f"invalid mode '{mode}': one of {', '.join(BRAND_MODES)}")
    if session.scalar(select(Brand.id).where(Brand.slug == slug)) is not None:
        raise Conflict(f"brand '{slug}' already exists")
    brand = Brand(slug=slug, name=name or slug, mode=mode)
    session.add(brand)
    session.flush()
    create_venue(session, slug, venue_name)
    return brand


def set_brand(
    session: Session, slug: str, *, enabled: bool | None = None, mode: str | None = None
) -> Brand:
    brand = get_brand(session, slug)
    if mode is not None:
        if mode not in BRAND_MODES:
            raise Invalid(f"invalid mode '{mode}': one of {', '.join(BRAND_MODES)}")
        brand.mode = mode
    if enabled is not None:
        if brand.enabled and not enabled:
            # As for a client: enabling the brand again must not bring back the tokens its
            # clients held when it was disabled.
            for client in session.scalars(select(ApiClient).where(ApiClient.brand_id == brand.id)):
                client.token_epoch += 1
        brand.enabled = enabled
    return brand


def create_venue(
    session: Session,
    brand_slug: str,
    name: str,
    *,
    venue_id: int | None = None,
    address: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Venue:
    brand = get_brand(session, brand_slug)
    if not name.strip():
        raise Invalid("a venue needs a name")
    if venue_id is None:
        venue_id = next_ids(session, brand.id, "venues")
    else:
        if session.get(Venue, (brand.id, venue_id)) is not None:
            raise Conflict(f"venue {venue_id} already exists in brand '{brand_slug}'")
        reserve_id(session, brand.id, "venues", venue_id)
    has_main = session.scalar(
        select(Venue.id).where(Venue.brand_id == brand.id, Venue.is_main.is_(True))
    )
    venue = Venue(
        brand_id=brand.id,
        id=venue_id,
        name=name,
        is_main=has_main is None,
        address=address,
        phone=phone,
        email=email,
        media=[],
    )
    session.add(venue)
    session.flush()
    return venue


def create_integrator(
    session: Session, name: str, *, integrator_id: str | None = None, is_test: bool = True
) -> Integrator:
    integrator_id = integrator_id or ("int_" + secrets.token_hex(8))
    if not _ID.fullmatch(integrator_id):
        raise Invalid(f"invalid integrator id '{integrator_id}'")
    if session.get(Integrator, integrator_id) is not None:
        raise Conflict(f"integrator '{integrator_id}' already exists")
    integrator = Integrator(id=integrator_id, name=name, is_test=is_test)
    session.add(integrator)
    session.flush()
    return integrator


def set_integrator(
    session: Session,
    integrator_id: str,
    *,
    enabled: bool | None = None,
    is_test: bool | None = None,
) -> Integrator:
    integrator = get_integrator(session, integrator_id)
    if enabled is not None:
        integrator.enabled = enabled
    if is_test is not None:
        integrator.is_test = is_test
    return integrator


def _check_venues(session: Session, brand_id: int, venue_ids: list[int]) -> None:
    known = set(session.scalars(select(Venue.id).where(Venue.brand_id == brand_id)))
    unknown = sorted(set(venue_ids) - known)
    if unknown:
        raise NotFound(f"no venue(s) {', '.join(map(str, unknown))} in this brand")


def create_client(
    session: Session,
    hasher: SecretHasher,
    brand_slug: str,
    *,
    name: str = "",
    venue_ids: list[int] | None = None,
    scopes: list[str] | None = None,
    client_id: str | None = None,
    secret: str | None = None,
) -> NewCredential:
    """A client of a brand, granted `venue_ids` (default: every venue) and `scopes` (all)."""
    brand = get_brand(session, brand_slug)
    client_id = client_id or new_client_id()
    if not _ID.fullmatch(client_id):
        raise Invalid(f"invalid client id '{client_id}'")
    if session.scalar(select(ApiClient.id).where(ApiClient.client_id == client_id)):
        raise Conflict(f"client '{client_id}' already exists")
    if venue_ids is None:
        venue_ids = list(session.scalars(select(Venue.id).where(Venue.brand_id == brand.id)))
    _check_venues(session, brand.id, venue_ids)
    try:
        granted = validate_scopes(list(ALL_SCOPES) if scopes is None else scopes)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    secret = secret or new_client_secret()
    client = ApiClient(
        client_id=client_id,
        brand_id=brand.id,
        name=name,
        secret_id=new_secret_id(),
        secret_hash=hasher.hash(secret),
        venue_ids=sorted(set(venue_ids)),
        scopes=granted,
        default_venue_id=min(venue_ids) if venue_ids else None,
    )
    session.add(client)
    session.flush()
    return NewCredential(client, secret)


def grant(
    session: Session,
    client_id: str,
    *,
    add_venues: Sequence[int] = (),
    remove_venues: Sequence[int] = (),
    scopes: Sequence[str] | None = None,
    add_scopes: Sequence[str] = (),
    remove_scopes: Sequence[str] = (),
    default_venue: int | None = None,
) -> ApiClient:
    """Change what a client may reach; takes effect on the client's next request."""
    client = get_client(session, client_id)
    _check_venues(
        session, client.brand_id, [*add_venues, *([default_venue] if default_venue else [])]
    )
    venues = (set(client.venue_ids) | set(add_venues)) - set(remove_venues)
    current = set(client.scopes) if scopes is None else set(scopes)
    try:
        client.scopes = validate_scopes(sorted((current | set(add_scopes)) - set(remove_scopes)))
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    client.venue_ids = sorted(venues)
    if default_venue is not None:
        if default_venue not in venues:
            raise Invalid(f"default venue {default_venue} is not granted to this client")
        client.default_venue_id = default_venue
    elif client.default_venue_id not in venues:
        client.default_venue_id = min(venues) if venues else None
    return client


def set_client_enabled(session: Session, client_id: str, enabled: bool) -> ApiClient:
    client = get_client(session, client_id)
    if not enabled:
        # Re-enabling later must not bring back tokens issued before the disable.
        client.token_epoch += 1
    client.enabled = enabled
    return client


def revoke_tokens(session: Session, client_id: str) -> ApiClient:
    """Invalidate every token issued to the client so far; the client itself stays usable."""
    client = get_client(session, client_id)
    client.token_epoch += 1
    return client


def start_rotation(session: Session, hasher: SecretHasher, client_id: str) -> str:
    """A second secret that works alongside the current one until completed or cancelled."""
    client = get_client(session, client_id)
    if client.pending_secret_id is not None:
        raise Conflict("a rotation is already in progress: complete or cancel it first")
    secret = new_client_secret()
    client.pending_secret_id = new_secret_id()
    client.pending_secret_hash = hasher.hash(secret)
    client.rotation_started_at = utcnow()
    return secret


def finish_rotation(session: Session, client_id: str, *, complete: bool) -> ApiClient:
    """Complete (the new secret replaces the old; old tokens stop) or cancel (the reverse)."""
    client = get_client(session, client_id)
    if client.pending_secret_id is None or client.pending_secret_hash is None:
        raise Conflict("no rotation in progress for this client")
    if complete:
        client.secret_id = client.pending_secret_id
        client.secret_hash = client.pending_secret_hash
    client.pending_secret_id = None
    client.pending_secret_hash = None
    client.rotation_started_at = None
    return client


def list_keys(session: Session) -> list[SigningKey]:
    return list(session.scalars(select(SigningKey).order_by(SigningKey.created_at)))


def audit_events(
    session: Session,
    *,
    limit: int = 50,
    client_id: str | None = None,
    outcome: str | None = None,
    since: datetime | None = None,
    brands: Sequence[str] | None = None,
    reason: str | None = None,
) -> list[AuditEvent]:
    """The newest `limit` events matching the filters, oldest first; `brands`: only events
    naming one of these brands (the console's view of an operator's brands)."""
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if client_id:
        query = query.where(AuditEvent.client_id == client_id)
    if brands is not None:
        query = query.where(AuditEvent.brand.in_(list(brands)))
    if reason:
        query = query.where(AuditEvent.reason == reason)
    if outcome:
        query = query.where(AuditEvent.outcome == outcome)
    if since:
        query = query.where(AuditEvent.at >= since)
    return list(reversed((session.scalars(query)).all()))


def prune_audit(session: Session, older_than: datetime) -> int:
    """Delete audit events recorded before `older_than`; answers how many."""
    result = session.execute(delete(AuditEvent).where(AuditEvent.at < older_than))
    return int(result.rowcount)  # type: ignore[attr-defined]


def client_json(client: ApiClient, brand_slug: str) -> dict[str, Any]:
    """A client as operators see it: never its secret or hash."""
    return {
        "client_id": client.client_id,
        "brand": brand_slug,
        "name": client.name,
        "enabled": client.enabled,
        "venues": client.venue_ids,
        "default_venue": client.default_venue_id,
        "scopes": client.scopes,
        "rotation_in_progress": client.pending_secret_id is not None,
        "token_epoch": client.token_epoch,
        "created_at": client.created_at.isoformat(),
    }
