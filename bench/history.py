"""Past transactions imported in bulk, as a migration from an earlier system would bring
them: balanced postings, balances that are the sum of their entries, each party's feed
numbered without gaps; no outbox events or audit entries (nothing happens now).

A few statements for thousands of rows, where the domain services take ~12 ms a transfer."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.ledger import check_balanced
from domain.payments.model import LedgerTransaction, Posting, TransactionKind, TransactionStatus
from domain.shared.ids import new_id
from domain.shared.money import Money
from persistence.payments.tables import (
    AccountRow,
    LedgerEntryRow,
    LedgerTransactionRow,
    TransactionEventRow,
    TransactionFeedHeadRow,
    TransactionFeedRow,
)

GATEWAY = "sandbox"


@dataclass(frozen=True)
class Wallet:
    account_id: UUID
    owner_id: UUID


def funding_and_ring(
    wallets: Sequence[Wallet],
    clearing: UUID,
    funds: Money,
    sends: int,
    start: datetime,
    end: datetime,
) -> list[LedgerTransaction]:
    """A deposit into each wallet at `start`, then `sends` rounds in which each wallet pays
    the one `round` places on: every wallet receives what it sends, so only the deposits
    change balances. Times are spread evenly up to `end`, one millisecond apart at least."""
    count = len(wallets) * (1 + sends)
    step = max((end - start) / count, timedelta(milliseconds=1))
    at = (start + step * n for n in range(count))
    transactions = [
        _completed(TransactionKind.DEPOSIT, clearing, wallet, funds, wallet.owner_id, next(at))
        for wallet in wallets
    ]
    for offset in range(1, sends + 1):
        amount = Money(100 + offset, funds.currency)
        for n, wallet in enumerate(wallets):
            recipient = wallets[(n + offset) % len(wallets)]
            transactions.append(
                _completed(
                    TransactionKind.TRANSFER,
                    wallet.account_id,
                    recipient,
                    amount,
                    wallet.owner_id,
                    next(at),
                )
            )
    return transactions


def _completed(
    kind: TransactionKind, source: UUID, destination: Wallet, amount: Money, by: UUID, at: datetime
) -> LedgerTransaction:
    transaction_id = new_id(int(at.timestamp() * 1000))
    deposit = kind is TransactionKind.DEPOSIT
    return LedgerTransaction(
        id=transaction_id,
        kind=kind,
        status=TransactionStatus.COMPLETED,
        amount=amount,
        from_account_id=source,
        to_account_id=destination.account_id,
        reference="" if deposit else "Imported",
        initiated_by=by,
        created_at=at,
        updated_at=at,
        postings=(Posting(source, -amount), Posting(destination.account_id, amount)),
        gateway=GATEWAY if deposit else None,
        gateway_reference=f"sandbox_ch_{transaction_id}" if deposit else None,
    )


async def import_history(
    session: AsyncSession, transactions: Sequence[LedgerTransaction], owners: dict[UUID, UUID]
) -> None:
    """`owners`: account id -> owner for the customer accounts (system accounts have none).
    The owners must have no feed yet."""
    rows, entries, events, feed = [], [], [], []
    balances: dict[UUID, int] = defaultdict(int)
    heads: dict[UUID, int] = defaultdict(int)
    for transaction in sorted(transactions, key=lambda t: t.created_at):
        check_balanced(transaction.postings)
        rows.append(_row(transaction))
        status, at = transaction.status.value, transaction.created_at
        events.append(
            {"transaction_id": transaction.id, "seq": 1, "status": status, "occurred_at": at}
        )
        for posting in transaction.postings:
            entries.append(_entry(transaction, posting))
            balances[posting.account_id] += posting.amount.amount_minor
        for party in sorted(
            {owners[p.account_id] for p in transaction.postings if p.account_id in owners}
        ):
            heads[party] += 1
            feed.append(
                {
                    "user_id": party,
                    "seq": heads[party],
                    "transaction_id": transaction.id,
                    "transaction_seq": 1,
                    "status": status,
                    "occurred_at": at,
                }
            )
    await session.execute(insert(LedgerTransactionRow), rows)
    await session.execute(insert(LedgerEntryRow), entries)
    await session.execute(insert(TransactionEventRow), events)
    await session.execute(insert(TransactionFeedRow), feed)
    await session.execute(
        insert(TransactionFeedHeadRow), [{"user_id": u, "last_seq": s} for u, s in heads.items()]
    )
    accounts = cast(Table, AccountRow.__table__)
    await session.execute(
        update(accounts)
        .where(accounts.c.id == bindparam("account"))
        .values(balance_minor=accounts.c.balance_minor + bindparam("delta")),
        [{"account": a, "delta": d} for a, d in balances.items() if d],
    )


def _row(transaction: LedgerTransaction) -> dict[str, Any]:
    return {
        "id": transaction.id,
        "kind": transaction.kind.value,
        "status": transaction.status.value,
        "amount_minor": transaction.amount.amount_minor,
        "currency": transaction.amount.currency.value,
        "from_account_id": transaction.from_account_id,
        "to_account_id": transaction.to_account_id,
        "reference": transaction.reference,
        "initiated_by": transaction.initiated_by,
        "created_at": transaction.created_at,
        "updated_at": transaction.updated_at,
        "gateway": transaction.gateway,
        "gateway_reference": transaction.gateway_reference,
    }


def _entry(transaction: LedgerTransaction, posting: Posting) -> dict[str, Any]:
    return {
        "transaction_id": transaction.id,
        "account_id": posting.account_id,
        "amount_minor": posting.amount.amount_minor,
        "currency": posting.amount.currency.value,
        "created_at": transaction.created_at,
    }
