"""Keys derived from the master key, one per purpose (HKDF-SHA256)."""

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derive_key(master_key: str, purpose: str, length: int = 32) -> bytes:
    material = base64.urlsafe_b64decode(master_key.encode() + b"=" * (-len(master_key) % 4))
    if len(material) < 32:
        raise ValueError("the master encryption key must be at least 32 bytes (base64)")
    return HKDF(
        algorithm=hashes.SHA256(), length=length, salt=None, info=f"elcorp:{purpose}".encode()
    ).derive(material)
