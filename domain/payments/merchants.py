"""Merchants: applying, approval by staff, customer payments with a fee, and refunds."""

from dataclasses import dataclass, replace
from uuid import UUID

from domain.payments.bookkeeping import Bookkeeper, require_available
from domain.payments.errors import (
    AccountNotFound,
    InvalidState,
    MerchantNotFound,
    RefundExceedsPayment,
    SelfTransfer,
    TransactionNotFound,
)
from domain.payments.ledger import check_amount, clean_reference, fee_for
from domain.payments.model import (
    Account,
    AccountKind,
    LedgerTransaction,
    Merchant,
    MerchantStatus,
    Posting,
    TransactionKind,
    TransactionStatus,
)
from domain.payments.ports import PaymentsUnitOfWork
from domain.shared.clock import Clock
from domain.shared.errors import Conflict, DomainError, Forbidden, NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from domain.shared.money import Currency, Money

MERCHANT_APPLIED = "payments.merchant_applied"
MERCHANT_DECIDED = "payments.merchant_decided"
MERCHANT_USER_ADDED = "payments.merchant_user_added"
MERCHANT_USER_REMOVED = "payments.merchant_user_removed"
MAX_TRADING_NAME = 80


@dataclass(frozen=True)
class MerchantPayment:
    initiated_by: UUID
    merchant_id: UUID
    amount: Money
    reference: str


@dataclass(frozen=True)
class Refund:
    initiated_by: UUID
    payment_id: UUID
    amount: Money


