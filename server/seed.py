"""Demo data for `make run`: one user per role, created through the domain services, then
a merchant, balances and some history (only on the first run: seeding is idempotent)."""

from uuid import UUID

import structlog

from domain.governance import roles
from domain.governance.request_states import RequestAction
from domain.governance.service_requests import RequestType, Viewer
from domain.governance.sla import Priority
from domain.identity.commands import CreateUser
from domain.identity.errors import EmailTaken
from domain.identity.model import User
from domain.payments.merchants import MerchantPayment, Refund
from domain.payments.model import Account
from domain.payments.service import Deposit, Recipient, Transfer, Withdrawal
from domain.shared.money import Currency, Money
from persistence.uow import SYSTEM, UnitOfWork
from schema.context import Services

log = structlog.get_logger(__name__)

DEMO_PASSWORD = "elcorp-demo-2026"  # development only: seeding refuses production
DEMO_ACCOUNTS = (
    ("admin@elcorp.na", "Ada Admin", roles.ADMIN),
    ("compliance@elcorp.na", "Cleo Compliance", roles.COMPLIANCE_OFFICER),
    ("staff@elcorp.na", "Sam Staff", roles.STAFF),
    ("verifier@elcorp.na", "Vera Verifier", roles.VERIFIER),
    ("merchant@elcorp.na", "Max Merchant", roles.CUSTOMER),
    ("customer@elcorp.na", "Ndapewa Customer", roles.CUSTOMER),
    ("customer2@elcorp.na", "Tomas Customer", roles.CUSTOMER),
)
DEMO_USERS = tuple(
    CreateUser(email, name, (role,), password=DEMO_PASSWORD, email_verified=True)
    for email, name, role in DEMO_ACCOUNTS
)
DEMO_SHOP = "Kapana Corner"


def nad(cents: int) -> Money:
    return Money(cents, Currency.NAD)


async def seed_demo_data(services: Services) -> int:
    created: dict[str, User] = {}
    for command in DEMO_USERS:
        try:
            async with services.unit_of_work(SYSTEM) as uow:
                created[command.email] = await services.users.create_user(uow, command)
        except EmailTaken:
            continue
    if len(created) == len(DEMO_USERS):
        await _seed_payments(services, created)
        await _seed_service_requests(services, created)
    log.info("demo_data_seeded", users_created=len(created))
    return len(created)


async def _seed_payments(services: Services, users: dict[str, User]) -> None:
    """Balances, an approved merchant (Max's) and a little history for the customers."""
    payments, merchants = services.payments, services.merchants
    staff, owner = users["staff@elcorp.na"].id, users["merchant@elcorp.na"].id
    ndapewa, tomas = users["customer@elcorp.na"].id, users["customer2@elcorp.na"].id
    async with services.unit_of_work(SYSTEM) as uow:
        for user in users.values():
            await payments.open_wallet(uow, user.id)
        shop = await merchants.apply(uow, owner, DEMO_SHOP)
        await merchants.decide(uow, shop.id, staff, approve=True)
        first, second = await _wallet(uow, ndapewa), await _wallet(uow, tomas)
        await payments.deposit(uow, Deposit(ndapewa, first.id, nad(250_000)))
        await payments.deposit(uow, Deposit(tomas, second.id, nad(120_000)))
        await payments.transfer(
            uow, Transfer(ndapewa, first.id, Recipient(second.id), nad(35_000), "Braai share")
        )
        lunch = await merchants.pay(uow, MerchantPayment(ndapewa, shop.id, nad(8_950), "Lunch"))
        await merchants.pay(uow, MerchantPayment(tomas, shop.id, nad(4_200), "Kapana x3"))
        await merchants.refund(uow, Refund(owner, lunch.id, nad(1_500)))
        await payments.withdraw(uow, Withdrawal(tomas, second.id, nad(20_000), "To FNB"))


async def _seed_service_requests(services: Services, users: dict[str, User]) -> None:
    """An open request in the staff queue, and one being worked with a public comment and
    an internal note (which Ndapewa never sees)."""
    desk = services.service_requests
    ndapewa = users["customer@elcorp.na"].id
    sam = Viewer(users["staff@elcorp.na"].id, is_staff=True)
    async with services.unit_of_work(SYSTEM) as uow:
        await desk.open(
            uow,
            ndapewa,
            RequestType.ACCOUNT,
            "Change my phone number",
            "I have a new number and cannot receive codes on the old one.",
            Priority.MEDIUM,
        )
        card = await desk.open(
            uow,
            ndapewa,
            RequestType.PAYMENT,
            "Payment to Kapana Corner charged twice",
            "My lunch shows twice in my history.",
            Priority.HIGH,
        )
        await desk.assign(uow, sam, card.id, sam.user_id)
        await desk.act(uow, sam, card.id, RequestAction.START)
        await desk.comment(uow, sam, card.id, "Looking into it with the merchant.", False)
        await desk.comment(uow, sam, card.id, "One charge was refunded already.", True)


async def _wallet(uow: UnitOfWork, owner_id: UUID) -> Account:
    wallet = await uow.accounts.wallet_of(owner_id, Currency.NAD)
    assert wallet is not None
    return wallet
