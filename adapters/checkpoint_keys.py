"""Ed25519 keys signing audit checkpoints (`ELCORP_AUDIT_CHECKPOINT_KEY`). A key's id is a
hash of its public half, so checkpoints name the key that can verify them."""

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


class Ed25519CheckpointKeys:
    """Signs with the configured key; verifies with it and with any retired public keys."""

    def __init__(self, private_pem: str, retired_public_pems: tuple[str, ...] = ()) -> None:
        key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("ELCORP_AUDIT_CHECKPOINT_KEY must be an Ed25519 private key (PEM)")
        self._private = key
        publics = [key.public_key()]
        for pem in retired_public_pems:
            public = serialization.load_pem_public_key(pem.encode())
            if not isinstance(public, Ed25519PublicKey):
                raise ValueError("retired checkpoint keys must be Ed25519 public keys (PEM)")
            publics.append(public)
        self._public = {key_id(public): public for public in publics}

    @property
    def key_id(self) -> str:
        return key_id(self._private.public_key())

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    def verify(self, key_id: str, signature: bytes, message: bytes) -> bool:
        public = self._public.get(key_id)
        if public is None:
            return False
        try:
            public.verify(signature, message)
        except InvalidSignature:
            return False
        return True