class MerchantService:
    def __init__(self, clock: Clock, fee_basis_points: int) -> None:
        self._clock = clock
        self._fee_basis_points = fee_basis_points
        self._books = Bookkeeper(clock)

    async def apply(self, uow: PaymentsUnitOfWork, owner_id: UUID, trading_name: str) -> Merchant:
        name = " ".join(trading_name.split())
        if not 2 <= len(name) <= MAX_TRADING_NAME:
            raise DomainError(
                f"The trading name is 2 to {MAX_TRADING_NAME} characters", field="tradingName"
            )
        merchant = Merchant(
            id=new_id(),
            owner_id=owner_id,
            trading_name=name,
            status=MerchantStatus.PENDING,
            created_at=self._clock.now(),
        )
        if not await uow.merchants.add(merchant):
            raise Conflict("You have already applied as a merchant", field="tradingName")
        uow.record(self._event(MERCHANT_APPLIED, merchant))
        return merchant

    async def decide(
        self, uow: PaymentsUnitOfWork, merchant_id: UUID, decided_by: UUID, approve: bool
    ) -> Merchant:
        """Approval opens the NAD settlement account and makes the owner a merchant user."""
        merchant = await uow.merchants.get(merchant_id, lock=True)
        if merchant is None:
            raise MerchantNotFound("No such merchant", field="merchantId")
        if merchant.owner_id == decided_by:
            raise Forbidden("Nobody decides on their own application", field="merchantId")
        if merchant.status is not MerchantStatus.PENDING:
            raise InvalidState(
                f"This application was already {merchant.status.value}", field="merchantId"
            )
        now = self._clock.now()
        status = MerchantStatus.APPROVED if approve else MerchantStatus.REJECTED
        decided = replace(merchant, status=status, decided_at=now, decided_by=decided_by)
        if approve:
            account = await self._settlement_account(uow, merchant, Currency.NAD)
            decided = replace(decided, settlement_account_id=account.id)
            await uow.merchants.add_member(merchant.id, merchant.owner_id, "owner")
            await uow.merchant_roles.grant_merchant(merchant.owner_id)
        await uow.merchants.save(decided)
        uow.record(self._event(MERCHANT_DECIDED, decided))
        return decided

    async def add_user(
        self, uow: PaymentsUnitOfWork, owner_id: UUID, email: str
    ) -> tuple[Merchant, UUID]:
        """The owner lets another user act for the merchant (dashboard, refunds)."""
        merchant = await self._owned_by(uow, owner_id)
        user_id = await uow.recipients.by_email(email)
        if user_id is None:
            raise NotFound("No active user has that email address", field="email")
        if await uow.merchants.is_member(merchant.id, user_id):
            raise Conflict("That user already acts for this merchant", field="email")
        await uow.merchants.add_member(merchant.id, user_id, "staff")
        await uow.merchant_roles.grant_merchant(user_id)
        uow.record(self._event(MERCHANT_USER_ADDED, merchant, {"user_id": str(user_id)}))
        return merchant, user_id

    async def remove_user(self, uow: PaymentsUnitOfWork, owner_id: UUID, user_id: UUID) -> Merchant:
        merchant = await self._owned_by(uow, owner_id)
        if user_id == owner_id:
            raise Forbidden("The owner stays a user of the merchant", field="userId")
        if not await uow.merchants.remove_member(merchant.id, user_id):
            raise NotFound("That user does not act for this merchant", field="userId")
        uow.record(self._event(MERCHANT_USER_REMOVED, merchant, {"user_id": str(user_id)}))
        return merchant

    async def _owned_by(self, uow: PaymentsUnitOfWork, owner_id: UUID) -> Merchant:
        merchant = await uow.merchants.of_owner(owner_id)
        if merchant is None or merchant.status is not MerchantStatus.APPROVED:
            raise MerchantNotFound("You own no approved merchant", field="merchantId")
        return merchant

    async def pay(self, uow: PaymentsUnitOfWork, command: MerchantPayment) -> LedgerTransaction:
        check_amount(command.amount)
        reference = clean_reference(command.reference)
        merchant = await uow.merchants.get(command.merchant_id)
        if merchant is None or merchant.status is not MerchantStatus.APPROVED:
            raise MerchantNotFound("No such merchant accepts payments", field="merchantId")
        if merchant.owner_id == command.initiated_by:
            raise SelfTransfer("A merchant cannot pay itself", field="merchantId")
        currency = command.amount.currency
        wallet = await uow.accounts.wallet_of(command.initiated_by, currency)
        if wallet is None:
            raise AccountNotFound(f"You have no {currency.value} wallet", field="amount")
        settlement = await self._settlement_account(uow, merchant, currency)
        fees = await uow.accounts.system(AccountKind.FEES, currency)
        locked = await uow.accounts.lock([wallet.id, settlement.id, fees.id])
        payer, payee = locked[wallet.id], locked[settlement.id]
        require_available(payer, command.amount, "The balance does not cover this payment")
        await self._books.check_outflow(uow, payer, command.amount)
        fee = fee_for(command.amount, self._fee_basis_points)
        postings = [
            Posting(payer.id, -command.amount),
            Posting(payee.id, command.amount - fee),
        ]
        if fee.amount_minor:
            postings.append(Posting(fees.id, fee))
        payment = LedgerTransaction(
            id=new_id(),
            kind=TransactionKind.PAYMENT,
            status=TransactionStatus.COMPLETED,
            amount=command.amount,
            from_account_id=payer.id,
            to_account_id=payee.id,
            reference=reference,
            initiated_by=command.initiated_by,
            created_at=self._clock.now(),
            postings=tuple(p for p in postings if p.amount.amount_minor),
            fee=fee,
            merchant_id=merchant.id,
        )
        return await self._books.record(uow, payment, [payer, payee])

    async def refund(self, uow: PaymentsUnitOfWork, command: Refund) -> LedgerTransaction:
        """Returns part or all of a payment from the merchant's account; the fee stays."""
        check_amount(command.amount)
        payment = await uow.ledger.lock_transaction(command.payment_id)
        if (
            payment is None
            or payment.kind is not TransactionKind.PAYMENT
            or payment.merchant_id is None
            or not await uow.merchants.is_member(payment.merchant_id, command.initiated_by)
        ):
            raise TransactionNotFound("No such payment to your business", field="transactionId")
        if payment.status is not TransactionStatus.COMPLETED:
            raise InvalidState(
                f"Only completed payments are refunded; this one is {payment.status.value}",
                field="transactionId",
            )
        if command.amount.currency is not payment.amount.currency:
            raise DomainError("Refund in the payment's currency", field="amount")
        if command.amount.amount_minor > payment.refundable_minor:
            remaining = Money(payment.refundable_minor, payment.amount.currency)
            raise RefundExceedsPayment(
                f"At most {remaining.display()} of this payment is left to refund", field="amount"
            )
        payer_id, payee_id = payment.endpoints
        locked = await uow.accounts.lock([payee_id, payer_id])
        payee, payer = locked[payee_id], locked[payer_id]
        require_available(
            payee, command.amount, "The merchant's balance does not cover this refund"
        )
        refund = LedgerTransaction(
            id=new_id(),
            kind=TransactionKind.REFUND,
            status=TransactionStatus.COMPLETED,
            amount=command.amount,
            from_account_id=payee.id,
            to_account_id=payer.id,
            reference=payment.reference,
            initiated_by=command.initiated_by,
            created_at=self._clock.now(),
            postings=(Posting(payee.id, -command.amount), Posting(payer.id, command.amount)),
            merchant_id=payment.merchant_id,
            original_id=payment.id,
        )
        await uow.ledger.add_refund(payment.id, command.amount.amount_minor)
        return await self._books.record(uow, refund, [payee, payer])

    async def _settlement_account(
        self, uow: PaymentsUnitOfWork, merchant: Merchant, currency: Currency
    ) -> Account:
        kind = AccountKind.MERCHANT_SETTLEMENT
        account = await uow.accounts.owned(merchant.owner_id, kind, currency)
        if account is None:
            await uow.accounts.open(
                Account(
                    id=new_id(),
                    owner_id=merchant.owner_id,
                    kind=kind,
                    currency=currency,
                    balance_minor=0,
                    created_at=self._clock.now(),
                )
            )
            account = await uow.accounts.owned(merchant.owner_id, kind, currency)
        assert account is not None
        return account

    def _event(
        self, name: str, merchant: Merchant, extra: dict[str, str] | None = None
    ) -> DomainEvent:
        return DomainEvent(
            name=name,
            aggregate_type="Merchant",
            aggregate_id=merchant.id,
            occurred_at=self._clock.now(),
            payload={"status": merchant.status.value, **(extra or {})},
            audience=(merchant.owner_id,),
        )
