"""Wallet money movement: deposits and payouts through a gateway, transfers, reversals."""

from dataclasses import dataclass, replace
from uuid import UUID

from domain.payments.bookkeeping import Bookkeeper, require_available
from domain.payments.errors import (
    AccountNotFound,
    CurrencyMismatch,
    InsufficientFunds,
    InvalidState,
    SelfTransfer,
    TransactionNotFound,
)
from domain.payments.ledger import check_amount, clean_reference, move
from domain.payments.model import (
    REVERSIBLE_KINDS,
    Account,
    AccountKind,
    LedgerTransaction,
    TransactionKind,
    TransactionStatus,
)
from domain.payments.ports import (
    GatewayOutcome,
    GatewayResult,
    PaymentGateway,
    PaymentsUnitOfWork,
)
from domain.shared.clock import Clock
from domain.shared.errors import Conflict, DomainError
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from domain.shared.money import Currency, Money

ACCOUNT_OPENED = "payments.account_opened"
WALLET_ROLES = frozenset({"customer", "merchant"})


@dataclass(frozen=True)
class Recipient:
    """Exactly one of: a wallet id, an email address, or a KYC-verified phone number."""

    account_id: UUID | None = None
    email: str | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        if sum(value is not None for value in (self.account_id, self.email, self.phone)) != 1:
            raise DomainError("Give exactly one of accountId, email or phone", field="to")


@dataclass(frozen=True)
class Transfer:
    initiated_by: UUID
    from_account_id: UUID
    to: Recipient
    amount: Money
    reference: str


@dataclass(frozen=True)
class Deposit:
    initiated_by: UUID
    account_id: UUID
    amount: Money


@dataclass(frozen=True)
class Withdrawal:
    initiated_by: UUID
    account_id: UUID
    amount: Money
    reference: str


@dataclass(frozen=True)
class Reversal:
    initiated_by: UUID
    transaction_id: UUID
    reason: str


@dataclass(frozen=True)
class GatewayNotice:
    """A verified gateway callback: the final outcome of a deposit or payout."""

    gateway_reference: str
    succeeded: bool
    failure_reason: str | None = None


