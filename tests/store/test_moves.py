"""Moves held to the commit (store/moves.py): the commit's one statement moves the shared
rows and adds the rows that follow from them with the same amounts as the moves made in
the unit, and a move that finds fewer rows than it expects undoes the unit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from clopos.core.finance import ledger
from clopos.core.finance.table import Balance, FinanceTransaction
from clopos.store.db import Database
from clopos.store.direct import Direct
from clopos.store.models import ChangeLog
from clopos.store.uow import can_hold_moves, connection_of, inserted_together
from tests.store.dbutil import is_sqlite, with_database
from tests.support import note_driver_statements

BRAND = 1
AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
# Two balances each way: the moves made in the unit on 9001 and 9002, held on 9003 and
# 9004. Three moves chain on the first of each pair.
PAIRS = ((9001, 9002), (9003, 9004))
AMOUNTS = ((10.10, -3.33, 0.01), (5.0,))


def _balances(session: Session) -> None:
    for first, second in PAIRS:
        for balance_id in (first, second):
            session.add(
                Balance(brand_id=BRAND, id=balance_id, name=f"till {balance_id}", amount=100.05)
            )


def _moves(pair: tuple[int, int]) -> list[ledger.Move]:
    return [
        ledger.Move(balance_id=balance_id, amount=amount, category_id=ledger.SALES)
        for balance_id, amounts in zip(pair, AMOUNTS, strict=True)
        for amount in amounts
    ]


def _record(session: Session, pair: tuple[int, int], held: bool) -> bool:
    with inserted_together(session, to_commit=held):
        holds = can_hold_moves(session)
        ledger.record(session, BRAND, _moves(pair), AT, categories=True, held=holds)
    return holds


def _books(session: Session) -> dict[int, Any]:
    """Each balance of the test: what it holds, its movements, and its transactions'
    (amount, before, after, movement) in their order."""
    found: dict[int, Any] = {}
    for first, second in PAIRS:
        for balance_id in (first, second):
            balance = session.get(Balance, (BRAND, balance_id))
            assert balance is not None
            moved = session.execute(
                select(
                    FinanceTransaction.amount,
                    FinanceTransaction.before_amount,
                    FinanceTransaction.after_amount,
                    FinanceTransaction.movement,
                )
                .where(
                    FinanceTransaction.brand_id == BRAND,
                    FinanceTransaction.balance_id == balance_id,
                )
                .order_by(FinanceTransaction.movement)
            )
            found[balance_id] = (balance.amount, balance.movements, [tuple(row) for row in moved])
    return found


@pytest.fixture
def autocommitted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bool]]]:
    """Each statement run on PostgreSQL's driver from now on, and whether it ran outside
    any transaction block (its connection in autocommit)."""
    seen: list[tuple[str, bool]] = []
    note_driver_statements(
        monkeypatch,
        lambda sql, _on, autocommit: seen.append((sql, autocommit)),
    )
    yield seen


def test_held_moves_add_what_moves_in_the_unit_add(
    initialised_database_url: str, tmp_path: Path, autocommitted: list[tuple[str, bool]]
) -> None:
    async def run(db: Database) -> Any:
        await db.write(_balances)
        unheld = await db.write(_record, PAIRS[0], False)
        autocommitted.clear()
        held = await db.write(_record, PAIRS[1], True)
        # (the transactions' ids are taken on the id taker's connection: not the unit's)
        # The unit's own: its ids are taken on the id taker's connection, and the recorder
        # sees the whole process (a package's server may read meanwhile).
        written = [pair for pair in autocommitted if "balances" in pair[0]]
        # Every connection of the pool back in transactions: more units than it holds.
        autocommitted.clear()
        for _ in range(12):
            await db.write(lambda session: session.execute(select(Balance.id).limit(1)))
        after = [pair for pair in autocommitted if "balances" in pair[0]]
        return unheld, held, written, after, await db.read(_books)

    unheld, held, written, after, books = with_database(initialised_database_url, tmp_path, run)
    assert not unheld
    assert held == (not is_sqlite(initialised_database_url))  # PostgreSQL's alone
    (made, other), (held_made, held_other) = PAIRS
    assert books[made] == books[held_made]
    assert books[other] == books[held_other]
    # 100.05 + 10.10 - 3.33 + 0.01, each step's after the next one's before
    assert books[made] == (
        106.83,
        3,
        [(10.10, 100.05, 110.15, 1), (-3.33, 110.15, 106.82, 2), (0.01, 106.82, 106.83, 3)],
    )
    if held:
        assert after and not any(auto for _, auto in after), after
        # The moves, their transactions and the change log: one statement, committed by
        # itself (outside a transaction block).
        assert len(written) == 1, written
        assert written[0][1], "the moves' statement ran in a transaction block"
        text = " ".join(written[0][0].split())
        # The balances moved by their function (migration 0019), not by an UPDATE of the
        # statement's own, which re-checked the whole statement after a wait.
        assert text.startswith("WITH moved_0 AS (SELECT")
        assert "FROM clopos_move_balances(" in text
        assert "UPDATE balances" not in text
        assert "INSERT INTO finance_transactions" in text
        assert "INSERT INTO change_log" in text


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_a_held_move_missing_its_rows_undoes_the_unit(
    initialised_database_url: str, tmp_path: Path
) -> None:
    def write(session: Session) -> None:
        with inserted_together(session, to_commit=True):
            assert can_hold_moves(session)
            gone = ledger.Move(balance_id=9999, amount=1.0, category_id=ledger.SALES)
            ledger.record(session, BRAND, [gone], AT, categories=True, held=True)

    def read(session: Session) -> tuple[list[Any], Any]:
        moved = session.scalars(
            select(FinanceTransaction.id).where(FinanceTransaction.balance_id == 9999)
        )
        return list(moved), session.scalar(select(func.max(ChangeLog.seq)))

    async def run(db: Database) -> Any:
        _, logged = await db.read(read)
        with pytest.raises(RuntimeError, match="did not move 1 rows"):
            await db.write(write)
        return logged, await db.read(read)

    logged, after = with_database(initialised_database_url, tmp_path, run)
    assert after == ([], logged)  # no transaction, nothing logged


_READ = Direct(select(Balance.id).where(Balance.brand_id == bindparam("brand_id")))
_LOCK = Direct(
    select(Balance.id).where(Balance.brand_id == bindparam("brand_id")).with_for_update()
)


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_a_write_reads_outside_its_transaction_until_it_changes_or_locks_rows(
    initialised_database_url: str, tmp_path: Path, autocommitted: list[tuple[str, bool]]
) -> None:
    """A close that finds nothing missing writes only by its commit's statement: its reads
    before it need no transaction (no BEGIN, no COMMIT). The first statement that locks or
    changes rows begins it, and every statement after it is in it."""

    def unit(session: Session) -> None:
        connection = connection_of(session)
        values = {"brand_id": BRAND}
        _READ.rows(connection, values)
        _READ.rows(connection, values)
        _LOCK.rows(connection, values)  # a read that locks begins the transaction
        _READ.rows(connection, values)

    def through_sqlalchemy(session: Session) -> None:
        _READ.rows(connection_of(session), {"brand_id": BRAND})
        session.execute(select(Balance.id).limit(1))  # not known to be a plain read
        _READ.rows(connection_of(session), {"brand_id": BRAND})

    async def run(db: Database) -> list[list[bool]]:
        await db.write(_balances)
        seen = []
        for work in (unit, through_sqlalchemy):
            autocommitted.clear()
            await db.write(work)
            seen.append([outside for sql, outside in autocommitted if "balances" in sql])
        return seen

    direct, mixed = with_database(initialised_database_url, tmp_path, run)
    assert direct == [True, True, False, False]
    assert mixed == [True, False, False]
