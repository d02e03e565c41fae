from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.ports import TotpCredential
from persistence.identity.tables import BackupCodeRow, TotpCredentialRow


class MfaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def get(self, user_id: UUID) -> TotpCredential | None:
        row = await self._db.scalar(
            select(TotpCredentialRow).where(TotpCredentialRow.user_id == user_id)
        )
        if row is None:
            return None
        return TotpCredential(row.user_id, row.secret_ciphertext, row.confirmed_at)

    async def put_pending(self, user_id: UUID, secret_ciphertext: bytes) -> None:
        values = {
            "secret_ciphertext": secret_ciphertext,
            "confirmed_at": None,
            "last_used_step": None,
        }
        await self._db.execute(
            upsert(TotpCredentialRow)
            .values(user_id=user_id, **values)
            .on_conflict_do_update(index_elements=[TotpCredentialRow.user_id], set_=values)
        )

    async def confirm(self, user_id: UUID, at: datetime) -> None:
        await self._db.execute(
            update(TotpCredentialRow)
            .where(TotpCredentialRow.user_id == user_id)
            .values(confirmed_at=at)
        )

    async def claim_step(self, user_id: UUID, step: int) -> bool:
        claimed = await self._db.scalar(
            update(TotpCredentialRow)
            .where(
                TotpCredentialRow.user_id == user_id,
                or_(
                    TotpCredentialRow.last_used_step.is_(None),
                    TotpCredentialRow.last_used_step < step,
                ),
            )
            .values(last_used_step=step)
            .returning(TotpCredentialRow.user_id)
        )
        return claimed is not None

    async def replace_backup_codes(self, user_id: UUID, code_hashes: list[str]) -> None:
        await self._db.execute(delete(BackupCodeRow).where(BackupCodeRow.user_id == user_id))
        await self._db.execute(
            insert(BackupCodeRow), [{"user_id": user_id, "code_hash": h} for h in code_hashes]
        )

    async def use_backup_code(self, user_id: UUID, code_hash: str, at: datetime) -> bool:
        used = await self._db.scalar(
            update(BackupCodeRow)
            .where(
                BackupCodeRow.user_id == user_id,
                BackupCodeRow.code_hash == code_hash,
                BackupCodeRow.used_at.is_(None),
            )
            .values(used_at=at)
            .returning(BackupCodeRow.code_hash)
        )
        return used is not None

    async def remove(self, user_id: UUID) -> None:
        await self._db.execute(delete(BackupCodeRow).where(BackupCodeRow.user_id == user_id))
        await self._db.execute(
            delete(TotpCredentialRow).where(TotpCredentialRow.user_id == user_id)
        )
