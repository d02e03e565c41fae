"""Demo data for `make run`: one user per role, created through the domain service."""

import structlog

from domain.governance import roles
from domain.identity.commands import CreateUser
from domain.identity.errors import EmailTaken
from domain.identity.service import UserService
from domain.shared.clock import Clock
from persistence.db import SessionFactory
from persistence.uow import SYSTEM, UnitOfWork

log = structlog.get_logger(__name__)

DEMO_USERS = (
    CreateUser("admin@elcorp.na", "Ada Admin", (roles.ADMIN,)),
    CreateUser("compliance@elcorp.na", "Cleo Compliance", (roles.COMPLIANCE_OFFICER,)),
    CreateUser("staff@elcorp.na", "Sam Staff", (roles.STAFF,)),
    CreateUser("verifier@elcorp.na", "Vera Verifier", (roles.VERIFIER,)),
    CreateUser("merchant@elcorp.na", "Max Merchant", (roles.MERCHANT,)),
    CreateUser("customer@elcorp.na", "Ndapewa Customer", (roles.CUSTOMER,)),
)


async def seed_demo_data(session_factory: SessionFactory, clock: Clock) -> int:
    service = UserService(clock)
    created = 0
    for command in DEMO_USERS:
        try:
            async with UnitOfWork(session_factory, clock, SYSTEM) as uow:
                await service.create_user(uow, command)
            created += 1
        except EmailTaken:
            continue
    log.info("demo_data_seeded", users_created=created)
    return created
