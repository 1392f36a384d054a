"""Provisioning and access control: what `clopos admin` does, as plain async functions.

Every change to who may do what bumps the access revision in the same transaction, so
running servers see it on their next request.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from clopos.server.auth.credentials import (
    SecretHasher,
    new_client_id,
    new_client_secret,
    new_secret_id,
)
from clopos.server.auth.scopes import ALL_SCOPES, validate_scopes
from clopos.server.store.base import utcnow
from clopos.server.store.models import ApiClient, AuditEvent, Brand, Integrator, SigningKey, Venue
from clopos.server.store.sequences import bump_access_revision, next_ids, reserve_id

_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{1,63}")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
BRAND_MODES = ("test", "production")


class AdminError(Exception):
    """An operator request that cannot be carried out; `exit_code` is for scripts."""

    exit_code = 1


class NotFound(AdminError):
    exit_code = 3


class Conflict(AdminError):
    exit_code = 4


@dataclass(frozen=True)
class NewCredential:
    """A client and its secret: the secret exists only here and is shown once."""

    client: ApiClient
    secret: str


async def get_brand(session: AsyncSession, slug: str) -> Brand:
    brand = await session.scalar(select(Brand).where(Brand.slug == slug))
    if brand is None:
        raise NotFound(f"no brand '{slug}'")
    return brand


async def get_client(session: AsyncSession, client_id: str) -> ApiClient:
    client = await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    if client is None:
        raise NotFound(f"no client '{client_id}'")
    return client


async def get_integrator(session: AsyncSession, integrator_id: str) -> Integrator:
    integrator = await session.get(Integrator, integrator_id)
    if integrator is None:
        raise NotFound(f"no integrator '{integrator_id}'")
    return integrator


async def create_brand(
    session: AsyncSession,
    slug: str,
    name: str | None = None,
    mode: str = "production",
    venue_name: str = "Main",
) -> Brand:
    """A brand with its main venue (id 1)."""
    if not _SLUG.fullmatch(slug):
        raise AdminError(f"invalid brand slug '{slug}': use 2-64 of a-z, 0-9, '-' and '_'")
    if mode not in BRAND_MODES:
        raise AdminError(f"invalid mode '{mode}': one of {', '.join(BRAND_MODES)}")
    if await session.scalar(select(Brand.id).where(Brand.slug == slug)) is not None:
        raise Conflict(f"brand '{slug}' already exists")
    brand = Brand(slug=slug, name=name or slug, mode=mode)
    session.add(brand)
    await session.flush()
    await create_venue(session, slug, venue_name)
    await bump_access_revision(session)
    return brand


async def set_brand(
    session: AsyncSession, slug: str, *, enabled: bool | None = None, mode: str | None = None
) -> Brand:
    brand = await get_brand(session, slug)
    if mode is not None:
        if mode not in BRAND_MODES:
            raise AdminError(f"invalid mode '{mode}': one of {', '.join(BRAND_MODES)}")
        brand.mode = mode
    if enabled is not None:
        brand.enabled = enabled
    await bump_access_revision(session)
    return brand


async def create_venue(
    session: AsyncSession,
    brand_slug: str,
    name: str,
    *,
    venue_id: int | None = None,
    address: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> Venue:
    brand = await get_brand(session, brand_slug)
    if not name.strip():
        raise AdminError("a venue needs a name")
    if venue_id is None:
        venue_id = await next_ids(session, brand.id, "venues")
    else:
        if await session.get(Venue, (brand.id, venue_id)) is not None:
            raise Conflict(f"venue {venue_id} already exists in brand '{brand_slug}'")
        await reserve_id(session, brand.id, "venues", venue_id)
    has_main = await session.scalar(
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
    await session.flush()
    return venue


async def create_integrator(
    session: AsyncSession, name: str, *, integrator_id: str | None = None, is_test: bool = True
) -> Integrator:
    integrator_id = integrator_id or ("int_" + secrets.token_hex(8))
    if not _ID.fullmatch(integrator_id):
        raise AdminError(f"invalid integrator id '{integrator_id}'")
    if await session.get(Integrator, integrator_id) is not None:
        raise Conflict(f"integrator '{integrator_id}' already exists")
    integrator = Integrator(id=integrator_id, name=name, is_test=is_test)
    session.add(integrator)
    await session.flush()
    await bump_access_revision(session)
    return integrator


async def set_integrator(
    session: AsyncSession,
    integrator_id: str,
    *,
    enabled: bool | None = None,
    is_test: bool | None = None,
) -> Integrator:
    integrator = await get_integrator(session, integrator_id)
    if enabled is not None:
        integrator.enabled = enabled
    if is_test is not None:
        integrator.is_test = is_test
    await bump_access_revision(session)
    return integrator


async def _check_venues(session: AsyncSession, brand_id: int, venue_ids: list[int]) -> None:
    known = set(await session.scalars(select(Venue.id).where(Venue.brand_id == brand_id)))
    unknown = sorted(set(venue_ids) - known)
    if unknown:
        raise NotFound(f"no venue(s) {', '.join(map(str, unknown))} in this brand")


async def create_client(
    session: AsyncSession,
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
    brand = await get_brand(session, brand_slug)
    client_id = client_id or new_client_id()
    if not _ID.fullmatch(client_id):
        raise AdminError(f"invalid client id '{client_id}'")
    if await session.scalar(select(ApiClient.id).where(ApiClient.client_id == client_id)):
        raise Conflict(f"client '{client_id}' already exists")
    if venue_ids is None:
        venue_ids = list(await session.scalars(select(Venue.id).where(Venue.brand_id == brand.id)))
    await _check_venues(session, brand.id, venue_ids)
    try:
        granted = validate_scopes(list(ALL_SCOPES) if scopes is None else scopes)
    except ValueError as exc:
        raise AdminError(str(exc)) from None
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
    await session.flush()
    await bump_access_revision(session)
    return NewCredential(client, secret)


async def grant(
    session: AsyncSession,
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
    client = await get_client(session, client_id)
    await _check_venues(
        session, client.brand_id, [*add_venues, *([default_venue] if default_venue else [])]
    )
    venues = (set(client.venue_ids) | set(add_venues)) - set(remove_venues)
    current = set(client.scopes) if scopes is None else set(scopes)
    try:
        client.scopes = validate_scopes(sorted((current | set(add_scopes)) - set(remove_scopes)))
    except ValueError as exc:
        raise AdminError(str(exc)) from None
    client.venue_ids = sorted(venues)
    if default_venue is not None:
        if default_venue not in venues:
            raise AdminError(f"default venue {default_venue} is not granted to this client")
        client.default_venue_id = default_venue
    elif client.default_venue_id not in venues:
        client.default_venue_id = min(venues) if venues else None
    await bump_access_revision(session)
    return client


async def set_client_enabled(session: AsyncSession, client_id: str, enabled: bool) -> ApiClient:
    client = await get_client(session, client_id)
    if not enabled:
        # Re-enabling later must not bring back tokens issued before the disable.
        client.token_epoch += 1
    client.enabled = enabled
    await bump_access_revision(session)
    return client


async def revoke_tokens(session: AsyncSession, client_id: str) -> ApiClient:
    """Invalidate every token issued to the client so far; the client itself stays usable."""
    client = await get_client(session, client_id)
    client.token_epoch += 1
    await bump_access_revision(session)
    return client


async def start_rotation(session: AsyncSession, hasher: SecretHasher, client_id: str) -> str:
    """A second secret that works alongside the current one until completed or cancelled."""
    client = await get_client(session, client_id)
    if client.pending_secret_id is not None:
        raise Conflict("a rotation is already in progress: complete or cancel it first")
    secret = new_client_secret()
    client.pending_secret_id = new_secret_id()
    client.pending_secret_hash = hasher.hash(secret)
    client.rotation_started_at = utcnow()
    await bump_access_revision(session)
    return secret


async def finish_rotation(session: AsyncSession, client_id: str, *, complete: bool) -> ApiClient:
    """Complete (the new secret replaces the old; old tokens stop) or cancel (the reverse)."""
    client = await get_client(session, client_id)
    if client.pending_secret_id is None or client.pending_secret_hash is None:
        raise Conflict("no rotation in progress for this client")
    if complete:
        client.secret_id = client.pending_secret_id
        client.secret_hash = client.pending_secret_hash
    client.pending_secret_id = None
    client.pending_secret_hash = None
    client.rotation_started_at = None
    await bump_access_revision(session)
    return client


async def list_keys(session: AsyncSession) -> list[SigningKey]:
    return list(await session.scalars(select(SigningKey).order_by(SigningKey.created_at)))


async def audit_events(
    session: AsyncSession,
    *,
    limit: int = 50,
    client_id: str | None = None,
    outcome: str | None = None,
    since: datetime | None = None,
) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if client_id:
        query = query.where(AuditEvent.client_id == client_id)
    if outcome:
        query = query.where(AuditEvent.outcome == outcome)
    if since:
        query = query.where(AuditEvent.at >= since)
    return list(reversed((await session.scalars(query)).all()))


async def prune_audit(session: AsyncSession, older_than: datetime) -> int:
    """Delete audit events recorded before `older_than`; answers how many."""
    result = await session.execute(delete(AuditEvent).where(AuditEvent.at < older_than))
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
