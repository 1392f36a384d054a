"""Finance (v2, reference 2.13): `/finance/balances` (+ `/list`, `/customer`, `/date-states`,
`/transactions`, `/{id}`), `/finance/transactions` (+ `/{id}`), `/finance/categories` (+
`/{id}`), `/finance/taxes` (+ `/types`, `/report`, `/total`, `/{id}`),
`/finance/cash-shifts` (+ `/{uuid}`, `/{uuid}/report`)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clopos.core.access import scopes
from clopos.core.finance import read as finance
from clopos.core.query import ListQuery, Paging, parse_list_query
from clopos.schemas import finance as wire
from clopos.schemas.common import Envelope, ListEnvelope
from clopos.server.api._records import item_route, list_route, listed_route, reader
from clopos.server.api.deps import DatabaseDep
from clopos.server.auth.principal import Principal
from clopos.server.responses import JSON, envelope

router = APIRouter(tags=["finance"])

BALANCES = scopes.FINANCE_BALANCES_READ
_PERIOD = Paging(maximum=200)


def _period_query(request: Request) -> ListQuery:
    """A per-period view's query: `date[0..1]`, `page`, `limit`, `filters`."""
    return parse_list_query(request.query_params.multi_items(), _PERIOD)


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
    _period_query,
)
listed_route(
    router,
    "/finance/balances/transactions",
    BALANCES,
    wire.BalanceMovements,
    finance.balance_movements,
    _period_query,
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


@router.get("/finance/taxes/types", response_model=ListEnvelope[wire.TaxType])
async def tax_types(
    request: Request,
    db: DatabaseDep,
    principal: Principal = reader(TAXES),  # noqa: B008 (a dependency per route)
) -> JSON:
    found = await db.read(finance.tax_types, principal.brand_id)
    return envelope(request.scope, found, total=len(found), sorts=[])


listed_route(
    router, "/finance/taxes/report", TAXES, wire.TaxReportRow, finance.tax_report, _period_query
)


@router.get("/finance/taxes/total", response_model=Envelope[wire.TaxTotal])
async def tax_total(
    request: Request,
    db: DatabaseDep,
    principal: Principal = reader(TAXES),  # noqa: B008 (a dependency per route)
) -> JSON:
    found = await db.read(finance.tax_total, principal.brand_id, _period_query(request))
    return envelope(request.scope, found)


item_route(router, "/finance/taxes/{record_id}", finance.TAXES, TAXES, wire.FinanceTax)

SHIFTS = scopes.FINANCE_CASH_SHIFTS_READ
list_route(router, "/finance/cash-shifts", finance.SHIFTS, SHIFTS, wire.CashShift)


@router.get("/finance/cash-shifts/{shift_id}", response_model=Envelope[wire.CashShift])
async def get_shift(
    request: Request,
    shift_id: str,
    db: DatabaseDep,
    principal: Principal = reader(SHIFTS),  # noqa: B008 (a dependency per route)
) -> JSON:
    return envelope(request.scope, await db.read(finance.get_shift, principal.brand_id, shift_id))


@router.get("/finance/cash-shifts/{shift_id}/report", response_model=Envelope[wire.CashShiftReport])
async def shift_report(
    request: Request,
    shift_id: str,
    db: DatabaseDep,
    principal: Principal = reader(SHIFTS),  # noqa: B008 (a dependency per route)
) -> JSON:
    found = await db.read(finance.shift_report, principal.brand_id, shift_id)
    return envelope(request.scope, found)
