"""First start: the schema, a signing key, and the sandbox the reference documents."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from clopos.core.access import service as admin
from clopos.core.access.credentials import SecretHasher
from clopos.core.access.table import ApiClient, Brand, Integrator
from clopos.core.catalogue_import.demo import load_demo_catalogue
from clopos.core.inventory.demo import demo_history
from clopos.core.sealing import Seal
from clopos.core.waiter_calls.calls import demo_tables
from clopos.core.webhooks import subscriptions
from clopos.server.auth.keys import ensure_signing_key
from clopos.server.settings import Settings
from clopos.store.db import Database
from clopos.store.locks import hold_start_up_lock
from clopos.store.schema import create_schema
from clopos.store.statistics import analyse_new_tables

log = logging.getLogger("clopos.server")

SANDBOX_BRAND = "openapitest"
SANDBOX_VENUE = 1
SANDBOX_CLIENT_ID = "6553676e0d265ac837e8f79fc"
# Published in the Clopos authentication guide; accepted by every sandbox on purpose.
SANDBOX_CLIENT_SECRET = "seCyF_4vja6yddQxE2PlerET0Uhy8ASbJ36hO68PD3JM="
SANDBOX_INTEGRATOR = "1"


async def initialise(settings: Settings, db: Database, *, seed: bool = True) -> None:
    """Idempotent: creates what is missing and never changes what an operator has set.

    Only a starting server seeds (`seed`): an admin command against a database that a server
    was told not to seed (`--no-sandbox`) must not put the published sandbox secret in it.
    """
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)  # the database and the server key: this user's only
    await create_schema(db)
    sandbox = seed and settings.seeds_sandbox
    keys, webhooks = await db.write(
        _first_start,
        Seal(settings.hashing_key),
        SecretHasher(settings.hashing_key) if sandbox else None,
        settings.seed_demo_catalogue,
        settings.seed_demo_history,
    )
    if keys:
        log.warning(
            "sealed anew %d signing key(s) stored in clear or in an older format: %s",
            len(keys),
            ", ".join(keys),
        )
    if webhooks:
        log.warning(
            "sealed anew %d webhook subscription(s)' secrets stored in an older format: %s",
            len(webhooks),
            ", ".join(webhooks),
        )
    if db.is_postgres:
        # After the seeding: plans made on the first requests see what it holds.
        await db.write(analyse_new_tables)


def _first_start(
    session: Session,
    seal: Seal,
    sandbox: SecretHasher | None,
    demo_catalogue: bool,
    history: bool,
) -> tuple[list[str], list[str]]:
    """The signing key, secrets stored in an older seal's format sealed anew, and (with a
    hasher) the sandbox, in one transaction under the start-up lock: instances started
    together on a fresh database each find what the first one made instead of making a
    second signing key or dying on the sandbox brand's unique slug. Answers the kids and the
    webhook subscriptions sealed anew.

    Sealing anew happens here rather than in a migration: a migration is handed a connection
    and nothing else (store/migrations/env.py), the store knows no server key, and every
    start and admin command comes through here with it."""
    hold_start_up_lock(session)
    keys = ensure_signing_key(session, seal)
    webhooks = subscriptions.reseal(session, seal)
    if sandbox is not None:
        _seed_sandbox(session, sandbox, demo_catalogue, history)
    return keys, webhooks


def _seed_sandbox(
    session: Session, hasher: SecretHasher, demo_catalogue: bool, history: bool
) -> None:
    if session.scalar(select(Brand.id).where(Brand.slug == SANDBOX_BRAND)) is None:
        admin.create_brand(session, SANDBOX_BRAND, "Open API test brand", mode="test")
    if session.get(Integrator, SANDBOX_INTEGRATOR) is None:
        admin.create_integrator(
            session, "Sandbox integrator", integrator_id=SANDBOX_INTEGRATOR, is_test=True
        )
    exists = session.scalar(select(ApiClient.id).where(ApiClient.client_id == SANDBOX_CLIENT_ID))
    if exists is None:
        admin.create_client(
            session,
            hasher,
            SANDBOX_BRAND,
            name="Sandbox client (documented test credentials)",
            venue_ids=[SANDBOX_VENUE],
            client_id=SANDBOX_CLIENT_ID,
            secret=SANDBOX_CLIENT_SECRET,
        )
    if demo_catalogue:
        brand = admin.get_brand(session, SANDBOX_BRAND)
        fresh = load_demo_catalogue(session, brand.id)
        demo_tables(session, brand.id)  # what the e-menu's waiter calls name
        if fresh and history:  # a fresh sandbox has history: stock, past shifts, receipts
            demo_history(session, brand.id)
