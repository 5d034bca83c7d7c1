"""Signed notes and keys against the known answers of Go's golang.org/x/mod/sumdb/note
(note_test.go and example_test.go, Debian's golang-golang-x-mod-dev): the same text, the same
keys, the same signature, byte for byte."""

from __future__ import annotations

import pytest

from workflows.audit.notes import Checkpoint, NoteError, Signer, Verifier, signature_keys

VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
TEXT = ("If you think cryptography is the answer to your problem,\n"
        "then you don't know what your problem is.\n")
SIGNED = TEXT + ("\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
                 "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")


def test_gos_keys_and_signature_are_reproduced_exactly():
    signer = Signer.from_skey(SKEY)
    assert signer.skey == SKEY and signer.verifier.vkey == VKEY
    assert Verifier.from_vkey(VKEY) == signer.verifier
    assert signer.sign(TEXT) == SIGNED  # Ed25519 is deterministic
    assert Verifier.from_vkey(VKEY).open(SIGNED) == TEXT
    assert signature_keys(SIGNED) == [("PeterNeumann", 0xC74F20A3)]


@pytest.mark.parametrize("vkey", [
    "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",  # Go: bad
    "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # Go: bad
    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # wrong hash
    "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    "PeterNeumann+c74f20a3",
    "",
])
def test_keys_go_refuses_are_refused(vkey):
    with pytest.raises(NoteError):
        Verifier.from_vkey(vkey)


@pytest.mark.parametrize("forged", [
    SIGNED.replace("answer", "Answer"),  # the text changed
    SIGNED.replace("x08go", "x08gp"),  # the signature changed
    TEXT,  # no signature at all
    SIGNED.replace("PeterNeumann", "PeterNeuman"),  # someone else's name
    SIGNED.replace("\n\n", "\n"),
    SIGNED.replace("problem,\n", "problem,\r\n"),
])
def test_an_altered_note_does_not_open(forged):
    with pytest.raises(NoteError):
        Verifier.from_vkey(VKEY).open(forged)


def test_another_keys_signature_is_ignored_and_a_witness_cosignature_kept():
    witness = Signer.generate("witness.example")
    cosigned = SIGNED + witness.sign(TEXT).split("\n\n", 1)[1]
    assert Verifier.from_vkey(VKEY).open(cosigned) == TEXT
    assert witness.verifier.open(cosigned) == TEXT


@pytest.mark.parametrize("size", ["01", "-1", "+1", " 1", "1.0", "１", "99999999999999999999"])
def test_a_checkpoint_size_is_plain_decimal(size):
    text = f"example.org/log\n{size}\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
    with pytest.raises(NoteError):
        Checkpoint.parse(text)


def test_a_checkpoint_reads_back_what_it_wrote():
    head = Checkpoint("example.org/log", 123, bytes(range(32)))
    assert Checkpoint.parse(head.text) == head
