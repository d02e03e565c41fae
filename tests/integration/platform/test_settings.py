"""Secrets: generated once in development, required in production."""

from pathlib import Path

import pytest

from server.secrets import MissingSecrets, ensure_secrets
from server.settings import Environment, Settings


def test_development_generates_missing_secrets_once(tmp_path: Path) -> None:
    first = ensure_secrets(Settings(env=Environment.DEVELOPMENT, data_dir=tmp_path))
    second = ensure_secrets(Settings(env=Environment.DEVELOPMENT, data_dir=tmp_path))

    assert first.missing_secrets() == []
    assert first.jwt_signing_key == second.jwt_signing_key
    assert first.master_encryption_key != first.webhook_signing_key
    assert (tmp_path / "secrets" / "jwt_signing_key").stat().st_mode & 0o777 == 0o600


def test_production_refuses_to_start_without_secrets_and_names_them(tmp_path: Path) -> None:
    settings = Settings(
        env=Environment.PRODUCTION, data_dir=tmp_path, jwt_signing_key="x", webhook_signing_key="y"
    )

    with pytest.raises(MissingSecrets) as missing:
        ensure_secrets(settings)

    assert missing.value.names == [
        "master_encryption_key",
        "audit_checkpoint_key",
        "gateway_callback_secret",
    ]
    assert "ELCORP_MASTER_ENCRYPTION_KEY" in str(missing.value)
    assert not (tmp_path / "secrets").exists()


def test_production_uses_the_environments_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "JWT_SIGNING_KEY",
        "MASTER_ENCRYPTION_KEY",
        "WEBHOOK_SIGNING_KEY",
        "AUDIT_CHECKPOINT_KEY",
        "GATEWAY_CALLBACK_SECRET",
    ):
        monkeypatch.setenv(f"ELCORP_{name}", f"value-of-{name}")

    settings = ensure_secrets(Settings(env=Environment.PRODUCTION, data_dir=tmp_path))

    assert settings.master_encryption_key is not None
    assert settings.master_encryption_key.get_secret_value() == "value-of-MASTER_ENCRYPTION_KEY"
