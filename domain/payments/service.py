"""Money movement: deposits through a gateway, and transfers between wallets."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

from domain.payments.errors import (
    AccountNotFound,
    CurrencyMismatch,
    InsufficientFunds,
    LimitExceeded,
    SelfTransfer,
)
from domain.payments.ledger import MAX_AMOUNT_MINOR, check_balanced, move
from domain.payments.model import (
    Account,
    AccountKind,
    LedgerTransaction,
    TransactionKind,
    TransactionStatus,
)
from domain.payments.ports import PaymentGateway, PaymentsUnitOfWork
from domain.shared.clock import Clock
from domain.shared.errors import DomainError
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from domain.shared.money import Currency, Money

MAX_REFERENCE = 140
NAMIBIA = timezone(timedelta(hours=2), "CAT")
TRANSACTION_RECORDED = "payments.transaction_recorded"
ACCOUNT_OPENED = "payments.account_opened"
WALLET_ROLES = frozenset({"customer", "merchant"})


@dataclass(frozen=True)
class Transfer:
    initiated_by: UUID
    from_account_id: UUID
    to_account_id: UUID
    amount: Money
    reference: str


@dataclass(frozen=True)
class Deposit:
    initiated_by: UUID
    account_id: UUID
    amount: Money


def check_amount(amount: Money) -> None:
    if not 0 < amount.amount_minor <= MAX_AMOUNT_MINOR:
        raise DomainError("Amounts are positive and at most N$10 billion", field="amount")


def clean_reference(reference: str) -> str:
    cleaned = " ".join(reference.split())
    if len(cleaned) > MAX_REFERENCE:
        raise DomainError(f"References are at most {MAX_REFERENCE} characters", field="reference")
    return cleaned


class PaymentsService:
    def __init__(self, clock: Clock, gateway: PaymentGateway) -> None:
        self._clock = clock
        self._gateway = gateway

    async def open_wallet(
        self, uow: PaymentsUnitOfWork, owner_id: UUID, currency: Currency = Currency.NAD
    ) -> bool:
        account = Account(
            id=new_id(),
            owner_id=owner_id,
            kind=AccountKind.CUSTOMER_WALLET,
            currency=currency,
            balance_minor=0,
            created_at=self._clock.now(),
        )
        opened = await uow.accounts.open(account)
        if opened:
            uow.record(
                DomainEvent(
                    name=ACCOUNT_OPENED,
                    aggregate_type="Account",
                    aggregate_id=account.id,
                    occurred_at=account.created_at,
                    payload={"kind": account.kind.value, "currency": currency.value},
                    audience=(owner_id,),
                )
            )
        return opened

    async def transfer(self, uow: PaymentsUnitOfWork, command: Transfer) -> LedgerTransaction:
        check_amount(command.amount)
        reference = clean_reference(command.reference)
        if command.from_account_id == command.to_account_id:
            raise SelfTransfer("Choose a different account to send to", field="to")
        locked = await uow.accounts.lock([command.from_account_id, command.to_account_id])
        source = locked.get(command.from_account_id)
        destination = locked.get(command.to_account_id)
        if source is None or source.owner_id != command.initiated_by:
            raise AccountNotFound("No such account", field="fromAccountId")
        if destination is None or destination.kind is not AccountKind.CUSTOMER_WALLET:
            raise AccountNotFound("No such recipient account", field="to")
        if destination.owner_id == source.owner_id:
            raise SelfTransfer("Transfers between your own wallets are not supported", field="to")
        if not source.currency == destination.currency == command.amount.currency:
            raise CurrencyMismatch(
                "Both accounts and the amount must share a currency", field="amount"
            )
        if source.balance_minor < command.amount.amount_minor:
            raise InsufficientFunds("The balance does not cover this transfer", field="amount")
        await self._check_outflow(uow, source, command.amount)
        await self._check_balance_cap(uow, destination, command.amount)
        return await self._post(
            uow,
            TransactionKind.TRANSFER,
            command.initiated_by,
            source,
            destination,
            command.amount,
            reference,
        )

    async def deposit(self, uow: PaymentsUnitOfWork, command: Deposit) -> LedgerTransaction:
        """Charges the gateway; a failed charge is recorded and moves no money."""
        check_amount(command.amount)
        wallet = await uow.accounts.get(command.account_id)
        if wallet is None or wallet.owner_id != command.initiated_by:
            raise AccountNotFound("No such account", field="accountId")
        if wallet.currency is not command.amount.currency:
            raise CurrencyMismatch("The amount must be in the account's currency", field="amount")
        await self._check_balance_cap(uow, wallet, command.amount)
        transaction_id = new_id()
        result = await self._gateway.charge(str(transaction_id), command.amount)
        clearing = await uow.accounts.system(AccountKind.GATEWAY_CLEARING, wallet.currency)
        if not result.succeeded:
            failed = LedgerTransaction(
                id=transaction_id,
                kind=TransactionKind.DEPOSIT,
                status=TransactionStatus.FAILED,
                amount=command.amount,
                from_account_id=clearing.id,
                to_account_id=wallet.id,
                reference=result.gateway_reference,
                initiated_by=command.initiated_by,
                created_at=self._clock.now(),
                failure_reason=result.failure_reason,
            )
            await uow.ledger.record(failed)
            uow.record(_recorded(failed, wallet))
            return failed
        locked = await uow.accounts.lock([clearing.id, wallet.id])
        return await self._post(
            uow,
            TransactionKind.DEPOSIT,
            command.initiated_by,
            locked[clearing.id],
            locked[wallet.id],
            command.amount,
            result.gateway_reference,
            transaction_id,
        )

    async def _check_outflow(self, uow: PaymentsUnitOfWork, source: Account, amount: Money) -> None:
        """Called with the source locked, so concurrent sends see each other's outflow."""
        assert source.owner_id is not None
        limits = await uow.limits.for_owner(source.owner_id)
        if amount.amount_minor > limits.per_transaction.amount_minor:
            raise LimitExceeded(
                f"A single transfer may be at most {limits.per_transaction.display()}",
                field="amount",
            )
        since = day_start(self._clock.now())
        sent_today = await uow.ledger.outflow_since(source.id, since)
        if sent_today + amount.amount_minor > limits.daily_outflow.amount_minor:
            raise LimitExceeded(
                f"This would pass your daily limit of {limits.daily_outflow.display()}",
                field="amount",
            )

    async def _check_balance_cap(
        self, uow: PaymentsUnitOfWork, account: Account, amount: Money
    ) -> None:
        if account.owner_id is None:
            return
        limits = await uow.limits.for_owner(account.owner_id)
        if account.balance_minor + amount.amount_minor > limits.max_balance.amount_minor:
            raise LimitExceeded(
                f"The wallet may hold at most {limits.max_balance.display()}", field="amount"
            )

    async def _post(
        self,
        uow: PaymentsUnitOfWork,
        kind: TransactionKind,
        initiated_by: UUID,
        source: Account,
        destination: Account,
        amount: Money,
        reference: str,
        transaction_id: UUID | None = None,
    ) -> LedgerTransaction:
        postings = move(source, destination, amount)
        check_balanced(postings)
        transaction = LedgerTransaction(
            id=transaction_id or new_id(),
            kind=kind,
            status=TransactionStatus.COMPLETED,
            amount=amount,
            from_account_id=source.id,
            to_account_id=destination.id,
            reference=reference,
            initiated_by=initiated_by,
            created_at=self._clock.now(),
            postings=postings,
        )
        await uow.ledger.record(transaction)
        uow.record(_recorded(transaction, source, destination))
        return transaction


def day_start(at: datetime) -> datetime:
    """Midnight in Namibia (UTC+2, no daylight saving), as a UTC instant."""
    local = at.astimezone(NAMIBIA)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def _recorded(transaction: LedgerTransaction, *accounts: Account) -> DomainEvent:
    audience = tuple(a.owner_id for a in accounts if a.owner_id is not None)
    return DomainEvent(
        name=TRANSACTION_RECORDED,
        aggregate_type="Transaction",
        aggregate_id=transaction.id,
        occurred_at=transaction.created_at,
        payload={
            "kind": transaction.kind.value,
            "status": transaction.status.value,
            "amount_minor": transaction.amount.amount_minor,
            "currency": transaction.amount.currency.value,
        },
        audience=audience,
    )
