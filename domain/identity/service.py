from domain.identity.commands import CreateUser, UpdateProfile
from domain.identity.errors import EmailTaken, UserNotFound
from domain.identity.events import profile_updated, user_created
from domain.identity.model import (
    User,
    UserStatus,
    check_new_password,
    clean_full_name,
    normalize_email,
)
from domain.identity.ports import IdentityUnitOfWork, PasswordHasher
from domain.shared.clock import Clock
from domain.shared.ids import new_id


class UserService:
    def __init__(self, clock: Clock, hasher: PasswordHasher) -> None:
        self._clock = clock
        self._hasher = hasher

    async def create_user(self, uow: IdentityUnitOfWork, command: CreateUser) -> User:
        email = normalize_email(command.email)
        now = self._clock.now()
        password_hash = None
        if command.password is not None:
            check_new_password(command.password, email=email)
            password_hash = self._hasher.hash(command.password)
        user = User(
            id=new_id(),
            email=email,
            full_name=clean_full_name(command.full_name),
            status=UserStatus.ACTIVE,
            created_at=now,
            password_hash=password_hash,
            email_verified_at=now if command.email_verified else None,
        )
        if await uow.users.email_exists(email):
            raise EmailTaken("An account with this email already exists", field="email")
        await uow.users.add(user)
        await uow.role_assignments.assign(user.id, command.roles)
        uow.record(user_created(user, command.roles))
        return user

    async def update_profile(self, uow: IdentityUnitOfWork, command: UpdateProfile) -> User:
        before = await uow.users.get(command.user_id)
        if before is None or before.status is UserStatus.ERASED:
            raise UserNotFound("No such user", field="userId")
        after = before.renamed(command.full_name)
        if after == before:
            return before
        await uow.users.save(after)
        uow.record(profile_updated(before, after, self._clock.now()))
        return after
