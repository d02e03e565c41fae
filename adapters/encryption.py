"""AES-256-GCM for fields at rest; the associated data binds a ciphertext to its row."""

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class DecryptionFailed(Exception):
    pass


class FieldCipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, associated_data)

    def decrypt(self, ciphertext: bytes, associated_data: bytes) -> bytes:
        try:
            return self._aead.decrypt(
                ciphertext[:NONCE_BYTES], ciphertext[NONCE_BYTES:], associated_data
            )
        except InvalidTag:
            raise DecryptionFailed("ciphertext does not verify") from None
