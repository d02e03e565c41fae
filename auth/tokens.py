"""Access tokens: Ed25519-signed (RFC 9864 name) JWTs with a pinned algorithm and a `kid` header."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, OKPKey
from joserfc.jwt import JWTClaimsRegistry

from domain.shared.clock import Clock
from domain.shared.ids import new_id

ALGORITHM = "Ed25519"
ACCESS_TOKEN_TYPE = "access"  # noqa: S105 - a claim value, not a secret
ACCESS_TOKEN_TTL = timedelta(minutes=10)


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


def load_signing_key(pem: str) -> OKPKey:
    key = OKPKey.import_key(pem)
    kid = hashlib.sha256(key.as_pem(private=False)).hexdigest()[:16]
    return OKPKey.import_key(pem, {"kid": kid, "use": "sig", "alg": ALGORITHM})


class AccessTokenService:
    def __init__(self, signing_key: OKPKey, *, issuer: str, audience: str, clock: Clock) -> None:
        self._key = signing_key
        self._keys = KeySet([signing_key])
        self._issuer = issuer
        self._audience = audience
        self._clock = clock

    @property
    def public_jwks(self) -> dict[str, Any]:
        return {"keys": [self._key.as_dict(private=False)]}

    def issue(
        self,
        subject_id: UUID,
        session_id: str,
        *,
        auth_methods: tuple[str, ...] = ("pwd",),
        authenticated_at: datetime | None = None,
    ) -> str:
        now = self._clock.now()
        claims = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(subject_id),
            "sid": session_id,
            "jti": str(new_id()),
            "iat": int(now.timestamp()),
            "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
            "typ": ACCESS_TOKEN_TYPE,
            "amr": list(auth_methods),
            "auth_time": int((authenticated_at or now).timestamp()),
        }
        header = {"alg": ALGORITHM, "kid": self._key.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self._key, algorithms=[ALGORITHM])

    def verify(self, token: str) -> AccessClaims:
        try:
            decoded = jwt.decode(token, self._keys, algorithms=[ALGORITHM])
            registry = JWTClaimsRegistry(
                now=int(self._clock.now().timestamp()),
                leeway=5,
                iss={"essential": True, "value": self._issuer},
                aud={"essential": True, "value": self._audience},
                sub={"essential": True},
                sid={"essential": True},
                jti={"essential": True},
                exp={"essential": True},
                typ={"essential": True, "value": ACCESS_TOKEN_TYPE},
                auth_time={"essential": True},
            )
            registry.validate(decoded.claims)
            claims = decoded.claims
            tz = self._clock.now().tzinfo
            return AccessClaims(
                subject_id=UUID(claims["sub"]),
                session_id=str(claims["sid"]),
                token_id=str(claims["jti"]),
                expires_at=datetime.fromtimestamp(int(claims["exp"]), tz),
                auth_methods=tuple(claims.get("amr", ())),
                authenticated_at=datetime.fromtimestamp(int(claims["auth_time"]), tz),
            )
        except (JoseError, ValueError, KeyError, TypeError) as error:
            raise InvalidToken(str(error)) from None
