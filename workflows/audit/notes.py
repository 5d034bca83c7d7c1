"""Signed notes (C2SP signed-note, as Go's golang.org/x/mod/sumdb/note) and the checkpoints of
the audit log written in them (C2SP tlog-checkpoint): an origin line, the tree size, the root
hash in base64; then a blank line and "— <name> <base64(key hash ‖ Ed25519 signature)>".

Keys travel in the same text forms as Go's: the verifier key `<name>+<hash>+<base64(0x01 ‖
public key)>` that anyone may hold, and the signer key `PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖
seed)>` that stays in the data folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space


class NoteError(ValueError):
    """Not a note signed by this key (or not a note at all); the message says which."""


def key_hash(name: str, key: bytes) -> int:
    """The first four bytes of SHA-256(name ‖ "\\n" ‖ algorithm ‖ key), as a big-endian int."""
    return int(struct.unpack(">I", hashlib.sha256(name.encode() + b"\n" + key).digest()[:4])[0])


def _valid_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(char.isspace() for char in name)


@dataclass(frozen=True)
class Verifier:
    name: str
    public: bytes  # the raw 32-byte Ed25519 public key

    @property
    def hash(self) -> int:
        return key_hash(self.name, ED25519 + self.public)

    @property
    def vkey(self) -> str:
        encoded = base64.b64encode(ED25519 + self.public).decode()
        return f"{self.name}+{self.hash:08x}+{encoded}"

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        name, _, rest = vkey.strip().partition("+")
        hash_hex, _, encoded = rest.partition("+")
        try:
            key = base64.b64decode(encoded, validate=True)
            declared = int(hash_hex, 16)
        except ValueError:
            raise NoteError("not a verifier key: name+hash+key") from None
        if (len(hash_hex) != 8 or not _valid_name(name) or key[:1] != ED25519
                or len(key) != 33 or key_hash(name, key) != declared):
            raise NoteError("not an Ed25519 verifier key, or its hash does not match")
        return cls(name, key[1:])

    def open(self, signed: str) -> str:
        """The note's text, if this key signed it; NoteError otherwise."""
        if any(ord(char) < 0x20 and char != "\n" for char in signed):
            raise NoteError("a note holds no control characters")
        split = signed.rfind("\n\n")
        if split < 0 or not signed.endswith("\n"):
            raise NoteError("a note is a text, a blank line and signature lines")
        text, signatures = signed[:split + 1], signed[split + 2:]
        public = Ed25519PublicKey.from_public_bytes(self.public)
        for line in signatures.splitlines():
            if not line.startswith(SIGNATURE_PREFIX):
                raise NoteError("a signature line starts with an em dash")
            name, _, encoded = line[len(SIGNATURE_PREFIX):].partition(" ")
            try:
                signature = base64.b64decode(encoded, validate=True)
            except ValueError:
                raise NoteError("a signature is base64") from None
            if name != self.name or signature[:4] != struct.pack(">I", self.hash):
                continue  # another key's signature (a witness's, say)
            try:
                public.verify(signature[4:], text.encode())
            except InvalidSignature:
                raise NoteError(f"the signature of {name} does not hold: the note was "
                                "changed") from None
            return text
        raise NoteError(f"not signed by {self.name} with key {self.hash:08x}")


def signature_keys(signed: str) -> list[tuple[str, int]]:
    """Who signed a note, by name and key hash, as its signature lines say (unverified)."""
    _, _, signatures = signed.rpartition("\n\n")
    keys = []
    for line in signatures.splitlines():
        name, _, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
        try:
            signature = base64.b64decode(encoded, validate=True)
        except ValueError:
            continue
        if line.startswith(SIGNATURE_PREFIX) and len(signature) >= 4:
            keys.append((name, int(struct.unpack(">I", signature[:4])[0])))
    return keys


@dataclass(frozen=True)
class Signer:
    name: str
    private: Ed25519PrivateKey

    @property
    def verifier(self) -> Verifier:
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, raw)

    @property
    def skey(self) -> str:
        seed = self.private.private_bytes_raw()
        encoded = base64.b64encode(ED25519 + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.hash:08x}+{encoded}"

    @classmethod
    def from_skey(cls, skey: str) -> Signer:
        text = skey.strip()
        # The key's base64 may hold "+" itself: split off the name and the hash only.
        fields = text.removeprefix("PRIVATE+KEY+").split("+", 2)
        if not text.startswith("PRIVATE+KEY+") or len(fields) != 3 or not _valid_name(fields[0]):
            raise NoteError("not a signer key: PRIVATE+KEY+name+hash+key")
        parts = ["PRIVATE", "KEY", *fields]
        try:
            key = base64.b64decode(parts[4], validate=True)
        except ValueError:
            raise NoteError("not a signer key: its key is not base64") from None
        if key[:1] != ED25519 or len(key) != 33:
            raise NoteError("not an Ed25519 signer key")
        signer = cls(parts[2], Ed25519PrivateKey.from_private_bytes(key[1:]))
        if f"{signer.verifier.hash:08x}" != parts[3]:
            raise NoteError("the signer key's hash does not match its key")
        return signer

    @classmethod
    def generate(cls, name: str) -> Signer:
        if not _valid_name(name):
            raise NoteError(f"{name!r} cannot name a key: no spaces, no +")
        return cls(name, Ed25519PrivateKey.generate())

    def sign(self, text: str) -> str:
        if not text.endswith("\n") or "\n\n" in text:
            raise NoteError("a note's text ends with one newline and holds no blank line")
        signature = struct.pack(">I", self.verifier.hash) + self.private.sign(text.encode())
        return f"{text}\n{SIGNATURE_PREFIX}{self.name} {base64.b64encode(signature).decode()}\n"


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log `origin` held `size` leaves with this root."""

    origin: str
    size: int
    root: bytes

    @property
    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        # A size in plain decimal digits, no sign and no leading zero, as Go's tlog reads it.
        if len(lines) < 4 or not re.fullmatch(r"0|[1-9][0-9]{0,18}", lines[1]):
            raise NoteError("a checkpoint is an origin, a tree size and a root hash")
        try:
            root = base64.b64decode(lines[2], validate=True)
        except ValueError:
            raise NoteError("a checkpoint's root hash is base64") from None
        if len(root) != 32:
            raise NoteError("a checkpoint's root hash has 32 bytes")
        return cls(lines[0], int(lines[1]), root)
