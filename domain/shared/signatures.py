"""Signatures over a timestamp and a body: `t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`
(the scheme Stripe uses). Several `v1` values may stand side by side while a secret is
rotated; a receiver accepts the message when any of them matches."""

import hashlib
import hmac
from collections.abc import Sequence


def digest(secret: bytes, timestamp: int, body: bytes) -> str:
    return hmac.new(secret, f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secrets: Sequence[bytes], timestamp: int, body: bytes) -> str:
    signatures = ",".join(f"v1={digest(secret, timestamp, body)}" for secret in secrets)
    return f"t={timestamp},{signatures}"
