"""Pure identity rules: one-time codes, API key format, devices, sessions, KYC."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.identity.api_keys import parse_api_key, secret_matches
from domain.identity.errors import InvalidDevice, WeakPassword
from domain.identity.kyc import (
    KycDetails,
    KycNotAllowed,
    KycProfile,
    KycStatus,
    KycTier,
    ensure_can_submit,
)
from domain.identity.model import ApiKey, Device, Session, check_new_password
from domain.identity.secrets import OneTimeTokenCodec, hash_secret, new_refresh_token
from domain.shared.errors import DomainError, Forbidden

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def test_one_time_codes_verify_only_for_their_purpose_and_key() -> None:
    codec = OneTimeTokenCodec(b"k" * 32)
    token_id = uuid.uuid4()
    code = codec.encode(token_id, "verify_email")

    assert codec.decode(code, "verify_email") == token_id
    assert codec.decode(code, "reset_password") is None
    assert OneTimeTokenCodec(b"x" * 32).decode(code, "verify_email") is None
    assert codec.decode("not-a-code", "verify_email") is None
    assert codec.decode(code[:-1] + ("0" if code[-1] != "0" else "1"), "verify_email") is None


def test_refresh_tokens_are_long_random_and_stored_as_hashes() -> None:
    first, second = new_refresh_token(), new_refresh_token()

    assert first != second
    assert len(first) >= 43
    assert hash_secret(first) != first
    assert len(hash_secret(first)) == 64


def test_api_keys_parse_and_match_in_constant_time() -> None:
    key_id = uuid.uuid4()
    key = ApiKey(
        id=key_id,
        owner_id=uuid.uuid4(),
        name="k",
        scopes=("roles:read",),
        secret_hash=hash_secret("s3cret"),
        created_at=NOW,
    )

    assert parse_api_key(f"elk_{key_id.hex}_s3cret") == (key_id, "s3cret")
    assert parse_api_key("elk_nothex_s3cret") is None
    assert parse_api_key("Bearer abc") is None
    assert secret_matches(key, "s3cret")
    assert not secret_matches(key, "s3cret ")


@pytest.mark.parametrize("password", ["short", "x" * 257, "ada@example.na", "ADA@example.na "])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_new_password(password, email="ada@example.na")


@pytest.mark.parametrize(
    ("device_id", "name"), [("", "Phone"), ("phone", "  "), ("p" * 201, "Phone")]
)
def test_devices_need_an_id_and_a_name(device_id: str, name: str) -> None:
    with pytest.raises(InvalidDevice):
        Device(id=device_id, name=name)


def test_a_session_ends_when_revoked_or_expired() -> None:
    session = Session(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        device=Device(id="p", name="Phone"),
        ip=None,
        created_at=NOW,
        last_seen_at=NOW,
        expires_at=NOW + timedelta(days=30),
        auth_methods=("pwd",),
        authenticated_at=NOW,
    )

    assert session.is_active(NOW)
    assert not session.is_active(NOW + timedelta(days=31))
    assert not session.revoked(NOW, "logout").is_active(NOW)


def test_kyc_details_are_normalized_and_checked() -> None:
    details = KycDetails.checked("900101 12345", "+264 81 123 4567", date(1990, 1, 1), TODAY)

    assert (details.national_id, details.phone) == ("90010112345", "+264811234567")
    for bad in (
        ("123", "+264811234567", date(1990, 1, 1)),
        ("90010112345", "081123", date(1990, 1, 1)),
        ("90010112345", "+264811234567", TODAY - timedelta(days=365 * 17)),
        ("90010112345", "+264811234567", TODAY + timedelta(days=1)),
    ):
        with pytest.raises(DomainError):
            KycDetails.checked(*bad, TODAY)


def profile(status: KycStatus = KycStatus.SUBMITTED) -> KycProfile:
    details = KycDetails.checked("90010112345", "+264811234567", date(1990, 1, 1), TODAY)
    return KycProfile(
        id=uuid.uuid4(), user_id=uuid.uuid4(), details=details, status=status, submitted_at=NOW
    )


def test_a_review_approves_or_rejects_once_and_never_by_the_subject() -> None:
    submitted = profile()
    reviewer = uuid.uuid4()

    approved = submitted.reviewed(reviewer, True, "  matches  ", NOW)

    assert (approved.status, approved.tier, approved.reason) == (
        KycStatus.APPROVED,
        KycTier.VERIFIED,
        "matches",
    )
    assert submitted.reviewed(reviewer, False, "blurry", NOW).tier is KycTier.UNVERIFIED
    with pytest.raises(KycNotAllowed):
        approved.reviewed(reviewer, False, "again", NOW)
    with pytest.raises(Forbidden):
        submitted.reviewed(submitted.user_id, True, "me", NOW)
    with pytest.raises(DomainError):
        submitted.reviewed(reviewer, True, " ", NOW)


def test_only_a_rejected_profile_may_be_resubmitted() -> None:
    ensure_can_submit(None)
    ensure_can_submit(profile(KycStatus.REJECTED))
    for status in (KycStatus.SUBMITTED, KycStatus.APPROVED):
        with pytest.raises(KycNotAllowed):
            ensure_can_submit(profile(status))
