"""Finance (v2, reference 2.13): `/finance/balances` (+ `/list`, `/customer`, `/date-states`,
`/transactions`, `/{id}`), `/finance/transactions` (+ `/{id}`), `/finance/categories` (+
`/{id}`), `/finance/taxes` (+ `/types`, `/report`, `/total`, `/{id}`),
`/finance/cash-shifts` (+ `/{uuid}`, `/{uuid}/report`)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.finance import read as finance
from clopos.schemas import finance as wire
from clopos.schemas.common import Envelope
from clopos.server.api._records import (
    item_route,
    list_route,
    listed_route,
    object_route,
)
from clopos.server.api.deps import database, granted
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["finance"])

BALANCES = scopes.FINANCE_BALANCES_READ

list_route(router, "/finance/balances", finance.BALANCES, BALANCES, wire.Balance)
list_route(router, "/finance/balances/list", finance.BALANCE_OPTIONS, BALANCES, wire.BalanceOption)
list_route(
    router, "/finance/balances/customer", finance.CUSTOMER_BALANCES, BALANCES, wire.CustomerBalance
)
listed_route(
    router,
    "/finance/balances/date-states",
    BALANCES,
    wire.BalanceDateState,
    finance.date_states,
    finance.PERIOD_SPEC,
)
listed_route(
    router,
    "/finance/balances/transactions",
    BALANCES,
    wire.BalanceMovements,
    finance.balance_movements,
    finance.PERIOD_SPEC,
)
item_route(router, "/finance/balances/{record_id}", finance.BALANCES, BALANCES, wire.Balance)

TRANSACTIONS = scopes.FINANCE_TRANSACTIONS_READ
list_route(router, "/finance/transactions", finance.TRANSACTIONS, TRANSACTIONS, wire.Transaction)
item_route(
    router,
    "/finance/transactions/{record_id}",
    finance.TRANSACTIONS,
    TRANSACTIONS,
    wire.Transaction,
)

CATEGORIES = scopes.FINANCE_CATEGORIES_READ
list_route(router, "/finance/categories", finance.CATEGORIES, CATEGORIES, wire.FinanceCategory)
item_route(
    router, "/finance/categories/{record_id}", finance.CATEGORIES, CATEGORIES, wire.FinanceCategory
)

TAXES = scopes.FINANCE_TAXES_READ
list_route(router, "/finance/taxes", finance.TAXES, TAXES, wire.FinanceTax)


listed_route(
    router,
    "/finance/taxes/types",
    TAXES,
    wire.TaxType,
    finance.tax_types,
    finance.TAX_TYPE_SPEC,
)
listed_route(
    router,
    "/finance/taxes/report",
    TAXES,
    wire.TaxReportRow,
    finance.tax_report,
    finance.TAX_REPORT_SPEC,
)


object_route(
    router,
    "/finance/taxes/total",
    TAXES,
    wire.TaxTotal,
    finance.tax_total,
    finance.TAX_REPORT_SPEC,
)
item_route(router, "/finance/taxes/{record_id}", finance.TAXES, TAXES, wire.FinanceTax)

SHIFTS = scopes.FINANCE_CASH_SHIFTS_READ
list_route(router, "/finance/cash-shifts", finance.SHIFTS, SHIFTS, wire.CashShift)


@router.get("/finance/cash-shifts/{shift_id}", response_model=Envelope[wire.CashShift])
async def get_shift(
    request: Request,
    shift_id: str,
) -> JSON:
    principal, db = granted(request, SHIFTS), database(request)
    return envelope(request.scope, await db.read(finance.get_shift, principal.brand_id, shift_id))


@router.get("/finance/cash-shifts/{shift_id}/report", response_model=Envelope[wire.CashShiftReport])
async def shift_report(
    request: Request,
    shift_id: str,
) -> JSON:
    principal, db = granted(request, SHIFTS), database(request)
    found = await db.read(finance.shift_report, principal.brand_id, shift_id)
    return envelope(request.scope, found)
