"""Personal data is stored encrypted under each subject's own key; losing the key shreds it."""

import os
import uuid

import asyncpg
import pytest

from adapters.encryption import DecryptionFailed
from adapters.personal_data import SubjectKeyring
from server.app import Runtime
from tests.support.databases import plain_url
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

NAME = "Ndapewa Shikongo"


async def test_names_are_ciphertext_at_rest_and_plaintext_through_the_api(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    user = await create_user(runtime.services, full_name=NAME)
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        dump = await connection.fetchval(
            "SELECT string_agg(t::text, ' ') FROM (SELECT * FROM users) t"
        )
        outbox = await connection.fetchval(
            "SELECT string_agg(payload::text, ' ') FROM outbox_events"
        )
        audit = await connection.fetchval("SELECT string_agg(changes::text, ' ') FROM audit_log")
    finally:
        await connection.close()

    me = await graphql("{ me { fullName } }", token=await token_for(runtime.services, user))

    assert NAME.encode().hex() not in dump
    assert NAME not in dump
    assert NAME not in (outbox or "")
    assert NAME not in (audit or "")
    assert me.data == {"me": {"fullName": NAME}}


async def test_destroying_the_subject_key_makes_the_name_unreadable(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    user = await create_user(runtime.services, full_name=NAME)
    staff = await create_user(runtime.services, roles=["staff"])
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        await connection.execute("DELETE FROM subject_keys WHERE user_id = $1", user.id)
    finally:
        await connection.close()

    found = await graphql(
        "query($f: UserFilter) { users(filter: $f) { edges { node { fullName } } } }",
        {"f": {"emailContains": user.email}},
        token=await token_for(runtime.services, staff),
    )

    assert found.data["users"]["edges"] == [{"node": {"fullName": "[erased]"}}]


def test_a_ciphertext_only_opens_for_its_subject_and_field() -> None:
    keyring = SubjectKeyring(os.urandom(32), os.urandom(32))
    ada, bob = uuid.uuid4(), uuid.uuid4()
    wrapped = keyring.new_wrapped_key(ada)
    sealed = keyring.encrypt(ada, wrapped, "full_name", NAME)

    assert keyring.decrypt(ada, wrapped, "full_name", sealed) == NAME
    with pytest.raises(DecryptionFailed):
        keyring.decrypt(ada, wrapped, "phone", sealed)
    with pytest.raises(DecryptionFailed):
        keyring.decrypt(bob, wrapped, "full_name", sealed)
    assert keyring.lookup_hash("phone", "+264811234567") == keyring.lookup_hash(
        "phone", "+264811234567"
    )
    assert keyring.lookup_hash("phone", "+264811234567") != keyring.lookup_hash(
        "phone", "+264811234568"
    )
