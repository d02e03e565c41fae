"""Double-entry rules: every transaction's postings sum to zero per currency."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from uuid import UUID

from domain.payments.errors import UnbalancedTransaction
from domain.payments.model import Account, Posting
from domain.shared.money import Currency, Money

MAX_AMOUNT_MINOR = 10**12  # N$10 billion: far beyond any limit, still exact in int64


def check_balanced(postings: Sequence[Posting]) -> None:
    totals: dict[Currency, int] = defaultdict(int)
    for posting in postings:
        totals[posting.amount.currency] += posting.amount.amount_minor
    unbalanced = {currency: total for currency, total in totals.items() if total != 0}
    if len(postings) < 2 or unbalanced:
        raise UnbalancedTransaction(f"postings do not balance: {unbalanced or 'fewer than two'}")


def move(source: Account, destination: Account, amount: Money) -> tuple[Posting, Posting]:
    return (Posting(source.id, -amount), Posting(destination.id, amount))


def balances_after(accounts: Iterable[Account], postings: Sequence[Posting]) -> dict[UUID, int]:
    after = {account.id: account.balance_minor for account in accounts}
    for posting in postings:
        after[posting.account_id] += posting.amount.amount_minor
    return after
