from uuid import UUID

from strawberry.types import Info

from domain.payments.model import Merchant
from domain.shared.errors import DomainError
from persistence.payments.merchants import MerchantRepository
from persistence.uow import UnitOfWork
from resolvers.commands import run_command
from schema.ids import from_global_id


async def apply_as_merchant(info: Info, trading_name: str) -> Merchant | DomainError:
    owner = info.context.principal.subject_id
    merchants = info.context.services.merchants
    return await run_command(info, lambda uow: merchants.apply(uow, owner, trading_name))


async def decide(info: Info, global_id: str, approve: bool) -> Merchant | DomainError:
    _, merchant_id = from_global_id(global_id, "Merchant")
    staff = info.context.principal.subject_id
    merchants = info.context.services.merchants
    return await run_command(info, lambda uow: merchants.decide(uow, merchant_id, staff, approve))


async def add_user(info: Info, email: str) -> Merchant | DomainError:
    owner = info.context.principal.subject_id
    merchants = info.context.services.merchants

    async def add(uow: UnitOfWork) -> Merchant:
        merchant, _ = await merchants.add_user(uow, owner, email)
        return merchant

    return await run_command(info, add)


async def remove_user(info: Info, global_user_id: str) -> Merchant | DomainError:
    _, user_id = from_global_id(global_user_id, "User")
    owner = info.context.principal.subject_id
    merchants = info.context.services.merchants
    return await run_command(info, lambda uow: merchants.remove_user(uow, owner, user_id))


async def my_merchant(info: Info) -> Merchant | None:
    """The merchant the viewer owns, if any."""
    async with info.context.services.session_factory() as db:
        return await MerchantRepository(db).of_owner(info.context.principal.subject_id)


async def merchant(info: Info, merchant_id: UUID) -> Merchant | None:
    async with info.context.services.session_factory() as db:
        return await MerchantRepository(db).get(merchant_id)
