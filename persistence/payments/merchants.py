from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.model import Merchant, MerchantStatus
from persistence.payments.tables import MerchantMemberRow, MerchantRow


def to_merchant(row: MerchantRow) -> Merchant:
    return Merchant(
        id=row.id,
        owner_id=row.owner_id,
        trading_name=row.trading_name,
        status=MerchantStatus(row.status),
        created_at=row.created_at,
        settlement_account_id=row.settlement_account_id,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
    )


class MerchantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def get(self, merchant_id: UUID, *, lock: bool = False) -> Merchant | None:
        query = select(MerchantRow).where(MerchantRow.id == merchant_id)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = await self._db.scalar(query)
        return None if row is None else to_merchant(row)

    async def get_many(self, merchant_ids: Sequence[UUID]) -> list[Merchant | None]:
        rows = await self._db.scalars(select(MerchantRow).where(MerchantRow.id.in_(merchant_ids)))
        found = {row.id: to_merchant(row) for row in rows}
        return [found.get(merchant_id) for merchant_id in merchant_ids]

    async def of_members(self, user_ids: Sequence[UUID]) -> list[list[Merchant]]:
        """Merchants each user acts for (owners included once approved), by name."""
        rows = await self._db.execute(
            select(MerchantMemberRow.user_id, MerchantRow)
            .join(MerchantMemberRow, MerchantMemberRow.merchant_id == MerchantRow.id)
            .where(MerchantMemberRow.user_id.in_(user_ids))
            .order_by(MerchantRow.trading_name, MerchantRow.id)
        )
        by_user: dict[UUID, list[Merchant]] = {user_id: [] for user_id in user_ids}
        for user_id, row in rows:
            by_user[user_id].append(to_merchant(row))
        return [by_user[user_id] for user_id in user_ids]

    async def of_owner(self, owner_id: UUID) -> Merchant | None:
        row = await self._db.scalar(select(MerchantRow).where(MerchantRow.owner_id == owner_id))
        return None if row is None else to_merchant(row)

    async def add(self, merchant: Merchant) -> bool:
        added = await self._db.scalar(
            upsert(MerchantRow)
            .values(
                id=merchant.id,
                owner_id=merchant.owner_id,
                trading_name=merchant.trading_name,
                status=merchant.status.value,
                created_at=merchant.created_at,
            )
            .on_conflict_do_nothing(index_elements=[MerchantRow.owner_id])
            .returning(MerchantRow.id)
        )
        return added is not None

    async def save(self, merchant: Merchant) -> None:
        await self._db.execute(
            update(MerchantRow)
            .where(MerchantRow.id == merchant.id)
            .values(
                status=merchant.status.value,
                settlement_account_id=merchant.settlement_account_id,
                decided_at=merchant.decided_at,
                decided_by=merchant.decided_by,
            )
        )

    async def add_member(self, merchant_id: UUID, user_id: UUID, role: str) -> None:
        await self._db.execute(
            insert(MerchantMemberRow).values(
                merchant_id=merchant_id,
                user_id=user_id,
                role=role,
                created_at=select(MerchantRow.created_at)
                .where(MerchantRow.id == merchant_id)
                .scalar_subquery(),
            )
        )

    async def remove_member(self, merchant_id: UUID, user_id: UUID) -> bool:
        removed = await self._db.scalar(
            delete(MerchantMemberRow)
            .where(
                MerchantMemberRow.merchant_id == merchant_id, MerchantMemberRow.user_id == user_id
            )
            .returning(MerchantMemberRow.user_id)
        )
        return removed is not None

    async def is_member(self, merchant_id: UUID, user_id: UUID) -> bool:
        return bool(
            await self._db.scalar(
                select(
                    exists().where(
                        MerchantMemberRow.merchant_id == merchant_id,
                        MerchantMemberRow.user_id == user_id,
                    )
                )
            )
        )
