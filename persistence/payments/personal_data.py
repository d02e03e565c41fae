"""Payments' part of a subject's personal data: accounts, transactions, merchant, vehicles.

Erasure leaves every amount, entry and balance as it is (financial records are kept for
five years); it tombstones the free text the subject wrote (transaction references, also
where a refund or a webhook body repeats them), the trading name and webhook endpoints of
the merchant they own (suspended: nobody is left to run it) and their memberships."""

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import and_, case, delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from adapters.payment_parties import PartyDirectory
from adapters.personal_data import SubjectKeyring
from domain.compliance.data_subjects import ERASED, ErasureCounts
from domain.payments.model import MerchantStatus, TransactionKind
from domain.payments.reads import Party, seen_from
from domain.payments.webhooks import DeliveryStatus, EndpointStatus
from domain.shared.ids import global_id
from persistence.db import SessionFactory
from persistence.payments.tables import (
    AccountRow,
    LedgerTransactionRow,
    MerchantMemberRow,
    MerchantRow,
)
from persistence.payments.vehicle_tables import VehicleOwnershipRow, VehicleRow
from persistence.payments.webhook_tables import WebhookDeliveryRow, WebhookEndpointRow

if TYPE_CHECKING:
    from persistence.uow import UnitOfWork

ERASED_URL = "https://erased.invalid/"
Transactions = LedgerTransactionRow
TOMBSTONE_REFERENCES_IN_BODIES = text(
    "UPDATE webhook_deliveries SET body = jsonb_set(body::jsonb, '{data,object,reference}', "
    "to_jsonb(CAST(:erased AS text)))::text WHERE body::jsonb #>> '{data,object,id}' = ANY(:ids)"
)


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _money(amount_minor: int, currency: str) -> dict[str, Any]:
    return {"amountMinor": amount_minor, "currency": currency}


class PaymentsPersonalData:
    section = "payments"

    def __init__(self, session_factory: SessionFactory, keyring: SubjectKeyring) -> None:
        self._session_factory = session_factory
        self._keyring = keyring

    async def export(self, subject_id: UUID) -> dict[str, Any]:
        async with self._session_factory() as db:
            accounts = list(
                await db.scalars(
                    select(AccountRow)
                    .where(AccountRow.owner_id == subject_id)
                    .order_by(AccountRow.id)
                )
            )
            return {
                "accounts": [_account(row) for row in accounts],
                "transactions": await self._transactions(db, subject_id, accounts),
                "merchant": await _merchant(db, subject_id),
                "merchantMemberships": await _memberships(db, subject_id),
                "vehicles": await _vehicles(db, subject_id),
            }

    async def erase(self, uow: "UnitOfWork", subject_id: UUID, at: datetime) -> ErasureCounts:
        db = uow.session
        references = list(
            await db.scalars(
                update(Transactions)
                .where(_written_by(subject_id), Transactions.reference.not_in(("", ERASED)))
                .values(reference=ERASED)
                .returning(Transactions.id)
            )
        )
        bodies = 0
        if references:
            ids = [global_id("Transaction", transaction_id) for transaction_id in references]
            bodies = (
                await db.execute(TOMBSTONE_REFERENCES_IN_BODIES, {"erased": ERASED, "ids": ids})
            ).rowcount
        merchants = list(
            await db.scalars(
                update(MerchantRow)
                .where(MerchantRow.owner_id == subject_id)
                .values(trading_name=ERASED, status=_closed_status())
                .returning(MerchantRow.id)
            )
        )
        endpoints = await _retire_endpoints(db, merchants, at)
        memberships = await db.execute(
            delete(MerchantMemberRow).where(MerchantMemberRow.user_id == subject_id)
        )
        return {
            "transaction_references_tombstoned": len(references),
            "webhook_bodies_tombstoned": bodies,
            "merchants_suspended": len(merchants),
            "webhook_endpoints_deleted": endpoints,
            "merchant_memberships_deleted": memberships.rowcount,
        }

    async def _transactions(
        self, db: AsyncSession, subject_id: UUID, accounts: list[AccountRow]
    ) -> list[dict[str, Any]]:
        own = [account.id for account in accounts]
        if not own:
            return []
        rows = list(
            await db.scalars(
                select(Transactions)
                .where(
                    or_(Transactions.from_account_id.in_(own), Transactions.to_account_id.in_(own))
                )
                .order_by(Transactions.id)
            )
        )
        ends = {end for row in rows for end in (row.from_account_id, row.to_account_id) if end}
        parties = await PartyDirectory(db, self._keyring).of_accounts(sorted(ends))
        by_account = {party.account_id: party for party in parties if party is not None}
        return [_transaction(row, by_account, subject_id) for row in rows]


def _written_by(subject_id: UUID) -> Any:
    """A refund repeats its payment's reference: it was the payer's words, not the refunder's."""
    original = aliased(LedgerTransactionRow)
    refund = Transactions.kind == TransactionKind.REFUND.value
    return or_(
        and_(~refund, Transactions.initiated_by == subject_id),
        and_(
            refund,
            Transactions.original_id.in_(
                select(original.id).where(original.initiated_by == subject_id)
            ),
        ),
    )


