"""The Merkle tree of RFC 9162 §2.1 (as RFC 6962): leaf = SHA-256(0x00 ‖ entry), node =
SHA-256(0x01 ‖ left ‖ right), the tree over n leaves split at the largest power of two below n.

Every complete, aligned subtree — `(level, index)`: the leaves [index·2^level, (index+1)·2^level)
— has its hash stored once (`workflows.audit.tree`), so that a root, an inclusion proof or
a consistency proof reads O(log n) hashes. Each computation comes in two halves, as in Go's
sumdb/tlog: which stored hashes it needs (`*_addresses`), then the result from those hashes
read in that order. Verification (`root_from_inclusion`, `consistent`) follows RFC 9162
§2.1.3.2 and §2.1.4.2 and needs no storage.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

Hash = bytes
Address = tuple[int, int]  # (level, index) of a complete aligned subtree
HASH_SIZE = 32  # SHA-256
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> Hash:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: Hash, right: Hash) -> Hash:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


# The hash of the leaves [lo, hi), as the tree over them defines it.

def subtree_addresses(lo: int, hi: int) -> list[Address]:
    """The complete subtrees [lo, hi) is made of, left to right: hi - lo in binary."""
    addresses = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        addresses.append((level, lo >> level))
        lo += 1 << level
    return addresses


def subtree_hash(hashes: Iterator[Hash], count: int) -> Hash:
    """Combine `count` complete subtree hashes (from subtree_addresses) right to left."""
    parts = [next(hashes) for _ in range(count)]
    result = parts[-1]
    for part in reversed(parts[:-1]):
        result = node_hash(part, result)
    return result


def root_addresses(size: int) -> list[Address]:
    return subtree_addresses(0, size)


def root(hashes: list[Hash], size: int) -> Hash:
    return subtree_hash(iter(hashes), len(hashes)) if size else EMPTY_ROOT


# Inclusion proofs (RFC 9162 §2.1.3.1): the sibling hashes from the leaf up to the root.

def inclusion_addresses(index: int, size: int) -> list[list[Address]]:
    """For each proof element, bottom up, the subtrees its hash combines."""
    if not 0 <= index < size:
        raise ValueError(f"no leaf {index} in a tree of {size}")
    return _inclusion(0, size, index)


def _inclusion(lo: int, hi: int, index: int) -> list[list[Address]]:
    if hi - lo == 1:
        return []
    k = _split(hi - lo)
    if index < lo + k:
        return _inclusion(lo, lo + k, index) + [subtree_addresses(lo + k, hi)]
    return _inclusion(lo + k, hi, index) + [subtree_addresses(lo, lo + k)]


# Consistency proofs (RFC 9162 §2.1.4.1): that the tree of size `old` is a prefix of `new`.

def consistency_addresses(old: int, new: int) -> list[list[Address]]:
    if not 0 < old <= new:
        raise ValueError(f"no consistency proof from {old} to {new}")
    return _subproof(old, 0, new, True) if old < new else []


def _subproof(m: int, lo: int, hi: int, complete: bool) -> list[list[Address]]:
    n = hi - lo
    if m == n:
        return [] if complete else [subtree_addresses(lo, hi)]
    k = _split(n)
    if m <= k:
        return _subproof(m, lo, lo + k, complete) + [subtree_addresses(lo + k, hi)]
    return _subproof(m - k, lo + k, hi, False) + [subtree_addresses(lo, lo + k)]


def proof(addresses: list[list[Address]], hashes: Iterator[Hash]) -> list[Hash]:
    """The proof's hashes, from the stored hashes read in the order of the flattened
    addresses."""
    return [subtree_hash(hashes, len(element)) for element in addresses]


def flatten(addresses: list[list[Address]]) -> list[Address]:
    return [address for element in addresses for address in element]


# Verification: no storage, only the proof.

def root_from_inclusion(index: int, size: int, leaf: Hash, path: list[Hash]) -> Hash | None:
    """The root the path leads to from the leaf (RFC 9162 §2.1.3.2), or None if the path
    cannot belong to that index and size."""
    if not 0 <= index < size or any(len(digest) != HASH_SIZE for digest in (leaf, *path)):
        return None
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return result if sn == 0 else None


def consistent(old: int, new: int, old_root: Hash, new_root: Hash, path: list[Hash]) -> bool:
    """Whether the path proves the tree of size `old` a prefix of the one of size `new`
    (RFC 9162 §2.1.4.2)."""
    if old == new:
        return old_root == new_root and not path
    if any(len(digest) != HASH_SIZE for digest in (old_root, new_root, *path)):
        return False
    if not 0 < old < new or not path:
        return False
    if old & (old - 1) == 0:  # a power of two: the old root is itself the first node
        path = [old_root, *path]
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for node in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first, second = node_hash(node, first), node_hash(node, second)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, node)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and first == old_root and second == new_root
