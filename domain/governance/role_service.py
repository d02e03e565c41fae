"""Granting and revoking roles. Every change is an event (and so an audit entry); the new
permissions apply from the holder's next request, since each request reads them afresh."""

from uuid import UUID

from domain.governance.ports import RoleAdministrationUnitOfWork
from domain.governance.request_states import InvalidState
from domain.governance.role_grants import (
    ROLE_GRANT_REJECTED,
    ROLE_GRANT_REQUESTED,
    ROLE_GRANTED,
    ROLE_REVOKED,
    GrantStatus,
    RoleGrant,
    ensure_not_self,
)
from domain.shared.clock import Clock
from domain.shared.errors import Conflict, Forbidden, NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id


class RoleAdministrationService:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def grant(
        self, uow: RoleAdministrationUnitOfWork, actor_id: UUID, user_id: UUID, role: str
    ) -> RoleGrant:
        """Applied at once, or for a privileged role left pending for a second admin."""
        ensure_not_self(actor_id, user_id)
        privileged = await self._grantable(uow, user_id, role)
        now = self._clock.now()
        grant = RoleGrant(
            id=new_id(),
            user_id=user_id,
            role=role,
            status=GrantStatus.PENDING if privileged else GrantStatus.APPROVED,
            requested_by=actor_id,
            requested_at=now,
            decided_by=None if privileged else actor_id,
            decided_at=None if privileged else now,
        )
        if not await uow.role_grants.add(grant):
            raise Conflict("A grant of this role to this user is already pending", field="role")
        if privileged:
            uow.record(self._event(ROLE_GRANT_REQUESTED, grant))
        else:
            await uow.role_holders.add(user_id, role, now)
            uow.record(self._event(ROLE_GRANTED, grant))
        return grant

    async def approve(
        self, uow: RoleAdministrationUnitOfWork, actor_id: UUID, grant_id: UUID
    ) -> RoleGrant:
        grant = await self._pending(uow, grant_id)
        approved = grant.decided(actor_id, True, self._clock.now())
        if not await uow.role_holders.holds(actor_id, grant.role):
            raise Forbidden(
                f"Only a holder of {grant.role} approves a grant of it", field="grantId"
            )
        await self._grantable(uow, grant.user_id, grant.role)
        await uow.role_grants.save(approved)
        await uow.role_holders.add(grant.user_id, grant.role, self._clock.now())
        uow.record(self._event(ROLE_GRANTED, approved))
        return approved

    async def reject(
        self, uow: RoleAdministrationUnitOfWork, actor_id: UUID, grant_id: UUID
    ) -> RoleGrant:
        rejected = (await self._pending(uow, grant_id)).decided(actor_id, False, self._clock.now())
        await uow.role_grants.save(rejected)
        uow.record(self._event(ROLE_GRANT_REJECTED, rejected))
        return rejected

    async def revoke(
        self, uow: RoleAdministrationUnitOfWork, actor_id: UUID, user_id: UUID, role: str
    ) -> None:
        """Refused for the last active holder of a privileged role: holders are locked
        first, so two admins revoking each other cannot both succeed."""
        privileged = await uow.role_holders.privileged(role)
        if privileged is None:
            raise NotFound("No such role", field="role")
        holders = await uow.role_holders.lock_active_holders(role) if privileged else []
        if not await uow.role_holders.holds(user_id, role):
            raise NotFound("The user does not hold this role", field="role")
        if privileged and holders == [user_id]:
            raise InvalidState(f"This user is the last active {role}: grant another first")
        await uow.role_holders.remove(user_id, role)
        now = self._clock.now()
        uow.record(
            DomainEvent(
                name=ROLE_REVOKED,
                aggregate_type="User",
                aggregate_id=user_id,
                occurred_at=now,
                payload={"role": role, "revoked_by": str(actor_id)},
                audience=(user_id,),
            )
        )

    async def _grantable(self, uow: RoleAdministrationUnitOfWork, user_id: UUID, role: str) -> bool:
        privileged = await uow.role_holders.privileged(role)
        if privileged is None:
            raise NotFound("No such role", field="role")
        if not await uow.role_holders.is_active_user(user_id):
            raise NotFound("No such active user", field="userId")
        if await uow.role_holders.holds(user_id, role):
            raise Conflict("The user already holds this role", field="role")
        return privileged

    async def _pending(self, uow: RoleAdministrationUnitOfWork, grant_id: UUID) -> RoleGrant:
        grant = await uow.role_grants.get(grant_id, lock=True)
        if grant is None:
            raise NotFound("No such role grant", field="grantId")
        return grant

    def _event(self, name: str, grant: RoleGrant) -> DomainEvent:
        """Ids and the role only; the user hears of it (their live streams re-check)."""
        return DomainEvent(
            name=name,
            aggregate_type="RoleGrant",
            aggregate_id=grant.id,
            occurred_at=self._clock.now(),
            payload={
                "user_id": str(grant.user_id),
                "role": grant.role,
                "status": grant.status.value,
                "requested_by": str(grant.requested_by),
                "decided_by": None if grant.decided_by is None else str(grant.decided_by),
            },
            audience=(grant.user_id,),
        )
