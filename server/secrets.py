"""Development secrets: generated once into `.data/secrets/`, refused in production."""

import base64
import os
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import SecretStr

from server.settings import SECRET_FIELDS, Settings


class MissingSecrets(RuntimeError):
    def __init__(self, names: list[str]) -> None:
        variables = ", ".join(f"ELCORP_{name.upper()}" for name in names)
        super().__init__(f"production needs these secrets in the environment: {variables}")
        self.names = names


def _ed25519_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def _random_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


GENERATORS: dict[str, Callable[[], str]] = {
    "jwt_signing_key": _ed25519_pem,
    "master_encryption_key": _random_key,
    "webhook_signing_key": _random_key,
    "audit_checkpoint_key": _ed25519_pem,
    "gateway_callback_secret": _random_key,
}
assert set(GENERATORS) == set(SECRET_FIELDS)


def ensure_secrets(settings: Settings) -> Settings:
    """Returns settings with every secret set, or raises MissingSecrets in production."""
    missing = settings.missing_secrets()
    if not missing:
        return settings
    if settings.is_production:
        raise MissingSecrets(missing)
    folder = settings.data_dir / "secrets"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    values = {name: SecretStr(_load_or_create(folder / name, GENERATORS[name])) for name in missing}
    return settings.model_copy(update=values)


def _load_or_create(path: Path, generate: Callable[[], str]) -> str:
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(generate())
    return path.read_text()


def secret_environment(settings: Settings) -> dict[str, str]:
    """The secrets settings hold, as the `ELCORP_*` variables another process reads them from."""
    return {
        f"ELCORP_{name.upper()}": value.get_secret_value()
        for name in SECRET_FIELDS
        if (value := getattr(settings, name)) is not None
    }
