"""Signed checkpoints: each must verify and still match the chain at its sequence number."""

from dataclasses import replace
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.checkpoint_keys import Ed25519CheckpointKeys
from domain.compliance.checkpoints import CheckpointFailure, new_checkpoint, verify_checkpoints

AT = datetime(2026, 6, 1, 12, tzinfo=UTC)


def pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_pem(private: str) -> str:
    key = serialization.load_pem_private_key(private.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def lookup(chain: dict[int, str]):  # type: ignore[no-untyped-def]
    async def hash_at(seq: int) -> str | None:
        return chain.get(seq)

    return hash_at


async def test_checkpoints_that_match_the_chain_verify() -> None:
    keys = Ed25519CheckpointKeys(pem())
    chain = {3: "a" * 64, 7: "b" * 64}
    checkpoints = [new_checkpoint(keys, seq, digest, AT) for seq, digest in chain.items()]

    report = await verify_checkpoints(checkpoints, keys, lookup(chain))

    assert (report.ok, report.checked) == (True, 2)


async def test_the_first_checkpoint_the_chain_no_longer_matches_is_named() -> None:
    keys = Ed25519CheckpointKeys(pem())
    checkpoints = [new_checkpoint(keys, 3, "a" * 64, AT), new_checkpoint(keys, 7, "b" * 64, AT)]

    rewritten = await verify_checkpoints(checkpoints, keys, lookup({3: "a" * 64, 7: "c" * 64}))
    truncated = await verify_checkpoints(checkpoints, keys, lookup({3: "a" * 64}))

    assert rewritten.first_invalid == CheckpointFailure(
        7, "the chain no longer has the checkpointed hash"
    )
    assert truncated.first_invalid == CheckpointFailure(7, "the checkpointed entry is missing")
    assert rewritten.checked == 1


async def test_a_signature_from_another_key_or_over_other_content_fails() -> None:
    ours, theirs = Ed25519CheckpointKeys(pem()), Ed25519CheckpointKeys(pem())
    forged = new_checkpoint(theirs, 3, "a" * 64, AT)
    altered = replace(new_checkpoint(ours, 3, "a" * 64, AT), signed_at=AT.replace(day=2))

    for checkpoint in (forged, altered):
        report = await verify_checkpoints([checkpoint], ours, lookup({3: "a" * 64}))
        assert report.first_invalid == CheckpointFailure(3, "signature does not verify")


async def test_a_retired_key_still_verifies_its_checkpoints_after_a_rotation() -> None:
    old = pem()
    before = new_checkpoint(Ed25519CheckpointKeys(old), 3, "a" * 64, AT)
    rotated = Ed25519CheckpointKeys(pem(), (public_pem(old),))

    report = await verify_checkpoints([before], rotated, lookup({3: "a" * 64}))

    assert report.ok
    assert rotated.key_id != before.key_id