def _closed_status() -> Any:
    return case(
        (MerchantRow.status == MerchantStatus.APPROVED.value, MerchantStatus.SUSPENDED.value),
        (MerchantRow.status == MerchantStatus.PENDING.value, MerchantStatus.REJECTED.value),
        else_=MerchantRow.status,
    )


async def _retire_endpoints(db: AsyncSession, merchant_ids: list[UUID], at: datetime) -> int:
    """A URL may name its owner (or carry a token); with the owner gone nobody may manage
    the endpoint, so it is deleted and its pending deliveries cancelled."""
    if not merchant_ids:
        return 0
    endpoints = list(
        await db.scalars(
            update(WebhookEndpointRow)
            .where(WebhookEndpointRow.merchant_id.in_(merchant_ids))
            .values(
                url=ERASED_URL, description="", status=EndpointStatus.DELETED.value, updated_at=at
            )
            .returning(WebhookEndpointRow.id)
        )
    )
    if endpoints:
        await db.execute(
            update(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.endpoint_id.in_(endpoints),
                WebhookDeliveryRow.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.CANCELLED.value, next_attempt_at=None)
        )
    return len(endpoints)


def _account(row: AccountRow) -> dict[str, Any]:
    return {
        "id": global_id("Account", row.id),
        "kind": row.kind.upper(),
        "currency": row.currency,
        "balance": _money(row.balance_minor, row.currency),
        "held": _money(row.held_minor, row.currency),
        "createdAt": row.created_at.isoformat(),
    }


def _transaction(
    row: LedgerTransactionRow, parties: dict[UUID, Party], subject_id: UUID
) -> dict[str, Any]:
    counterparty = None
    direction = None
    source, destination = parties.get(row.from_account_id), parties.get(row.to_account_id)  # type: ignore[arg-type]
    if source is not None and destination is not None:
        seen, other = seen_from(
            source, destination, own_account_id=None, viewer_id=subject_id, gateway=row.gateway
        )
        direction = seen.value.upper()
        counterparty = {"kind": other.kind.value.upper(), "name": other.display_name}
    return {
        "id": global_id("Transaction", row.id),
        "kind": row.kind.upper(),
        "status": row.status.upper(),
        "direction": direction,
        "amount": _money(row.amount_minor, row.currency),
        "fee": _money(row.fee_minor, row.currency) if row.fee_minor else None,
        "reference": row.reference,
        "counterparty": counterparty,
        "createdAt": row.created_at.isoformat(),
    }


async def _merchant(db: AsyncSession, subject_id: UUID) -> dict[str, Any] | None:
    merchant = await db.scalar(select(MerchantRow).where(MerchantRow.owner_id == subject_id))
    if merchant is None:
        return None
    endpoints = await db.scalars(
        select(WebhookEndpointRow)
        .where(WebhookEndpointRow.merchant_id == merchant.id)
        .order_by(WebhookEndpointRow.id)
    )
    return {
        "id": global_id("Merchant", merchant.id),
        "tradingName": merchant.trading_name,
        "status": merchant.status.upper(),
        "createdAt": merchant.created_at.isoformat(),
        "webhookEndpoints": [
            {
                "id": global_id("WebhookEndpoint", endpoint.id),
                "url": endpoint.url,
                "events": sorted(endpoint.events),
                "status": endpoint.status.upper(),
                "description": endpoint.description,
                "createdAt": endpoint.created_at.isoformat(),
            }
            for endpoint in endpoints
        ],
    }


async def _memberships(db: AsyncSession, subject_id: UUID) -> list[dict[str, Any]]:
    rows = await db.scalars(
        select(MerchantMemberRow)
        .where(MerchantMemberRow.user_id == subject_id)
        .order_by(MerchantMemberRow.merchant_id)
    )
    return [
        {
            "merchantId": global_id("Merchant", row.merchant_id),
            "role": row.role,
            "since": row.created_at.isoformat(),
        }
        for row in rows
    ]


async def _vehicles(db: AsyncSession, subject_id: UUID) -> list[dict[str, Any]]:
    rows = await db.execute(
        select(VehicleRow, VehicleOwnershipRow)
        .join(VehicleOwnershipRow, VehicleOwnershipRow.vehicle_id == VehicleRow.id)
        .where(VehicleOwnershipRow.owner_id == subject_id)
        .order_by(VehicleOwnershipRow.from_at, VehicleOwnershipRow.id)
    )
    return [
        {
            "id": global_id("Vehicle", vehicle.id),
            "vin": vehicle.vin,
            "make": vehicle.make,
            "model": vehicle.model,
            "year": vehicle.year,
            "ownedFrom": ownership.from_at.isoformat(),
            "ownedUntil": _iso(ownership.to_at),
        }
        for vehicle, ownership in rows
    ]
