"""Signed JWTs: Ed25519 (RFC 9864 name), algorithm pinned, `kid` header, distinct `typ`s.

Access tokens (`typ` "access", 10 min) and MFA challenges (`typ` "mfa_challenge", 5 min)
are signed by the same key but can never stand in for each other. Verification accepts
every key in the key set, so a rotated-out key keeps verifying until its tokens expire.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey
from joserfc.jwt import ClaimsOption, JWTClaimsRegistry

from domain.identity.ports import IssuedAccessToken
from domain.shared.clock import Clock
from domain.shared.ids import new_id

ALGORITHM = "Ed25519"
ACCESS_TOKEN_TYPE = "access"
MFA_CHALLENGE_TYPE = "mfa_challenge"
ACCESS_TOKEN_TTL = timedelta(minutes=10)
MFA_CHALLENGE_TTL = timedelta(minutes=5)
LEEWAY_S = 5


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    subject_id: UUID
    session_id: str
    token_id: str
    expires_at: datetime
    auth_methods: tuple[str, ...]
    authenticated_at: datetime


@dataclass(frozen=True)
class ChallengeClaims:
    subject_id: UUID
    token_id: str
    device_id: str
    device_name: str


def load_signing_key(pem: str) -> OKPKey:
    key = OKPKey.import_key(pem)
    kid = hashlib.sha256(key.as_pem(private=False)).hexdigest()[:16]
    return OKPKey.import_key(pem, {"kid": kid, "use": "sig", "alg": ALGORITHM})


def load_verification_key(pem: str) -> OKPKey:
    """A retired key: only its public half is kept, so it can never sign again."""
    public_pem = OKPKey.import_key(pem).as_pem(private=False)
    return load_signing_key(public_pem.decode())


class TokenService:
    def __init__(
        self,
        signing_key: OKPKey,
        *,
        issuer: str,
        audience: str,
        clock: Clock,
        retired_keys: tuple[OKPKey, ...] = (),
    ) -> None:
        self._key = signing_key
        self._keys = KeySet([signing_key, *retired_keys])
        self._issuer = issuer
        self._audience = audience
        self._clock = clock

    @property
    def public_jwks(self) -> dict[str, Any]:
        return {"keys": [key.as_dict(private=False) for key in self._keys.keys]}

    def issue_access(
        self,
        subject_id: UUID,
        session_id: str,
        *,
        auth_methods: tuple[str, ...] = ("pwd",),
        authenticated_at: datetime | None = None,
    ) -> IssuedAccessToken:
        now = self._clock.now()
        token_id = str(new_id())
        expires_at = now + ACCESS_TOKEN_TTL
        claims = self._claims(subject_id, token_id, now, expires_at, ACCESS_TOKEN_TYPE)
        claims |= {
            "sid": session_id,
            "amr": list(auth_methods),
            "auth_time": int((authenticated_at or now).timestamp()),
        }
        return IssuedAccessToken(self._sign(claims), token_id, expires_at)

    def issue_mfa_challenge(self, subject_id: UUID, device_id: str, device_name: str) -> str:
        now = self._clock.now()
        claims = self._claims(
            subject_id, str(new_id()), now, now + MFA_CHALLENGE_TTL, MFA_CHALLENGE_TYPE
        )
        return self._sign(claims | {"device_id": device_id, "device_name": device_name})

    def verify(self, token: str) -> AccessClaims:
        claims = self._decode(token, ACCESS_TOKEN_TYPE, {"sid", "auth_time"})
        tz = self._clock.now().tzinfo
        return AccessClaims(
            subject_id=UUID(claims["sub"]),
            session_id=str(claims["sid"]),
            token_id=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), tz),
            auth_methods=tuple(claims.get("amr", ())),
            authenticated_at=datetime.fromtimestamp(int(claims["auth_time"]), tz),
        )

    def verify_mfa_challenge(self, token: str) -> ChallengeClaims:
        claims = self._decode(token, MFA_CHALLENGE_TYPE, {"device_id", "device_name"})
        return ChallengeClaims(
            subject_id=UUID(claims["sub"]),
            token_id=str(claims["jti"]),
            device_id=str(claims["device_id"]),
            device_name=str(claims["device_name"]),
        )

    def _claims(
        self, subject_id: UUID, token_id: str, now: datetime, expires_at: datetime, typ: str
    ) -> dict[str, Any]:
        return {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(subject_id),
            "jti": token_id,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "typ": typ,
        }

    def _sign(self, claims: dict[str, Any]) -> str:
        header = {"alg": ALGORITHM, "kid": self._key.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self._key, algorithms=[ALGORITHM])

    def _decode(self, token: str, typ: str, required: set[str]) -> dict[str, Any]:
        try:
            decoded = jwt.decode(token, self._keys, algorithms=[ALGORITHM])
            essential: ClaimsOption = {"essential": True}
            essentials = dict.fromkeys(("sub", "jti", "exp", *required), essential)
            registry = JWTClaimsRegistry(
                now=int(self._clock.now().timestamp()),
                leeway=LEEWAY_S,
                iss={"essential": True, "value": self._issuer},
                aud={"essential": True, "value": self._audience},
                typ={"essential": True, "value": typ},
                **essentials,
            )
            registry.validate(decoded.claims)
            UUID(decoded.claims["sub"])
        except (JoseError, ValueError, KeyError, TypeError) as error:
            raise InvalidToken(str(error)) from None
        return decoded.claims
