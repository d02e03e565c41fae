"""TOTP enrolment, backup codes, and the second step of signing in."""

import secrets
from dataclasses import dataclass, replace
from uuid import UUID

from domain.identity.authentication import AuthenticationService, SignedIn
from domain.identity.errors import InvalidToken, UserNotFound
from domain.identity.events import user_event
from domain.identity.model import Device, User
from domain.identity.ports import (
    ChallengeLedger,
    LoginThrottle,
    MfaUnitOfWork,
    SecretCipher,
    Totp,
)
from domain.identity.secrets import hash_secret
from domain.shared.clock import Clock
from domain.shared.errors import DomainError, ErrorCode

BACKUP_CODES = 10
BACKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CHALLENGE_TTL_S = 300

MFA_ENROLLMENT_STARTED = "identity.mfa_enrollment_started"
MFA_ENABLED = "identity.mfa_enabled"
MFA_DISABLED = "identity.mfa_disabled"
BACKUP_CODES_REGENERATED = "identity.backup_codes_regenerated"
BACKUP_CODE_USED = "identity.backup_code_used"


class InvalidCode(DomainError):
    code = ErrorCode.INVALID_CREDENTIALS


@dataclass(frozen=True)
class Enrollment:
    otpauth_uri: str
    qr_code: str


def new_backup_code() -> str:
    raw = "".join(secrets.choice(BACKUP_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalize_backup_code(code: str) -> str:
    compact = code.replace("-", "").replace(" ", "").upper()
    return f"{compact[:5]}-{compact[5:]}"


class MfaService:
    def __init__(
        self,
        clock: Clock,
        totp: Totp,
        cipher: SecretCipher,
        throttle: LoginThrottle,
        ledger: ChallengeLedger,
        authentication: AuthenticationService,
    ) -> None:
        self._clock = clock
        self._totp = totp
        self._cipher = cipher
        self._throttle = throttle
        self._ledger = ledger
        self._authentication = authentication

    async def begin_enrollment(self, uow: MfaUnitOfWork, user_id: UUID) -> Enrollment:
        user = await self._user(uow, user_id)
        if user.mfa_enabled:
            raise DomainError("Two-factor sign-in is already on; disable it first")
        secret = self._totp.new_secret()
        await uow.mfa.put_pending(user.id, self._cipher.encrypt(secret.encode(), user.id.bytes))
        uow.record(user_event(MFA_ENROLLMENT_STARTED, user, self._clock.now()))
        uri = self._totp.provisioning_uri(secret, user.email)
        return Enrollment(otpauth_uri=uri, qr_code=self._totp.qr_code(uri))

    async def confirm_enrollment(self, uow: MfaUnitOfWork, user_id: UUID, code: str) -> list[str]:
        user = await self._user(uow, user_id)
        credential = await uow.mfa.get(user.id)
        if credential is None or credential.confirmed_at is not None:
            raise DomainError("Start enrolment first", field="code")
        if not await self._claim_code(uow, user, credential.secret_ciphertext, code):
            raise InvalidCode("That code is not valid", field="code")
        now = self._clock.now()
        await uow.mfa.confirm(user.id, now)
        await uow.users.save(replace(user, mfa_enabled=True))
        uow.record(user_event(MFA_ENABLED, user, now))
        return await self._new_backup_codes(uow, user)

    async def disable(self, uow: MfaUnitOfWork, user_id: UUID) -> None:
        user = await self._user(uow, user_id)
        await uow.mfa.remove(user.id)
        await uow.users.save(replace(user, mfa_enabled=False))
        uow.record(user_event(MFA_DISABLED, user, self._clock.now()))

    async def regenerate_backup_codes(self, uow: MfaUnitOfWork, user_id: UUID) -> list[str]:
        user = await self._user(uow, user_id)
        if not user.mfa_enabled:
            raise DomainError("Turn on two-factor sign-in first")
        codes = await self._new_backup_codes(uow, user)
        uow.record(user_event(BACKUP_CODES_REGENERATED, user, self._clock.now()))
        return codes

    async def complete_login(
        self,
        uow: MfaUnitOfWork,
        subject_id: UUID,
        challenge_id: str,
        device: Device,
        ip: str | None,
        code: str | None,
        backup_code: str | None,
    ) -> SignedIn | InvalidCode:
        """Returns (not raises) a wrong code, so that its throttling still counts."""
        throttle_key = f"mfa:{subject_id}"
        await self._throttle.check(throttle_key, ip)
        user = await uow.users.get(subject_id)
        if user is None or not user.can_sign_in or not user.mfa_enabled:
            raise InvalidToken("This sign-in challenge is no longer valid", field="challenge")
        if not await self._second_factor_ok(uow, user, code, backup_code):
            await self._throttle.record_failure(throttle_key)
            return InvalidCode("That code is not valid", field="code")
        if not await self._ledger.consume(challenge_id, CHALLENGE_TTL_S):
            raise InvalidToken("This sign-in challenge was already used", field="challenge")
        await self._throttle.record_success(throttle_key)
        method = "otp" if code else "backup_code"
        return await self._authentication.start_session(uow, user, device, ip, ("pwd", method))

    async def _second_factor_ok(
        self, uow: MfaUnitOfWork, user: User, code: str | None, backup_code: str | None
    ) -> bool:
        if code:
            credential = await uow.mfa.get(user.id)
            return credential is not None and await self._claim_code(
                uow, user, credential.secret_ciphertext, code
            )
        if backup_code:
            hashed = hash_secret(normalize_backup_code(backup_code))
            used = await uow.mfa.use_backup_code(user.id, hashed, self._clock.now())
            if used:
                uow.record(user_event(BACKUP_CODE_USED, user, self._clock.now()))
            return used
        return False

    async def _claim_code(
        self, uow: MfaUnitOfWork, user: User, ciphertext: bytes, code: str
    ) -> bool:
        secret = self._cipher.decrypt(ciphertext, user.id.bytes).decode()
        step = self._totp.matching_step(secret, code.strip(), self._clock.now())
        return step is not None and await uow.mfa.claim_step(user.id, step)

    async def _new_backup_codes(self, uow: MfaUnitOfWork, user: User) -> list[str]:
        codes = [new_backup_code() for _ in range(BACKUP_CODES)]
        await uow.mfa.replace_backup_codes(user.id, [hash_secret(code) for code in codes])
        return codes

    async def _user(self, uow: MfaUnitOfWork, user_id: UUID) -> User:
        user = await uow.users.get(user_id)
        if user is None or not user.can_sign_in:
            raise UserNotFound("No such user")
        return user
