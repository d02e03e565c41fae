"""Double-entry rules: every transaction's postings sum to zero per currency."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from uuid import UUID

from domain.payments.errors import UnbalancedTransaction
from domain.payments.model import Account, Posting
from domain.shared.errors import DomainError
from domain.shared.money import Currency, Money

MAX_AMOUNT_MINOR = 10**12  # N$10 billion: far beyond any limit, still exact in int64
MAX_REFERENCE = 140
FEE_SCALE = 10_000  # fees are in basis points


def check_amount(amount: Money) -> None:
    if not 0 < amount.amount_minor <= MAX_AMOUNT_MINOR:
        raise DomainError("Amounts are positive and at most N$10 billion", field="amount")


def clean_reference(reference: str) -> str:
    cleaned = " ".join(reference.split())
    if len(cleaned) > MAX_REFERENCE:
        raise DomainError(f"References are at most {MAX_REFERENCE} characters", field="reference")
    return cleaned


def fee_for(amount: Money, basis_points: int) -> Money:
    """`basis_points` of the amount, rounded half to even to the minor unit."""
    quotient, remainder = divmod(amount.amount_minor * basis_points, FEE_SCALE)
    if 2 * remainder > FEE_SCALE or (2 * remainder == FEE_SCALE and quotient % 2 == 1):
        quotient += 1
    return Money(quotient, amount.currency)


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
