from datetime import date
from uuid import UUID

from strawberry.types import Info

from domain.payments.model import LedgerTransaction, Merchant
from domain.payments.reads import MerchantDay, daily_series, local_days
from domain.shared.errors import DomainError
from domain.shared.money import Currency
from persistence.payments.merchants import MerchantRepository
from persistence.uow import UnitOfWork
from resolvers.commands import run_command
from resolvers.payments.merchant_days_cache import (
    CACHE_NAME,
    MerchantDaysParams,
    merchant_days_family,
)
from resolvers.payments.queries import reads_any
from schema.errors import BadUserInput
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
    return await info.context.loaders.merchant_by_id.load(merchant_id)  # type: ignore[no-any-return]


async def my_merchants(info: Info) -> list[Merchant]:
    """The merchants the viewer acts for, as owner or as one of its users."""
    viewer = info.context.principal.subject_id
    return list(await info.context.loaders.merchants_by_member_id.load(viewer))


async def acts_for(info: Info, merchant_id: UUID) -> bool:
    """Its users see the business side of a merchant; so does `payments:read_any`."""
    if reads_any(info):
        return True
    return any(found.id == merchant_id for found in await my_merchants(info))


async def daily_totals(
    info: Info, merchant_id: UUID, currency: Currency, first: date, last: date
) -> list[MerchantDay]:
    """Called only after `acts_for`, so the cache is consulted only for those who may see it."""
    try:
        start, end = local_days(first, last)
    except DomainError as error:
        raise BadUserInput(error.message, field=error.field) from None

    async def compute() -> dict[date, MerchantDay]:
        loader = info.context.loaders.merchant_days_by_merchant_id
        return await loader.load((merchant_id, currency, start, end))

    found = await info.context.services.report_cache.get_or_compute(
        CACHE_NAME,
        merchant_days_family(merchant_id),
        MerchantDaysParams(merchant_id, currency, first, last),
        dict[date, MerchantDay],
        compute,
    )
    return daily_series(first, last, currency, found)


async def recent_payments(
    info: Info, merchant_id: UUID, first: int, after: UUID | None
) -> list[LedgerTransaction]:
    """Called only after `acts_for`."""
    loader = info.context.loaders.payments_by_merchant_id
    return list(await loader.load((merchant_id, first, after)))
