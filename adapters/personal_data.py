"""Envelope encryption of personal data, per subject (ARCHITECTURE rule 10).

Each subject has a random 256-bit data key, stored only wrapped (AES-GCM) by a key
derived from the master key. Fields are AES-GCM encrypted with the data key, bound to
the subject and the field name. Destroying the wrapped key makes every field of that
subject unreadable (crypto-shredding). Lookups use a keyed hash, never the plaintext.

Rotating the master key: start the new master key, unwrap every data key with the old
one and wrap it with the new one (data keys, and so the fields, stay as they are).
"""

import hashlib
import hmac
import os
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from adapters.encryption import DecryptionFailed, FieldCipher

DATA_KEY_BYTES = 32
NONCE_BYTES = 12


class SubjectKeyring:
    def __init__(self, key_encryption_key: bytes, lookup_key: bytes) -> None:
        self._kek = AESGCM(key_encryption_key)
        self._lookup_key = lookup_key

    def new_wrapped_key(self, subject_id: UUID) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        wrapped = self._kek.encrypt(nonce, os.urandom(DATA_KEY_BYTES), _aad(subject_id, "key"))
        return nonce + wrapped

    def encrypt(self, subject_id: UUID, wrapped_key: bytes, field: str, value: str) -> bytes:
        return self._cipher(subject_id, wrapped_key).encrypt(
            value.encode(), _aad(subject_id, field)
        )

    def decrypt(self, subject_id: UUID, wrapped_key: bytes, field: str, ciphertext: bytes) -> str:
        return (
            self._cipher(subject_id, wrapped_key)
            .decrypt(ciphertext, _aad(subject_id, field))
            .decode()
        )

    def lookup_hash(self, field: str, value: str) -> str:
        return hmac.new(self._lookup_key, f"{field}:{value}".encode(), hashlib.sha256).hexdigest()

    def _cipher(self, subject_id: UUID, wrapped_key: bytes) -> FieldCipher:
        try:
            data_key = self._kek.decrypt(
                wrapped_key[:NONCE_BYTES], wrapped_key[NONCE_BYTES:], _aad(subject_id, "key")
            )
        except InvalidTag:
            raise DecryptionFailed("the data key is not this subject's") from None
        return FieldCipher(data_key)


def _aad(subject_id: UUID, purpose: str) -> bytes:
    return subject_id.bytes + purpose.encode()
