"""Finance (v2): balances, transactions, finance categories, taxes, cash shifts. The
reference documents paths and scopes only; these shapes are the house's choice, in the style
of the documented resources (docs/compatibility.md, "Finance and inventory")."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from clopos.schemas.common import WireModel


class Balance(WireModel):
    """A cash, bank, supplier or payment method's account with what it holds now."""

    id: int
    name: str
    type: str = Field(examples=["CASH", "BANK", "SUPPLIER", "OTHER"])
    system_type: str | None = None
    amount: float
    position: int = 0
    venue_id: int | None = None
    supplier_id: int | None = None
    payment_method_id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


class BalanceOption(WireModel):
    """`/finance/balances/list`: a balance for a selector."""

    id: int
    name: str
    type: str


class CustomerBalance(WireModel):
    """`/finance/balances/customer`: a customer's three accounts and what they hold."""

    customer_id: int
    name: str
    phone: str | None = None
    balance_id: int | None = None
    balance: float = 0
    bonus_balance_id: int | None = None
    bonus: float = 0
    cashback_balance_id: int | None = None
    cashback: float = 0


class BalanceDateState(WireModel):
    """`/finance/balances/date-states`: one balance on one day."""

    date: str
    balance_id: int
    name: str
    opening_amount: float
    income: float
    expense: float
    closing_amount: float
    transactions_count: int


class BalanceMovements(WireModel):
    """`/finance/balances/transactions`: one balance's movements over the period."""

    balance_id: int
    name: str
    type: str
    amount: float
    income: float
    expense: float
    transactions_count: int


class Transaction(WireModel):
    """A movement of money on one balance: `amount` signed (income positive), the amounts
    before and after it, and what caused it."""

    id: int
    balance_id: int
    category_id: int | None = None
    venue_id: int | None = None
    cash_shift_id: str | None = Field(None, description="The cash shift's id (a UUID)")
    type: int = Field(description="1 income, 2 expense")
    amount: float
    before_amount: float
    after_amount: float
    receipt_id: int | None = None
    operation_id: int | None = None
    customer_id: int | None = None
    supplier_id: int | None = None
    payment_method_id: int | None = None
    description: str | None = None
    operated_at: str
    created_at: str | None = None
    updated_at: str | None = None


class FinanceCategory(WireModel):
    id: int
    parent_id: int | None = None
    name: str
    type: int = Field(description="1 income, 2 expense, 3 both")
    system: bool = False
    position: int = 0
    created_at: str | None = None
    updated_at: str | None = None


class TaxType(WireModel):
    id: int
    name: str | None = None


class FinanceTax(WireModel):
    """A tax rate of the catalogue."""

    id: int
    name: str
    rate: float
    type_id: int | None = None
    type: TaxType | None = None
    calculation_type: int = 0
    rounding_option: str = "ROUND_HALF_UP"
    priority: int = 0
    is_default: bool = False
    status: int = 1
    sale_type_ids: list[int] = Field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None


class TaxReportRow(WireModel):
    """`/finance/taxes/report`: one tax over the period."""

    tax_id: int
    name: str
    rate: float
    receipts_count: int
    taxable_amount: float
    amount: float


class TaxTotal(WireModel):
    """`/finance/taxes/total`."""

    receipts_count: int
    taxable_amount: float
    amount: float


class CashShift(WireModel):
    """A till session; `id` is a UUID, `status` 1 open, 2 closed."""

    id: str
    venue_id: int
    status: int
    opened_at: str
    closed_at: str | None = None
    opened_by: str | None = None
    closed_by: str | None = None
    opening_amount: float = 0
    closing_amount: float | None = None
    description: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class ShiftPaymentMethod(WireModel):
    id: int | None = None
    name: str
    amount: float


class CashShiftReport(WireModel):
    """`/finance/cash-shifts/{id}/report`."""

    cash_shift: CashShift
    receipts_count: int
    receipts_total: float
    sales: float
    refunds: float
    cash_in: float
    cash_out: float
    # What customers left on their accounts, as it came onto the venue's accounts.
    deposits: float = 0
    opening_amount: float
    expected_amount: float
    closing_amount: float | None = None
    difference: float | None = None
    payment_methods: list[ShiftPaymentMethod]
    total: float


# --- the operator's writes (/admin/api) --------------------------------------------------


class ShiftOpen(WireModel):
    """Body of `POST .../venues/{id}/shift/open`: the cash counted in the drawer."""

    amount: float = Field(0, ge=0)
    by: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=2000)


class ShiftClose(WireModel):
    """Body of `POST .../venues/{id}/shift/close`: the cash counted (default: expected)."""

    amount: float | None = Field(None, ge=0)
    by: str | None = Field(None, max_length=200)


class CashMove(WireModel):
    """Body of `POST .../venues/{id}/shift/cash`: cash put in (> 0) or taken out (< 0)."""

    amount: float
    description: str | None = Field(None, max_length=2000)


class ShiftClosed(CashShift):
    report: dict[str, Any]


class CashMoved(WireModel):
    transaction_id: int


class CustomerDeposit(WireModel):
    """Body of `POST .../customers/{id}/deposit`: money the customer leaves on its account,
    paid with one of the venue's payment methods (default venue: the customer's)."""

    amount: float = Field(gt=0, le=1e12)
    payment_method_id: int = Field(ge=1)
    venue_id: int | None = Field(None, ge=1)
    description: str | None = Field(None, max_length=2000)


class CustomerDeposited(CustomerBalance):
    """The customer's accounts after a deposit, and the deposit's transaction on its
    account."""

    transaction_id: int
