"""Operators' actions in the audit trail, and a brand's trail as its console shows it.

An action (accepting an order, closing a receipt, stopping a product, changing a client's
access, ...) is recorded in the same unit of work as the change it made: both are committed
or neither is, so the trail never shows what did not happen nor misses what did. It is one
more `audit_events` row (the trail of token exchanges, refused requests and console
sign-ins), with the operator, what was acted on, and the state before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from clopos.core.operators.service import list_operators
from clopos.store.base import utcnow
from clopos.store.models import AuditEvent

# The outcome of a recorded action (a refused one changed nothing and is not recorded here:
# the console answered its reason to the operator).
DONE = "done"
SIGN_IN = "console_login"
# What the trail's kinds filter selects: events of the API, sign-ins, operators' actions.
KINDS = ("api", "sign-in", "action")


@dataclass(frozen=True)
class Actor:
    """Who acts, and from where: the operator's name, address and the console's path."""

    name: str
    ip: str | None = None
    path: str | None = None


def who(name: str) -> str:
    """How an operator stands in the trail's `client_id` (a name is no secret)."""
    return f"operator:{name}"[:64]


def record(
    session: Session,
    actor: Actor,
    *,
    brand: str | None,
    action: str,
    target: str,
    before: Any,
    after: Any,
) -> None:
    """Add the action to the trail in `session`'s transaction."""
    session.add(
        AuditEvent(
            at=utcnow(),
            event=action[:32],
            outcome=DONE,
            status=200,
            client_id=who(actor.name),
            brand=brand,
            ip=actor.ip,
            method="POST",
            path=(actor.path or "")[:300] or None,
            operator=actor.name[:64],
            target=target[:64],
            detail={"before": before, "after": after},
        )
    )


def brand_trail(
    session: Session,
    brand_slug: str,
    brand_id: int,
    *,
    limit: int,
    kind: str | None = None,
    outcome: str | None = None,
    reason: str | None = None,
    client_id: str | None = None,
    since: datetime | None = None,
) -> list[AuditEvent]:
    """The newest `limit` events of a brand, newest first: the API's events naming it,
    operators' actions on it, and the console sign-ins of the operators who may use it."""
    operators = [who(o.name) for o in list_operators(session) if o.may_use(brand_id)]
    api = and_(AuditEvent.brand == brand_slug, AuditEvent.operator.is_(None))
    actions = and_(AuditEvent.brand == brand_slug, AuditEvent.operator.is_not(None))
    sign_ins = and_(AuditEvent.event == SIGN_IN, AuditEvent.client_id.in_(operators))
    wanted = {"api": api, "action": actions, "sign-in": sign_ins}
    query = select(AuditEvent).where(
        wanted[kind] if kind in wanted else or_(api, actions, sign_ins)
    )
    if client_id:
        query = query.where(AuditEvent.client_id == client_id)
    if reason:
        query = query.where(AuditEvent.reason == reason)
    if outcome:
        query = query.where(AuditEvent.outcome == outcome)
    if since:
        query = query.where(AuditEvent.at >= since)
    return list(session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)))
