from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    column,
    func,
    insert,
    select,
    update,
    values,
)
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.model import (
    OUTFLOW_KINDS,
    Account,
    AccountKind,
    LedgerTransaction,
    Posting,
    TransactionKind,
    TransactionStatus,
)
from domain.shared.money import Currency, Money
from persistence.payments.tables import (
    AccountRow,
    LedgerEntryRow,
    LedgerTransactionRow,
    TransactionEventRow,
    TransactionFeedHeadRow,
    TransactionFeedRow,
)


def to_account(row: AccountRow) -> Account:
    return Account(
        id=row.id,
        owner_id=row.owner_id,
        kind=AccountKind(row.kind),
        currency=Currency(row.currency),
        balance_minor=row.balance_minor,
        held_minor=row.held_minor,
        created_at=row.created_at,
    )


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def lock(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        rows = await self._db.scalars(
            select(AccountRow)
            .where(AccountRow.id.in_(account_ids))
            .order_by(AccountRow.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return {row.id: to_account(row) for row in rows}

    async def get(self, account_id: UUID) -> Account | None:
        row = await self._db.scalar(select(AccountRow).where(AccountRow.id == account_id))
        return None if row is None else to_account(row)

    async def get_many(self, account_ids: Sequence[UUID]) -> list[Account | None]:
        rows = await self._db.scalars(select(AccountRow).where(AccountRow.id.in_(account_ids)))
        found = {row.id: to_account(row) for row in rows}
        return [found.get(account_id) for account_id in account_ids]

    async def wallet_of(self, owner_id: UUID, currency: Currency) -> Account | None:
        return await self.owned(owner_id, AccountKind.CUSTOMER_WALLET, currency)

    async def owned(self, owner_id: UUID, kind: AccountKind, currency: Currency) -> Account | None:
        row = await self._db.scalar(
            select(AccountRow).where(
                AccountRow.owner_id == owner_id,
                AccountRow.kind == kind.value,
                AccountRow.currency == currency.value,
            )
        )
        return None if row is None else to_account(row)

    async def system(self, kind: AccountKind, currency: Currency) -> Account:
        row = await self._db.scalar(
            select(AccountRow).where(
                AccountRow.owner_id.is_(None),
                AccountRow.kind == kind.value,
                AccountRow.currency == currency.value,
            )
        )
        assert row is not None, "system accounts are created by migration"
        return to_account(row)

    async def open(self, account: Account) -> bool:
        opened = await self._db.scalar(
            upsert(AccountRow)
            .values(
                id=account.id,
                owner_id=account.owner_id,
                kind=account.kind.value,
                currency=account.currency.value,
                balance_minor=account.balance_minor,
                created_at=account.created_at,
            )
            .on_conflict_do_nothing(constraint="uq_accounts_owner_kind_currency")
            .returning(AccountRow.id)
        )
        return opened is not None

    async def of_owners(self, owner_ids: Sequence[UUID]) -> list[list[Account]]:
        rows = await self._db.scalars(
            select(AccountRow)
            .where(AccountRow.owner_id.in_(owner_ids))
            .order_by(AccountRow.owner_id, AccountRow.created_at)
        )
        by_owner: dict[UUID, list[Account]] = {owner: [] for owner in owner_ids}
        for row in rows:
            assert row.owner_id is not None
            by_owner[row.owner_id].append(to_account(row))
        return [by_owner[owner] for owner in owner_ids]


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def record(self, transaction: LedgerTransaction, parties: Sequence[UUID]) -> int:
        await self._db.execute(
            insert(LedgerTransactionRow).values(
                id=transaction.id,
                kind=transaction.kind.value,
                status=transaction.status.value,
                amount_minor=transaction.amount.amount_minor,
                currency=transaction.amount.currency.value,
                from_account_id=transaction.from_account_id,
                to_account_id=transaction.to_account_id,
                reference=transaction.reference,
                initiated_by=transaction.initiated_by,
                failure_reason=transaction.failure_reason,
                created_at=transaction.created_at,
                updated_at=transaction.created_at,
                merchant_id=transaction.merchant_id,
                fee_minor=transaction.fee.amount_minor if transaction.fee else 0,
                original_id=transaction.original_id,
                gateway=transaction.gateway,
                gateway_reference=transaction.gateway_reference,
            )
        )
        await self._post(transaction.id, transaction.postings, transaction.created_at)
        await self._append_event(transaction, 1, parties, transaction.created_at)
        return 1

    async def transition(
        self,
        transaction: LedgerTransaction,
        parties: Sequence[UUID],
        postings: Sequence[Posting] = (),
        holds: Mapping[UUID, int] | None = None,
    ) -> int:
        at = transaction.updated_at or transaction.created_at
        await self._db.execute(
            update(LedgerTransactionRow)
            .where(LedgerTransactionRow.id == transaction.id)
            .values(
                status=transaction.status.value,
                failure_reason=transaction.failure_reason,
                updated_at=at,
            )
        )
        await self._post(transaction.id, postings, at, holds or {})
        seq = await self._db.scalar(
            select(func.max(TransactionEventRow.seq) + 1).where(
                TransactionEventRow.transaction_id == transaction.id
            )
        )
        assert seq is not None, "a transaction has its first event from the start"
        await self._append_event(transaction, seq, parties, at)
        return int(seq)

    async def hold(self, account_id: UUID, amount_minor: int) -> None:
        await self._apply({}, {account_id: amount_minor})

    async def lock_transaction(self, transaction_id: UUID) -> LedgerTransaction | None:
        return await self._locked(LedgerTransactionRow.id == transaction_id)

    async def lock_by_gateway_reference(
        self, gateway: str, gateway_reference: str
    ) -> LedgerTransaction | None:
        return await self._locked(
            LedgerTransactionRow.gateway == gateway,
            LedgerTransactionRow.gateway_reference == gateway_reference,
        )

    async def postings_of(self, transaction_id: UUID) -> tuple[Posting, ...]:
        rows = await self._db.execute(
            select(LedgerEntryRow.account_id, LedgerEntryRow.amount_minor, LedgerEntryRow.currency)
            .where(LedgerEntryRow.transaction_id == transaction_id)
            .order_by(LedgerEntryRow.id)
        )
        return tuple(
            Posting(account_id, Money(amount, Currency(currency)))
            for account_id, amount, currency in rows
        )

    async def add_refund(self, payment_id: UUID, amount_minor: int) -> None:
        await self._db.execute(
            update(LedgerTransactionRow)
            .where(LedgerTransactionRow.id == payment_id)
            .values(refunded_minor=LedgerTransactionRow.refunded_minor + amount_minor)
        )

    async def outflow_since(self, account_id: UUID, since: datetime) -> int:
        total = await self._db.scalar(
            select(func.coalesce(func.sum(LedgerTransactionRow.amount_minor), 0)).where(
                LedgerTransactionRow.from_account_id == account_id,
                LedgerTransactionRow.status.in_(
                    [TransactionStatus.COMPLETED.value, TransactionStatus.PROCESSING.value]
                ),
                LedgerTransactionRow.kind.in_([kind.value for kind in OUTFLOW_KINDS]),
                LedgerTransactionRow.created_at >= since,
            )
        )
        return int(total or 0)

    async def get(self, transaction_id: UUID) -> LedgerTransaction | None:
        row = await self._db.scalar(
            select(LedgerTransactionRow).where(LedgerTransactionRow.id == transaction_id)
        )
        return None if row is None else to_transaction(row)

    async def _locked(self, *where: ColumnElement[bool]) -> LedgerTransaction | None:
        row = await self._db.scalar(
            select(LedgerTransactionRow)
            .where(*where)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return None if row is None else to_transaction(row)

    async def _post(
        self,
        transaction_id: UUID,
        postings: Sequence[Posting],
        at: datetime,
        holds: Mapping[UUID, int] | None = None,
    ) -> None:
        if postings:
            await self._db.execute(
                insert(LedgerEntryRow),
                [
                    {
                        "transaction_id": transaction_id,
                        "account_id": posting.account_id,
                        "amount_minor": posting.amount.amount_minor,
                        "currency": posting.amount.currency.value,
                        "created_at": at,
                    }
                    for posting in postings
                ],
            )
        balances: dict[UUID, int] = defaultdict(int)
        for posting in postings:
            balances[posting.account_id] += posting.amount.amount_minor
        await self._apply(balances, holds or {})

    async def _apply(self, balances: Mapping[UUID, int], holds: Mapping[UUID, int]) -> None:
        """Every balance and hold the change touches, in one UPDATE."""
        touched = sorted(set(balances) | set(holds))
        if not touched:
            return
        changes = values(
            column("account_id", PgUUID(as_uuid=True)),
            column("balance_delta", BigInteger),
            column("hold_delta", BigInteger),
            name="changes",
        ).data([(a, balances.get(a, 0), holds.get(a, 0)) for a in touched])
        await self._db.execute(
            update(AccountRow)
            .where(AccountRow.id == changes.c.account_id)
            .values(
                balance_minor=AccountRow.balance_minor + changes.c.balance_delta,
                held_minor=AccountRow.held_minor + changes.c.hold_delta,
            )
        )

    async def _append_event(
        self, transaction: LedgerTransaction, seq: int, parties: Sequence[UUID], at: datetime
    ) -> None:
        """The transaction's own event, and the next entry in each party's feed. A party's
        head row stays locked until commit, so feed numbers become visible in order."""
        await self._db.execute(
            insert(TransactionEventRow).values(
                transaction_id=transaction.id,
                seq=seq,
                status=transaction.status.value,
                occurred_at=at,
            )
        )
        for party in sorted(set(parties)):
            head = upsert(TransactionFeedHeadRow).values(user_id=party, last_seq=1)
            feed_seq = await self._db.scalar(
                head.on_conflict_do_update(
                    index_elements=[TransactionFeedHeadRow.user_id],
                    set_={"last_seq": TransactionFeedHeadRow.last_seq + 1},
                ).returning(TransactionFeedHeadRow.last_seq)
            )
            await self._db.execute(
                insert(TransactionFeedRow).values(
                    user_id=party,
                    seq=feed_seq,
                    transaction_id=transaction.id,
                    transaction_seq=seq,
                    status=transaction.status.value,
                    occurred_at=at,
                )
            )


def to_transaction(row: LedgerTransactionRow) -> LedgerTransaction:
    return LedgerTransaction(
        id=row.id,
        kind=TransactionKind(row.kind),
        status=TransactionStatus(row.status),
        amount=Money(row.amount_minor, Currency(row.currency)),
        from_account_id=row.from_account_id,
        to_account_id=row.to_account_id,
        reference=row.reference,
        initiated_by=row.initiated_by,
        created_at=row.created_at,
        failure_reason=row.failure_reason,
        fee=Money(row.fee_minor, Currency(row.currency)) if row.kind == "payment" else None,
        merchant_id=row.merchant_id,
        original_id=row.original_id,
        refunded_minor=row.refunded_minor,
        gateway=row.gateway,
        gateway_reference=row.gateway_reference,
        updated_at=row.updated_at,
    )
