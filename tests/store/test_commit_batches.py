"""PostgreSQL's commit batches (store/commit_batches.py): statements handed meanwhile
commit together in one transaction; a batch the server refuses commits nothing and its
units run their statements alone; a lost connection fails what was being sent, and the
next batch runs on a new one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn

from clopos.core.finance import ledger
from clopos.core.finance.table import Balance, FinanceTransaction
from clopos.store.commit_batches import CommitBatches
from clopos.store.db import Database
from clopos.store.uow import inserted_together
from tests.store.dbutil import with_database

pytestmark = pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)

INSERT = "INSERT INTO batch_probe (id) VALUES ($1)"
AT = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _probe(session: Session) -> None:
    session.execute(
        text(
            "CREATE TABLE batch_probe "
            "(id integer PRIMARY KEY, tx bigint NOT NULL DEFAULT txid_current())"
        )
    )


def _probed(session: Session) -> dict[int, int]:
    rows = session.execute(text("SELECT id, tx FROM batch_probe ORDER BY id"))
    return {int(row.id): int(row.tx) for row in rows}


async def _probing(db: Database) -> CommitBatches:
    """The probe's table made; the database's batches."""
    await db.write(_probe)
    batches = db.commit_batches
    assert batches is not None
    return batches


async def _hand(batches: CommitBatches, *ids: int) -> list[Any]:
    """Each id's INSERT handed at once, each from a greenlet as a unit's commit hands it."""
    handed = (greenlet_spawn(batches.commit, INSERT, [probe_id]) for probe_id in ids)
    return list(await asyncio.gather(*handed, return_exceptions=True))


def test_statements_handed_meanwhile_commit_in_one_transaction(
    initialised_database_url: str, tmp_path: Path
) -> None:
    async def run(db: Database) -> Any:
        batches = await _probing(db)
        before = (batches.batches, batches.committed)
        answers = await _hand(batches, 1, 2, 3)
        return (
            answers,
            (batches.batches - before[0], batches.committed - before[1]),
            await db.read(_probed),
        )

    answers, (batches, committed), probed = with_database(initialised_database_url, tmp_path, run)
    assert answers == [True, True, True]
    assert (batches, committed) == (1, 3)
    assert sorted(probed) == [1, 2, 3]
    assert len(set(probed.values())) == 1, probed  # one transaction


def test_a_batch_the_server_refuses_commits_nothing(
    initialised_database_url: str, tmp_path: Path
) -> None:
    async def run(db: Database) -> Any:
        batches = await _probing(db)
        assert await _hand(batches, 2) == [True]
        # 2 is there: the batch fails on it, and 1 and 3 are not committed either.
        answers = await _hand(batches, 1, 2, 3)
        return answers, await db.read(_probed)

    answers, probed = with_database(initialised_database_url, tmp_path, run)
    assert answers == [False, False, False]
    assert sorted(probed) == [2]


def test_a_lost_connection_fails_what_was_sent_and_the_next_batch_reconnects(
    initialised_database_url: str, tmp_path: Path
) -> None:
    def batch_backends(session: Session) -> list[int]:
        found = session.execute(
            text("SELECT pid FROM pg_stat_activity WHERE query = :sql AND pid <> pg_backend_pid()"),
            {"sql": INSERT},
        )
        return [int(pid) for (pid,) in found]

    def terminate(session: Session, pids: list[int]) -> None:
        for pid in pids:
            session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    async def run(db: Database) -> Any:
        batches = await _probing(db)
        assert await _hand(batches, 1) == [True]
        pids = await db.read(batch_backends)
        assert len(pids) == 1, pids
        await db.write(terminate, pids)
        for _ in range(100):  # the backend ends a moment after its signal
            if not await db.read(batch_backends):
                break
            await asyncio.sleep(0.05)
        lost = await _hand(batches, 2)
        again = await _hand(batches, 3)
        return lost, again, await db.read(_probed)

    lost, again, probed = with_database(initialised_database_url, tmp_path, run)
    # Sent on the ended connection, 2 fails (its outcome unknown to the batches); if the
    # driver saw the end first, it goes on a new connection. Never both, nor neither.
    assert lost == [True] or (len(lost) == 1 and isinstance(lost[0], Exception)), lost
    assert again == [True]
    assert sorted(probed) == ([1, 2, 3] if lost == [True] else [1, 3])


def test_a_refused_close_beside_good_ones_is_refused_alone(
    initialised_database_url: str, tmp_path: Path
) -> None:
    """Held moves (a close's commit statement) handed at once: the one whose balance is not
    there is refused, with nothing of it written; the others commit, batch or no batch."""

    def balance(session: Session) -> None:
        session.add(Balance(brand_id=1, id=9101, name="till 9101", amount=0))

    def move(session: Session, balance_id: int) -> None:
        with inserted_together(session, to_commit=True):
            moved = ledger.Move(balance_id=balance_id, amount=1.0, category_id=ledger.SALES)
            ledger.record(session, 1, [moved], AT, categories=True, held=True)

    def moved(session: Session) -> list[int]:
        rows = session.scalars(
            select(FinanceTransaction.balance_id).where(
                FinanceTransaction.balance_id.in_([9101, 9999])
            )
        )
        return sorted(rows)

    async def run(db: Database) -> Any:
        await db.write(balance)
        outcomes = await asyncio.gather(
            db.write(move, 9101), db.write(move, 9999), db.write(move, 9101), return_exceptions=True
        )
        return outcomes, await db.read(moved)

    outcomes, rows = with_database(initialised_database_url, tmp_path, run)
    assert outcomes[0] is None and outcomes[2] is None, outcomes
    assert isinstance(outcomes[1], RuntimeError), outcomes
    assert rows == [9101, 9101]
