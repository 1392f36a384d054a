"""Tables: balances, finance categories, money movements (transactions), cash shifts and the
taxes each receipt line was charged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from clopos.store.base import Base, Tenant, Timestamped, TimestampedDeletable, brand_fk


class Balance(Tenant, TimestampedDeletable, Base):
    """A cash or bank account of the brand (`CASH`, `BANK`), or a supplier's account
    (`SUPPLIER`: what the brand owes it, negative once supplies are unpaid). `amount` is what
    it holds now; every change of it is a transaction with the amounts before and after.
    Customers' accounts stay on the customer (customers.balance_amount and its siblings)."""

    __tablename__ = "balances"
    __table_args__ = (
        brand_fk("venue_id", target="venues"),
        UniqueConstraint("brand_id", "payment_method_id"),
    )

    venue_id: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16), default="CASH")
    system_type: Mapped[str | None] = mapped_column(String(16), default=None)
    amount: Mapped[float] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    supplier_id: Mapped[int | None] = mapped_column(default=None)
    # The payment method whose receipts' money lands here when the method names no account
    # of its own (a delivery platform's, say): made at its first payment.
    payment_method_id: Mapped[int | None] = mapped_column(default=None)
    # How many movements it has had: the number of the next is taken with the amount's
    # change, under the row's lock, so movements chain in that order whatever order
    # concurrent writers took their ids in.
    movements: Mapped[int] = mapped_column(default=0)


class FinanceCategory(Tenant, TimestampedDeletable, Base):
    """What a movement of money is for (sales, supplies, cash in, cash out...); `system`
    ones are the brand's own and written by the product itself."""

    __tablename__ = "finance_categories"
    __table_args__ = (brand_fk("parent_id", target="finance_categories"),)

    parent_id: Mapped[int | None] = mapped_column(default=None)
    name: Mapped[str] = mapped_column(String(200))
    # 1 income, 2 expense, 3 both.
    type: Mapped[int] = mapped_column(default=3)
    system: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class CashShift(Tenant, Timestamped, Base):
    """A till session of a venue: opened with the cash counted in the drawer, closed with
    the cash counted again; a receipt closes into its venue's open shift. On the wire its
    id is `cid`, a UUID; at most one shift of a venue is open."""

    __tablename__ = "cash_shifts"
    __table_args__ = (
        brand_fk("venue_id", target="venues", holds_brand=True),
        UniqueConstraint("brand_id", "cid"),
        Index(
            "ix_cash_shifts_one_open",
            "brand_id",
            "venue_id",
            unique=True,
            postgresql_where=text("closed_at IS NULL"),
            sqlite_where=text("closed_at IS NULL"),
        ),
    )

    cid: Mapped[str] = mapped_column(String(36))
    venue_id: Mapped[int] = mapped_column()
    opened_at: Mapped[datetime] = mapped_column()
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    opened_by: Mapped[str | None] = mapped_column(String(200), default=None)
    closed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    opening_amount: Mapped[float] = mapped_column(default=0)
    closing_amount: Mapped[float | None] = mapped_column(default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)


class FinanceTransaction(Tenant, TimestampedDeletable, Base):
    """One movement of money on one balance: `amount` signed (income positive), with the
    balance's amount before and after it. A receipt's payment, a cash in or out, a supply
    owed to a supplier: each links what caused it."""

    __tablename__ = "finance_transactions"
    __table_args__ = (
        brand_fk("balance_id", target="balances", holds_brand=True),
        brand_fk("category_id", target="finance_categories"),
        Index("ix_finance_transactions_brand_balance", "brand_id", "balance_id", "id"),
        Index("ix_finance_transactions_brand_receipt", "brand_id", "receipt_id"),
        Index("ix_finance_transactions_brand_shift", "brand_id", "cash_shift_id"),
    )

    venue_id: Mapped[int | None] = mapped_column(default=None)
    balance_id: Mapped[int] = mapped_column()
    category_id: Mapped[int | None] = mapped_column(default=None)
    cash_shift_id: Mapped[int | None] = mapped_column(default=None)
    # 1 income, 2 expense (the sign of `amount`).
    type: Mapped[int] = mapped_column(default=1)
    amount: Mapped[float] = mapped_column(default=0)
    before_amount: Mapped[float] = mapped_column(default=0)
    after_amount: Mapped[float] = mapped_column(default=0)
    # The movement's number on its balance (balances.movements): the chain's order.
    movement: Mapped[int] = mapped_column(default=0)
    receipt_id: Mapped[int | None] = mapped_column(default=None)
    operation_id: Mapped[int | None] = mapped_column(default=None)
    customer_id: Mapped[int | None] = mapped_column(default=None)
    supplier_id: Mapped[int | None] = mapped_column(default=None)
    payment_method_id: Mapped[int | None] = mapped_column(default=None)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    operated_at: Mapped[datetime] = mapped_column()


class ReceiptTax(Tenant, Base):
    """A tax a closed receipt's line was charged: the catalogue's rate at closing, the
    amount it was charged on and the tax in it."""

    __tablename__ = "receipt_taxes"
    __table_args__ = (
        brand_fk("receipt_id", target="receipts", holds_brand=True),
        brand_fk("tax_id", target="taxes"),
        Index("ix_receipt_taxes_brand_receipt", "brand_id", "receipt_id"),
    )

    receipt_id: Mapped[int] = mapped_column()
    receipt_product_id: Mapped[int] = mapped_column()
    product_id: Mapped[int] = mapped_column()
    tax_id: Mapped[int] = mapped_column()
    venue_id: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(200))
    rate: Mapped[float] = mapped_column(default=0)
    # 1 included in the price, 2 added to it.
    kind: Mapped[int] = mapped_column(default=1)
    taxable: Mapped[float] = mapped_column(default=0)
    amount: Mapped[float] = mapped_column(default=0)
    operated_at: Mapped[datetime] = mapped_column()
