"""Signatures on gateway callbacks: `t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`."""

import hmac

from domain.shared.signatures import digest, signature_header

HEADER = "Elcorp-Gateway-Signature"


class SignatureRejected(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    return signature_header([secret], timestamp, body)


def verify(secret: bytes, header: str | None, body: bytes, now: int, tolerance_s: int) -> None:
    """Raises SignatureRejected unless a v1 signature matches and the time is recent."""
    if not header:
        raise SignatureRejected(f"The {HEADER} header is missing", "INVALID_SIGNATURE")
    fields = [part.partition("=") for part in header.split(",")]
    timestamps = [value for key, _, value in fields if key.strip() == "t"]
    signatures = [value.strip() for key, _, value in fields if key.strip() == "v1"]
    if len(timestamps) != 1 or not timestamps[0].strip().isdigit() or not signatures:
        raise SignatureRejected(f"The {HEADER} header is malformed", "INVALID_SIGNATURE")
    timestamp = int(timestamps[0])
    expected = digest(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureRejected("The signature does not match the body", "INVALID_SIGNATURE")
    if abs(now - timestamp) > tolerance_s:
        raise SignatureRejected("The signature's timestamp is too old", "STALE_TIMESTAMP")
