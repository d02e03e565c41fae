"""Demo data for `make run`: one user per role, created through the domain service."""

import structlog

from adapters.personal_data import SubjectKeyring
from domain.governance import roles
from domain.identity.commands import CreateUser
from domain.identity.errors import EmailTaken
from domain.identity.ports import PasswordHasher
from domain.identity.service import UserService
from domain.shared.clock import Clock
from persistence.db import SessionFactory
from persistence.uow import SYSTEM, UnitOfWork

log = structlog.get_logger(__name__)

DEMO_PASSWORD = "elcorp-demo-2026"  # development only: seeding refuses production
DEMO_ACCOUNTS = (
    ("admin@elcorp.na", "Ada Admin", roles.ADMIN),
    ("compliance@elcorp.na", "Cleo Compliance", roles.COMPLIANCE_OFFICER),
    ("staff@elcorp.na", "Sam Staff", roles.STAFF),
    ("verifier@elcorp.na", "Vera Verifier", roles.VERIFIER),
    ("merchant@elcorp.na", "Max Merchant", roles.MERCHANT),
    ("customer@elcorp.na", "Ndapewa Customer", roles.CUSTOMER),
)
DEMO_USERS = tuple(
    CreateUser(email, name, (role,), password=DEMO_PASSWORD, email_verified=True)
    for email, name, role in DEMO_ACCOUNTS
)


async def seed_demo_data(
    session_factory: SessionFactory,
    clock: Clock,
    hasher: PasswordHasher,
    keyring: SubjectKeyring,
) -> int:
    service = UserService(clock, hasher)
    created = 0
    for command in DEMO_USERS:
        try:
            async with UnitOfWork(session_factory, clock, SYSTEM, keyring) as uow:
                await service.create_user(uow, command)
            created += 1
        except EmailTaken:
            continue
    log.info("demo_data_seeded", users_created=created)
    return created