class PaymentsService:
    def __init__(self, clock: Clock, gateway: PaymentGateway) -> None:
        self._clock = clock
        self._gateway = gateway
        self._books = Bookkeeper(clock)

    @property
    def gateway_name(self) -> str:
        return self._gateway.name

    async def open_wallet(
        self, uow: PaymentsUnitOfWork, owner_id: UUID, currency: Currency = Currency.NAD
    ) -> bool:
        return await self.open_account(uow, owner_id, AccountKind.CUSTOMER_WALLET, currency)

    async def open_account(
        self, uow: PaymentsUnitOfWork, owner_id: UUID, kind: AccountKind, currency: Currency
    ) -> bool:
        account = Account(
            id=new_id(),
            owner_id=owner_id,
            kind=kind,
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
                    payload={"kind": kind.value, "currency": currency.value},
                    audience=(owner_id,),
                )
            )
        return opened

    async def open_other_wallet(
        self, uow: PaymentsUnitOfWork, owner_id: UUID, currency: Currency
    ) -> Account:
        if not await self.open_wallet(uow, owner_id, currency):
            raise Conflict(f"You already have a {currency.value} wallet", field="currency")
        opened = await uow.accounts.wallet_of(owner_id, currency)
        assert opened is not None
        return opened

    async def transfer(self, uow: PaymentsUnitOfWork, command: Transfer) -> LedgerTransaction:
        check_amount(command.amount)
        reference = clean_reference(command.reference)
        to_account_id = await self._recipient_account(uow, command)
        if command.from_account_id == to_account_id:
            raise SelfTransfer("Choose a different account to send to", field="to")
        locked = await uow.accounts.lock([command.from_account_id, to_account_id])
        source = locked.get(command.from_account_id)
        destination = locked.get(to_account_id)
        if source is None or source.owner_id != command.initiated_by:
            raise AccountNotFound("No such account", field="fromAccountId")
        if (
            destination is None
            or destination.kind is not AccountKind.CUSTOMER_WALLET
            or destination.owner_id is None
            or not await uow.active_users.exists(destination.owner_id)
        ):
            raise AccountNotFound("No such recipient account", field="to")
        if destination.owner_id == source.owner_id:
            raise SelfTransfer("Transfers between your own wallets are not supported", field="to")
        if not source.currency == destination.currency == command.amount.currency:
            raise CurrencyMismatch(
                "Both accounts and the amount must share a currency", field="amount"
            )
        require_available(source, command.amount, "The balance does not cover this transfer")
        await self._books.check_outflow(uow, source, command.amount)
        await self._books.check_balance_cap(uow, destination, command.amount)
        transaction = self._new(
            TransactionKind.TRANSFER, command.initiated_by, source, destination, command.amount
        )
        return await self._books.record(
            uow,
            replace(
                transaction,
                reference=reference,
                postings=move(source, destination, command.amount),
            ),
            [source, destination],
        )

    async def deposit(self, uow: PaymentsUnitOfWork, command: Deposit) -> LedgerTransaction:
        """Charges the gateway; a declined charge is recorded as failed and moves nothing."""
        check_amount(command.amount)
        wallet = await self._own_account(uow, command.initiated_by, command.account_id)
        if wallet.currency is not command.amount.currency:
            raise CurrencyMismatch("The amount must be in the account's currency", field="amount")
        await self._books.check_balance_cap(uow, wallet, command.amount)
        clearing = await uow.accounts.system(AccountKind.GATEWAY_CLEARING, wallet.currency)
        transaction = self._new(
            TransactionKind.DEPOSIT, command.initiated_by, clearing, wallet, command.amount
        )
        result = await self._gateway.charge(str(transaction.id), command.amount)
        transaction = self._with_gateway(transaction, result)
        if result.outcome is not GatewayOutcome.SUCCEEDED:
            return await self._books.record(uow, transaction, [wallet])
        locked = await uow.accounts.lock([clearing.id, wallet.id])
        postings = move(locked[clearing.id], locked[wallet.id], command.amount)
        return await self._books.record(
            uow, replace(transaction, postings=postings), [locked[wallet.id]]
        )

    async def withdraw(self, uow: PaymentsUnitOfWork, command: Withdrawal) -> LedgerTransaction:
        """Pays out through the gateway. While the gateway works on it the money is held:
        it cannot be spent, and a failure releases it without posting anything."""
        check_amount(command.amount)
        reference = clean_reference(command.reference)
        owned = await self._own_account(uow, command.initiated_by, command.account_id)
        clearing = await uow.accounts.system(AccountKind.GATEWAY_CLEARING, owned.currency)
        locked = await uow.accounts.lock([owned.id, clearing.id])
        wallet = locked[owned.id]
        if wallet.currency is not command.amount.currency:
            raise CurrencyMismatch("The amount must be in the account's currency", field="amount")
        require_available(wallet, command.amount, "The balance does not cover this payout")
        await self._books.check_outflow(uow, wallet, command.amount)
        transaction = replace(
            self._new(
                TransactionKind.WITHDRAWAL, command.initiated_by, wallet, clearing, command.amount
            ),
            reference=reference,
        )
        result = await self._gateway.payout(str(transaction.id), command.amount)
        transaction = self._with_gateway(transaction, result)
        if result.outcome is GatewayOutcome.SUCCEEDED:
            transaction = replace(
                transaction, postings=move(wallet, locked[clearing.id], command.amount)
            )
        recorded = await self._books.record(uow, transaction, [wallet])
        if result.outcome is GatewayOutcome.PENDING:
            await uow.ledger.hold(wallet.id, command.amount.amount_minor)
        return recorded

    async def settle(self, uow: PaymentsUnitOfWork, notice: GatewayNotice) -> bool:
        """Applies a gateway's final word on a deposit or payout in flight. False when
        there is nothing left to do (already settled): replays change nothing."""
        transaction = await uow.ledger.lock_by_gateway_reference(
            self._gateway.name, notice.gateway_reference
        )
        if transaction is None:
            raise TransactionNotFound("No transaction has that gateway reference")
        if transaction.status is not TransactionStatus.PROCESSING:
            return False
        source_id, destination_id = transaction.endpoints
        locked = await uow.accounts.lock([source_id, destination_id])
        source, destination = locked[source_id], locked[destination_id]
        payout = transaction.kind is TransactionKind.WITHDRAWAL
        holds = {source.id: -transaction.amount.amount_minor} if payout else None
        if notice.succeeded:
            await self._books.transition(
                uow,
                transaction,
                TransactionStatus.COMPLETED,
                [source, destination],
                move(source, destination, transaction.amount),
                holds,
            )
        else:
            await self._books.transition(
                uow,
                transaction,
                TransactionStatus.FAILED,
                [source, destination],
                holds=holds,
                failure_reason=notice.failure_reason or "declined",
            )
        return True

    async def reverse(self, uow: PaymentsUnitOfWork, command: Reversal) -> LedgerTransaction:
        """Posts the exact opposite of a completed transaction and marks it reversed."""
        reason = clean_reference(command.reason)
        if not reason:
            raise DomainError("Say why the transaction is reversed", field="reason")
        original = await uow.ledger.lock_transaction(command.transaction_id)
        if original is None:
            raise TransactionNotFound("No such transaction", field="transactionId")
        if original.kind not in REVERSIBLE_KINDS:
            raise InvalidState(f"A {original.kind.value} cannot be reversed", field="transactionId")
        if original.status is not TransactionStatus.COMPLETED:
            raise InvalidState(
                f"Only completed transactions are reversed; this one is {original.status.value}",
                field="transactionId",
            )
        if original.refunded_minor:
            raise InvalidState(
                "This payment was partly refunded; refund the rest instead", field="transactionId"
            )
        postings = tuple(
            replace(p, amount=-p.amount) for p in await uow.ledger.postings_of(original.id)
        )
        locked = await uow.accounts.lock([p.account_id for p in postings])
        for posting in postings:
            account = locked[posting.account_id]
            if not account.kind.may_go_negative and (
                account.available_minor + posting.amount.amount_minor < 0
            ):
                raise InsufficientFunds(
                    "An account it paid into no longer holds the money", field="transactionId"
                )
        paid_from, paid_to = original.endpoints
        source, destination = locked[paid_to], locked[paid_from]
        reversal = replace(
            self._new(
                TransactionKind.REVERSAL,
                command.initiated_by,
                source,
                destination,
                original.amount,
            ),
            reference=reason,
            original_id=original.id,
            merchant_id=original.merchant_id,
            postings=postings,
        )
        recorded = await self._books.record(uow, reversal, list(locked.values()))
        await self._books.transition(
            uow, original, TransactionStatus.REVERSED, list(locked.values())
        )
        return recorded

    async def _recipient_account(self, uow: PaymentsUnitOfWork, command: Transfer) -> UUID:
        to = command.to
        if to.account_id is not None:
            return to.account_id
        owner = (
            await uow.recipients.by_email(to.email)
            if to.email is not None
            else await uow.recipients.by_phone(to.phone or "")
        )
        wallet = (
            None if owner is None else await uow.accounts.wallet_of(owner, command.amount.currency)
        )
        if wallet is None:
            raise AccountNotFound(
                f"No {command.amount.currency.value} wallet belongs to that recipient", field="to"
            )
        return wallet.id

    async def _own_account(
        self, uow: PaymentsUnitOfWork, owner_id: UUID, account_id: UUID
    ) -> Account:
        account = await uow.accounts.get(account_id)
        if account is None or account.owner_id != owner_id:
            raise AccountNotFound("No such account", field="accountId")
        return account

    def _new(
        self,
        kind: TransactionKind,
        initiated_by: UUID,
        source: Account,
        destination: Account,
        amount: Money,
    ) -> LedgerTransaction:
        return LedgerTransaction(
            id=new_id(),
            kind=kind,
            status=TransactionStatus.COMPLETED,
            amount=amount,
            from_account_id=source.id,
            to_account_id=destination.id,
            reference="",
            initiated_by=initiated_by,
            created_at=self._clock.now(),
        )

    def _with_gateway(
        self, transaction: LedgerTransaction, result: GatewayResult
    ) -> LedgerTransaction:
        status = {
            GatewayOutcome.SUCCEEDED: TransactionStatus.COMPLETED,
            GatewayOutcome.FAILED: TransactionStatus.FAILED,
            GatewayOutcome.PENDING: TransactionStatus.PROCESSING,
        }[result.outcome]
        return replace(
            transaction,
            status=status,
            gateway=self._gateway.name,
            gateway_reference=result.gateway_reference,
            failure_reason=result.failure_reason,
        )
