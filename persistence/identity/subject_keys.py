from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.identity.tables import SubjectKeyRow


async def wrapped_key_of(db: AsyncSession, user_id: UUID) -> bytes | None:
    """The subject's wrapped data key; None once it was destroyed (erasure)."""
    return await db.scalar(
        select(SubjectKeyRow.wrapped_key).where(SubjectKeyRow.user_id == user_id)
    )
