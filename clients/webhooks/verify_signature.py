"""Checks that a webhook came from Elcorp. Standard library only: copy it into a receiver.

Every delivery carries `Elcorp-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>]`, where each
hex is HMAC-SHA256 with an endpoint secret over `<t>.<raw body>`. While a secret is being
rotated two `v1` values come; either may match. Verify the raw bytes before parsing them,
compare in constant time, and refuse old timestamps so a captured delivery cannot be
replayed later (then also remember `Elcorp-Event-Id`s you handled: deliveries are at least
once).
"""

import hashlib
import hmac
import time

DEFAULT_TOLERANCE_S = 300


class InvalidSignature(Exception):
    pass


def verify(
    body: bytes,
    signature_header: str | None,
    secret: str,
    *,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    now: float | None = None,
) -> None:
    """Raises InvalidSignature unless a v1 signature matches and the timestamp is recent."""
    if not signature_header:
        raise InvalidSignature("no Elcorp-Signature header")
    pairs = [part.strip().partition("=") for part in signature_header.split(",")]
    timestamps = [value for key, _, value in pairs if key == "t"]
    signatures = [value for key, _, value in pairs if key == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        raise InvalidSignature("malformed Elcorp-Signature header")
    timestamp = int(timestamps[0])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    if not any(hmac.compare_digest(expected.hexdigest(), given) for given in signatures):
        raise InvalidSignature("no signature matches the body")
    if abs((time.time() if now is None else now) - timestamp) > tolerance_s:
        raise InvalidSignature("the signature is too old (or from the future)")
