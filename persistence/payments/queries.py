"""Reads for the API: pages of many accounts in one statement, searches, visibility and the
merchant dashboard's daily totals. Every list is newest first by id (time-ordered)."""

import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.payments.model import (
    Account,
    LedgerTransaction,
    TransactionKind,
    TransactionStatus,
)
from domain.payments.reads import AccountFilter, MerchantDay, TransactionFilter
from domain.shared.money import Currency
from persistence.payments.repository import to_account, to_transaction
from persistence.payments.tables import AccountRow, LedgerTransactionRow, MerchantMemberRow

Transactions = LedgerTransactionRow
SUCCEEDED_PAYMENT = (TransactionStatus.COMPLETED.value, TransactionStatus.REVERSED.value)
CORRECTIONS = (TransactionKind.REFUND.value, TransactionKind.REVERSAL.value)


def matching(criteria: TransactionFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.kinds:
        conditions.append(Transactions.kind.in_(sorted(k.value for k in criteria.kinds)))
    if criteria.statuses:
        conditions.append(Transactions.status.in_(sorted(s.value for s in criteria.statuses)))
    if criteria.currency is not None:
        conditions.append(Transactions.currency == criteria.currency.value)
    if criteria.created_from is not None:
        conditions.append(Transactions.created_at >= criteria.created_from)
    if criteria.created_before is not None:
        conditions.append(Transactions.created_at < criteria.created_before)
    if criteria.min_amount_minor is not None:
        conditions.append(Transactions.amount_minor >= criteria.min_amount_minor)
    if criteria.max_amount_minor is not None:
        conditions.append(Transactions.amount_minor <= criteria.max_amount_minor)
    if criteria.account_id is not None:
        conditions.append(_touches(criteria.account_id))
    if criteria.owner_id is not None:
        owned = select(AccountRow.id).where(AccountRow.owner_id == criteria.owner_id)
        conditions.append(
            or_(Transactions.from_account_id.in_(owned), Transactions.to_account_id.in_(owned))
        )
    if criteria.merchant_id is not None:
        conditions.append(Transactions.merchant_id == criteria.merchant_id)
    return conditions


def _touches(account_id: ColumnElement[UUID] | UUID) -> ColumnElement[bool]:
    return or_(Transactions.from_account_id == account_id, Transactions.to_account_id == account_id)


def _older_than(before: UUID | None) -> ColumnElement[bool]:
    return Transactions.id < before if before is not None else true()


@functools.lru_cache(maxsize=256)
def _pages_statement(criteria: TransactionFilter, paged: bool) -> Select[Any]:
    """Built once per filter: accounts, page size and cursor are parameters."""
    wanted = (
        func.unnest(bindparam("accounts", type_=ARRAY(PgUUID(as_uuid=True))))
        .table_valued("account_id")
        .render_derived("wanted")
    )
    account = wanted.c.account_id
    limit = bindparam("limit", type_=Integer)
    older = Transactions.id < bindparam("before", type_=PgUUID(as_uuid=True)) if paged else true()
    sent = Transactions.from_account_id == account
    received = and_(Transactions.to_account_id == account, Transactions.from_account_id != account)
    sides = [
        select(Transactions)
        .where(side, older, *matching(criteria))
        .order_by(Transactions.id.desc())
        .limit(limit)
        .correlate(wanted)
        for side in (sent, received)
    ]
    merged = union_all(*sides).subquery("both_sides")
    page = select(merged).order_by(merged.c.id.desc()).limit(limit).lateral("page")
    return (
        select(account, page)
        .select_from(wanted.join(page, true()))
        .order_by(account, page.c.id.desc())
    )


class TransactionQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def pages(
        self,
        account_ids: Sequence[UUID],
        limit: int,
        before: UUID | None,
        criteria: TransactionFilter,
    ) -> list[list[LedgerTransaction]]:
        """Up to `limit` matching transactions per account, older than `before`. Each page
        merges two index scans (sent, received) that stop after `limit` rows, so a busy
        account costs what a quiet one does."""
        rows = await self._db.execute(
            _pages_statement(criteria, before is not None),
            {"accounts": list(account_ids), "limit": limit, "before": before},
        )
        by_account: dict[UUID, list[LedgerTransaction]] = {a: [] for a in account_ids}
        for row in rows:
            by_account[row.account_id].append(to_transaction(row))
        return [by_account[a] for a in account_ids]

    async def search(
        self, criteria: TransactionFilter, limit: int, before: UUID | None
    ) -> list[LedgerTransaction]:
        rows = await self._db.scalars(
            select(Transactions)
            .where(_older_than(before), *matching(criteria))
            .order_by(Transactions.id.desc())
            .limit(limit)
        )
        return [to_transaction(row) for row in rows]

    async def visible(
        self, transaction_ids: Sequence[UUID], viewer: UUID | None, read_any: bool
    ) -> list[LedgerTransaction | None]:
        """Those the viewer may see: a party's owner, a user of its merchant, or anyone
        holding `payments:read_any`."""
        party = exists().where(
            AccountRow.id.in_([Transactions.from_account_id, Transactions.to_account_id]),
            AccountRow.owner_id == viewer,
        )
        merchant_user = exists().where(
            MerchantMemberRow.merchant_id == Transactions.merchant_id,
            MerchantMemberRow.user_id == viewer,
        )
        allowed = true() if read_any else (or_(party, merchant_user) if viewer else false())
        rows = await self._db.scalars(
            select(Transactions).where(Transactions.id.in_(transaction_ids), allowed)
        )
        found = {row.id: to_transaction(row) for row in rows}
        return [found.get(transaction_id) for transaction_id in transaction_ids]

    async def accounts(
        self, criteria: AccountFilter, limit: int, before: UUID | None
    ) -> list[Account]:
        conditions: list[ColumnElement[bool]] = []
        if criteria.kind is not None:
            conditions.append(AccountRow.kind == criteria.kind.value)
        if criteria.currency is not None:
            conditions.append(AccountRow.currency == criteria.currency.value)
        if criteria.owner_id is not None:
            conditions.append(AccountRow.owner_id == criteria.owner_id)
        if before is not None:
            conditions.append(AccountRow.id < before)
        rows = await self._db.scalars(
            select(AccountRow).where(*conditions).order_by(AccountRow.id.desc()).limit(limit)
        )
        return [to_account(row) for row in rows]

    async def merchant_days(
        self,
        merchant_id: UUID,
        currency: Currency,
        start: datetime,
        end: datetime,
        utc_offset: timedelta,
    ) -> dict[date, MerchantDay]:
        """Daily totals of a merchant's payments and corrections in [start, end), by the
        local date (UTC + `utc_offset`) they happened on; days without any are left out."""
        original = aliased(LedgerTransactionRow)
        local_day = cast(func.timezone("UTC", Transactions.created_at) + utc_offset, Date)
        sale = and_(
            Transactions.kind == TransactionKind.PAYMENT.value,
            Transactions.status.in_(SUCCEEDED_PAYMENT),
        )
        correction = and_(
            Transactions.kind.in_(CORRECTIONS),
            Transactions.status == TransactionStatus.COMPLETED.value,
        )
        rows = await self._db.execute(
            select(
                local_day,
                func.coalesce(func.sum(Transactions.amount_minor).filter(sale), 0),
                func.coalesce(func.sum(Transactions.fee_minor).filter(sale), 0),
                func.coalesce(func.sum(Transactions.amount_minor).filter(correction), 0),
                func.coalesce(func.sum(original.fee_minor).filter(correction), 0),
                func.count().filter(sale),
                func.count().filter(correction),
            )
            .outerjoin(
                original,
                and_(
                    original.id == Transactions.original_id,
                    Transactions.kind == TransactionKind.REVERSAL.value,
                ),
            )
            .where(
                Transactions.merchant_id == merchant_id,
                Transactions.currency == currency.value,
                Transactions.created_at >= start,
                Transactions.created_at < end,
            )
            .group_by(local_day)
        )
        return {
            day: MerchantDay(
                day=day,
                currency=currency,
                sales_minor=int(sales),
                fees_minor=int(fees),
                refunds_minor=int(refunds),
                fees_returned_minor=int(returned),
                payment_count=int(payments),
                refund_count=int(corrections),
            )
            for day, sales, fees, refunds, returned, payments, corrections in rows
        }
