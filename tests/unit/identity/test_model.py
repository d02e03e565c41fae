"""The user model's input rules: emails, full names, renaming."""

from dataclasses import FrozenInstanceError, replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.identity.errors import InvalidEmail, InvalidFullName
from domain.identity.model import (
    MAX_FULL_NAME,
    OneTimeToken,
    TokenPurpose,
    User,
    UserStatus,
    clean_full_name,
    normalize_email,
)
from domain.shared.errors import ErrorCode
from domain.shared.ids import new_id

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def user(**overrides: object) -> User:
    values: dict[str, object] = {
        "id": new_id(),
        "email": "ada@example.na",
        "full_name": "Ada Lovelace",
        "status": UserStatus.ACTIVE,
        "created_at": NOW,
    }
    values.update(overrides)
    return User(**values)  # type: ignore[arg-type]


# --- emails ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("ada@example.na", "ada@example.na"),
        ("  Ada.Lovelace@Example.COM.na\n", "ada.lovelace@example.com.na"),
        ("a+tag@x.io", "a+tag@x.io"),
    ],
)
def test_emails_are_trimmed_and_lowercased(raw: str, normalized: str) -> None:
    assert normalize_email(raw) == normalized


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "ada", "ada@", "@example.na", "ada@example", "a da@x.na", "ada@ex ample.na"],
)
def test_malformed_emails_are_refused_as_bad_input_on_the_email_field(raw: str) -> None:
    with pytest.raises(InvalidEmail) as refused:
        normalize_email(raw)

    assert (refused.value.code, refused.value.field) == (ErrorCode.BAD_USER_INPUT, "email")


def test_emails_may_be_254_characters_but_no_longer() -> None:
    domain = "@example.na"
    longest = "a" * (254 - len(domain)) + domain

    assert normalize_email(longest) == longest
    with pytest.raises(InvalidEmail):
        normalize_email("a" + longest)


@pytest.mark.parametrize("raw", ["ada\t@example.na", "ada\n@example.na", "a@b@example.na"])
def test_other_whitespace_and_a_second_at_sign_are_refused(raw: str) -> None:
    with pytest.raises(InvalidEmail):
        normalize_email(raw)


local_parts = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-",
    min_size=1,
    max_size=30,
)
labels = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-",
    min_size=1,
    max_size=15,
)


@given(local=local_parts, host=labels, tld=labels, pad=st.text(alphabet=" \t\n", max_size=3))
def test_normalizing_is_idempotent_and_case_insensitive(
    local: str, host: str, tld: str, pad: str
) -> None:
    raw = f"{pad}{local}@{host}.{tld}{pad}"

    once = normalize_email(raw)

    assert once == f"{local}@{host}.{tld}".lower()
    assert normalize_email(once) == once
    assert normalize_email(raw.upper()) == once


# --- full names --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("Ada", "Ada"), ("  Ada \t  King\n", "Ada King"), ("Ndapewa  Ōmbili", "Ndapewa Ōmbili")],
)
def test_full_names_are_trimmed_and_inner_whitespace_collapsed(raw: str, cleaned: str) -> None:
    assert clean_full_name(raw) == cleaned


@pytest.mark.parametrize("raw", ["", " \t\n ", "x" * (MAX_FULL_NAME + 1)])
def test_blank_or_overlong_full_names_are_refused_on_the_full_name_field(raw: str) -> None:
    with pytest.raises(InvalidFullName) as refused:
        clean_full_name(raw)

    assert (refused.value.code, refused.value.field) == (ErrorCode.BAD_USER_INPUT, "fullName")
    assert refused.value.message == "Full name must be 1 to 200 characters"


def test_the_length_limit_applies_after_collapsing_whitespace() -> None:
    name = "x" * (MAX_FULL_NAME - 1)

    assert clean_full_name(f"  {name[:10]}     {name[10:]}  ") == f"{name[:10]} {name[10:]}"


@given(raw=st.text(max_size=60).filter(lambda text: text.strip()))
def test_a_cleaned_name_is_stable_and_has_no_stray_whitespace(raw: str) -> None:
    cleaned = clean_full_name(raw)

    assert clean_full_name(cleaned) == cleaned
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert cleaned.split() == raw.split()


# --- users -------------------------------------------------------------------


def test_renaming_returns_a_new_user_with_the_cleaned_name() -> None:
    before = user()

    after = before.renamed("  Ada   King ")

    assert after.full_name == "Ada King"
    assert after == user(id=before.id, full_name="Ada King")
    assert before.full_name == "Ada Lovelace"


def test_renaming_to_a_blank_name_is_refused() -> None:
    with pytest.raises(InvalidFullName) as refused:
        user().renamed("   ")

    assert refused.value.field == "fullName"


def test_users_are_immutable() -> None:
    with pytest.raises(FrozenInstanceError):
        user().full_name = "Someone"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(UserStatus.ACTIVE, True), (UserStatus.LOCKED, False), (UserStatus.ERASED, False)],
)
def test_only_active_users_can_sign_in(status: UserStatus, allowed: bool) -> None:
    assert user(status=status).can_sign_in is allowed


def test_a_one_time_token_is_usable_once_and_until_it_expires() -> None:
    token = OneTimeToken(
        id=new_id(),
        user_id=new_id(),
        purpose=TokenPurpose.VERIFY_EMAIL,
        expires_at=NOW + timedelta(hours=1),
    )

    assert token.usable(NOW)
    assert not token.usable(NOW + timedelta(hours=1))
    assert not replace(token, used_at=NOW).usable(NOW)
