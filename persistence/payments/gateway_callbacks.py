from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.payments.tables import GatewayCallbackRow


class GatewayCallbackLog:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def claim(self, gateway: str, event_id: str, reference: str, at: datetime) -> bool:
        """False when this event was already applied (a replay)."""
        claimed = await self._db.scalar(
            insert(GatewayCallbackRow)
            .values(gateway=gateway, event_id=event_id, gateway_reference=reference, received_at=at)
            .on_conflict_do_nothing()
            .returning(GatewayCallbackRow.event_id)
        )
        return claimed is not None
