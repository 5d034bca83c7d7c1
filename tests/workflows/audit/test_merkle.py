"""The Merkle tree of `workflows.audit.merkle`, checked against vectors published by others and
against a naive RFC 9162 tree written here from the RFC's definitions.

The published vectors are copied verbatim (hex) from:
- transparency-dev/merkle `testonly/constants.go`: LeafInputs, NodeHashes, RootHashes,
  CompactTrees, EmptyRootHash;
- transparency-dev/merkle `proof/verify_test.go`: inclusionProofs, consistencyProofs,
  sha256SomeHash, the TestVerifyInclusion / TestVerifyConsistency tables and the probes of
  corruptInclusionProof / corruptConsistencyProof;
- transparency-dev/merkle `testonly/reference_test.go`: TestRefInclusionProof,
  TestRefConsistencyProof;
- transparency-dev/merkle `proof/proof_test.go`: the node layouts of TestInclusion and
  TestConsistency;
- transparency-dev/merkle `testonly/vectors_test.go`: the accumulated digests of the "Subtree
  Test Vectors" appendix of draft-ietf-plants-merkle-tree-certs;
- google/certificate-transparency `cpp/merkletree/tree_hasher_test.cc` (leaf and node hashes)
  and `cpp/merkletree/merkle_tree_test.cc` (kInputs, kSHA256Roots, kSHA256Paths, kSHA256Proofs:
  the same reference tree of eight leaves).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.audit import merkle
from workflows.audit.merkle import Address, Hash

# --- Published vectors -------------------------------------------------------------------------

# transparency-dev/merkle testonly/constants.go, EmptyRootHash(); also kSHA256EmptyTreeHash in
# google/certificate-transparency cpp/merkletree/merkle_tree_test.cc.
EMPTY_TREE_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

# transparency-dev/merkle proof/verify_test.go, sha256SomeHash.
SOME_HASH = "abacaba000000000000000000000000000000000000000000060061e00123456"

# transparency-dev/merkle testonly/constants.go, LeafInputs(); kInputs in merkle_tree_test.cc.
LEAF_INPUTS = [bytes.fromhex(entry) for entry in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
)]

# transparency-dev/merkle testonly/constants.go, NodeHashes(): every complete subtree of the tree
# over LEAF_INPUTS, keyed here by (level, index) as in the Go slice.
NODE_HASHES: dict[Address, str] = {
    (0, 0): "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    (0, 1): "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    (0, 2): "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    (0, 3): "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    (0, 4): "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    (0, 5): "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    (0, 6): "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    (0, 7): "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    (1, 0): "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    (1, 1): "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    (1, 2): "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    (1, 3): "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    (2, 0): "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    (2, 1): "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    (3, 0): "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

# transparency-dev/merkle testonly/constants.go, RootHashes(), indexed by tree size from 0;
# sizes 1..8 are also kSHA256Roots in merkle_tree_test.cc and `roots` in proof/verify_test.go.
ROOT_HASHES = [
    EMPTY_TREE_HASH,
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

# transparency-dev/merkle testonly/constants.go, CompactTrees(): which NodeHashes make up the
# root of each size (nh[level][index]), i.e. the complete subtrees the root combines.
COMPACT_TREES: list[list[Address]] = [
    [], [(0, 0)], [(1, 0)], [(1, 0), (0, 2)], [(2, 0)], [(2, 0), (0, 4)], [(2, 0), (1, 2)],
    [(2, 0), (1, 2), (0, 6)], [(3, 0)],
]

# google/certificate-transparency cpp/merkletree/tree_hasher_test.cc, sha256_leaves.
CT_LEAF_HASHES = [
    ("", "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    ("00", "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
    ("101112131415161718191a1b1c1d1e1f",
     "3bfb960453ebaebf33727da7a1f4db38acc051d381b6da20d6d4e88f0eabfd7a"),
]
# google/certificate-transparency cpp/merkletree/tree_hasher_test.cc, sha256_nodes.
CT_NODE_HASH = (
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
    "1a378704c17da31e2d05b6d121c2bb2c7d76f6ee6fa8f983e596c2d034963c57",
)

# Inclusion proofs in the tree over LEAF_INPUTS, as (0-based leaf index, tree size, path).
# proof/verify_test.go `inclusionProofs` and merkle_tree_test.cc `kSHA256Paths` number leaves
# from 1 ({1, 8}, {6, 8}, {3, 3}, {2, 5}, {1, 1}); testonly/reference_test.go
# `TestRefInclusionProof` numbers them from 0 and adds {0, 2} and {1, 2}.
INCLUSION_PROOFS: list[tuple[int, int, list[str]]] = [
    (0, 1, []),
    (0, 2, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"]),
    (1, 2, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"]),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (1, 5, [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]),
    (0, 8, [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]),
    (5, 8, [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
]

# Consistency proofs in the tree over LEAF_INPUTS, as (size1, size2, path): proof/verify_test.go
# `consistencyProofs` (which alone has {6, 7}); the others are also in merkle_tree_test.cc
# `kSHA256Proofs` and reference_test.go `TestRefConsistencyProof`.
CONSISTENCY_PROOFS: list[tuple[int, int, list[str]]] = [
    (1, 1, []),
    (1, 8, [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]),
    (6, 8, [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
    (2, 5, [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]),
    (6, 7, [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]),
]

# transparency-dev/merkle proof/proof_test.go: which stored nodes a proof reads, as Go's
# proof.Nodes: the node IDs (level, index) and, where one proof hash is not stored, the slice
# [begin, end) of IDs it is rehashed from (listed right to left, smallest subtree first).
# Each row: (index or size1, size or size2, ids, begin, end).
GoNodes = tuple[int, int, list[Address], int, int]
INCLUSION_NODES: list[GoNodes] = [
    (0, 1, [], 0, 0),
    (0, 2, [(0, 1)], 0, 0),
    (1, 2, [(0, 0)], 0, 0),
    (1, 3, [(0, 0), (0, 2)], 0, 0),
    (0, 7, [(0, 1), (1, 1), (0, 6), (1, 2)], 2, 4),
    (1, 7, [(0, 0), (1, 1), (0, 6), (1, 2)], 2, 4),
    (2, 7, [(0, 3), (1, 0), (0, 6), (1, 2)], 2, 4),
    (3, 7, [(0, 2), (1, 0), (0, 6), (1, 2)], 2, 4),
    (4, 7, [(0, 5), (0, 6), (2, 0)], 0, 0),
    (5, 7, [(0, 4), (0, 6), (2, 0)], 0, 0),
    (6, 7, [(1, 2), (2, 0)], 0, 0),
    (2, 4, [(0, 3), (1, 0)], 0, 0),
    (3, 5, [(0, 2), (1, 0), (0, 4)], 0, 0),
    (3, 6, [(0, 2), (1, 0), (1, 2)], 0, 0),
    (4, 6, [(0, 5), (2, 0)], 0, 0),
    (10, 15, [(0, 11), (1, 4), (0, 14), (1, 6), (3, 0)], 2, 4),
    (24, 31, [(0, 25), (1, 13), (0, 30), (1, 14), (3, 2), (4, 0)], 2, 4),
    (81, 95, [(0, 80), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)], 3, 6),
]
CONSISTENCY_NODES: list[GoNodes] = [
    (1, 2, [(0, 1)], 0, 0),
    (1, 4, [(0, 1), (1, 1)], 0, 0),
    (1, 6, [(0, 1), (1, 1), (1, 2)], 0, 0),
    (2, 3, [(0, 2)], 0, 0),
    (2, 8, [(1, 1), (2, 1)], 0, 0),
    (3, 7, [(0, 2), (0, 3), (1, 0), (0, 6), (1, 2)], 3, 5),
    (4, 7, [(0, 6), (1, 2)], 0, 2),
    (5, 7, [(0, 4), (0, 5), (0, 6), (2, 0)], 0, 0),
    (6, 7, [(1, 2), (0, 6), (2, 0)], 0, 0),
    (7, 8, [(0, 6), (0, 7), (1, 2), (2, 0)], 0, 0),
    *((size, size, [], 0, 0) for size in (1, 2, 3, 4, 5, 7, 8)),
    (2, 4, [(1, 1)], 0, 0),
    (3, 5, [(0, 2), (0, 3), (1, 0), (0, 4)], 0, 0),
    (3, 6, [(0, 2), (0, 3), (1, 0), (1, 2)], 0, 0),
    (4, 6, [(1, 2)], 0, 0),
    (1, 7, [(0, 1), (1, 1), (0, 6), (1, 2)], 2, 4),
    (10, 15, [(1, 4), (1, 5), (0, 14), (1, 6), (3, 0)], 2, 4),
    (24, 31, [(3, 2), (0, 30), (1, 14), (2, 6), (4, 0)], 1, 4),
    (81, 95, [(0, 80), (0, 81), (1, 41), (2, 21), (0, 94), (1, 46), (2, 22), (4, 4), (6, 0)],
     4, 7),
]

# transparency-dev/merkle testonly/vectors_test.go (from draft-ietf-plants-merkle-tree-certs):
# the SHA-256 of every valid subtree's hash, and of every inclusion proof within it, over the
# leaves d[i] = bytes([i]) for trees of up to 130 leaves.
SUBTREE_VECTOR_MAX = 130
SUBTREE_HASH_DIGEST = "94a95384a8c69acea9b50d035a58285b3a777cb7a724005faa5e1f1e1190007f"
SUBTREE_INCLUSION_DIGEST = "ac2a8f989e44d99e399db448050ff5f19757df53cfb716aa81015d3955d8163f"


# --- Helpers -----------------------------------------------------------------------------------

def hexes(values: Sequence[str]) -> list[Hash]:
    return [bytes.fromhex(value) for value in values]


def complete_subtrees(leaf_hashes: Sequence[Hash]) -> dict[Address, Hash]:
    """Every complete aligned subtree's hash, keyed (level, index): what the log stores and what
    roots and proofs are read from."""
    store = {(0, index): leaf for index, leaf in enumerate(leaf_hashes)}
    level, width = 0, len(leaf_hashes)
    while width >= 2:
        width //= 2
        for index in range(width):
            store[(level + 1, index)] = merkle.node_hash(
                store[(level, 2 * index)], store[(level, 2 * index + 1)])
        level += 1
    return store


def read_proof(store: dict[Address, Hash], addresses: list[list[Address]]) -> list[Hash]:
    """A proof as the log serves it: the stored hashes, read in the order of the addresses."""
    return merkle.proof(addresses, iter([store[address] for address in merkle.flatten(addresses)]))


def stored_root(store: dict[Address, Hash], size: int) -> Hash:
    return merkle.root([store[address] for address in merkle.root_addresses(size)], size)


def reference_store() -> dict[Address, Hash]:
    return complete_subtrees([merkle.leaf_hash(entry) for entry in LEAF_INPUTS])


def go_nodes_as_addresses(ids: list[Address], begin: int, end: int) -> list[list[Address]]:
    """Go's proof.Nodes in our shape: one list of subtrees per proof hash, left to right."""
    if begin == end:
        return [[address] for address in ids]
    return ([[address] for address in ids[:begin]] + [list(reversed(ids[begin:end]))]
            + [[address] for address in ids[end:]])


def is_valid_subtree(start: int, end: int) -> bool:
    """isSubtreeValid of transparency-dev/merkle: start is a multiple of bit_ceil(end - start)."""
    width = end - start
    ceiling = 1 if width <= 1 else 1 << (width - 1).bit_length()
    return start == 0 or start % ceiling == 0


# The naive tree: RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 word for word, on entries rather than
# stored hashes and with hashlib rather than merkle.py, so that it shares no code with the module.

def sha256(data: bytes) -> Hash:
    return hashlib.sha256(data).digest()


def naive_split(n: int) -> int:
    """The largest power of two smaller than n, counted up rather than from bit_length."""
    k = 1
    while 2 * k < n:
        k *= 2
    return k


def naive_mth(entries: Sequence[bytes]) -> Hash:
    if not entries:
        return sha256(b"")
    if len(entries) == 1:
        return sha256(b"\x00" + entries[0])
    k = naive_split(len(entries))
    return sha256(b"\x01" + naive_mth(entries[:k]) + naive_mth(entries[k:]))


def naive_path(m: int, entries: Sequence[bytes]) -> list[Hash]:
    if len(entries) == 1:
        return []
    k = naive_split(len(entries))
    if m < k:
        return naive_path(m, entries[:k]) + [naive_mth(entries[k:])]
    return naive_path(m - k, entries[k:]) + [naive_mth(entries[:k])]


def naive_subproof(m: int, entries: Sequence[bytes], complete: bool) -> list[Hash]:
    n = len(entries)
    if m == n:
        return [] if complete else [naive_mth(entries)]
    k = naive_split(n)
    if m <= k:
        return naive_subproof(m, entries[:k], complete) + [naive_mth(entries[k:])]
    return naive_subproof(m - k, entries[k:], False) + [naive_mth(entries[:k])]


def naive_consistency(m: int, entries: Sequence[bytes]) -> list[Hash]:
    return naive_subproof(m, entries, True)


def flip_bit(value: bytes, bit: int) -> bytes:
    data = bytearray(value)
    data[bit // 8 % len(data)] ^= 1 << (bit % 8)
    return bytes(data)


# --- Published vectors: hashing and roots ------------------------------------------------------

def test_the_empty_tree_root_is_the_published_sha256_of_nothing() -> None:
    assert merkle.EMPTY_ROOT.hex() == EMPTY_TREE_HASH
    assert merkle.root([], 0).hex() == EMPTY_TREE_HASH
    assert merkle.root_addresses(0) == []


@pytest.mark.parametrize(("entry", "expected"), CT_LEAF_HASHES)
def test_leaf_hashes_match_certificate_transparency(entry: str, expected: str) -> None:
    assert merkle.leaf_hash(bytes.fromhex(entry)).hex() == expected


def test_the_node_hash_matches_certificate_transparency() -> None:
    left, right, expected = CT_NODE_HASH
    assert merkle.node_hash(bytes.fromhex(left), bytes.fromhex(right)).hex() == expected


def test_every_complete_subtree_of_the_reference_tree_has_its_published_hash() -> None:
    store = reference_store()
    assert {address: value.hex() for address, value in store.items()} == NODE_HASHES


@pytest.mark.parametrize("size", range(len(ROOT_HASHES)))
def test_the_root_of_each_size_is_the_published_one(size: int) -> None:
    assert merkle.root_addresses(size) == COMPACT_TREES[size]
    assert stored_root(reference_store(), size).hex() == ROOT_HASHES[size]


def test_subtree_hashes_reproduce_the_merkle_tree_certs_digest() -> None:
    """A subtree [start, end) is hashed from the complete subtrees it is made of, as
    SubtreeHashAt does; the draft publishes the digest over all of them up to 130 leaves."""
    store = complete_subtrees([merkle.leaf_hash(bytes([i])) for i in range(SUBTREE_VECTOR_MAX)])
    digest = hashlib.sha256()
    for end in range(1, SUBTREE_VECTOR_MAX + 1):
        for start in filter(lambda start: is_valid_subtree(start, end), range(end)):
            addresses = merkle.subtree_addresses(start, end)
            value = merkle.subtree_hash(iter([store[a] for a in addresses]), len(addresses))
            digest.update(f"[{start}, {end}) {value.hex()}\n".encode())
    assert digest.hexdigest() == SUBTREE_HASH_DIGEST


# --- Published vectors: inclusion proofs -------------------------------------------------------

INCLUSION_IDS = [f"leaf {index} of {size}" for index, size, _ in INCLUSION_PROOFS]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_PROOFS, ids=INCLUSION_IDS)
def test_the_published_inclusion_proof_is_what_we_read_from_stored_hashes(
        index: int, size: int, path: list[str]) -> None:
    proof = read_proof(reference_store(), merkle.inclusion_addresses(index, size))
    assert [value.hex() for value in proof] == path


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_PROOFS, ids=INCLUSION_IDS)
def test_the_published_inclusion_proof_leads_to_the_published_root(
        index: int, size: int, path: list[str]) -> None:
    leaf = merkle.leaf_hash(LEAF_INPUTS[index])
    assert merkle.root_from_inclusion(index, size, leaf, hexes(path)) == bytes.fromhex(
        ROOT_HASHES[size])


def corrupted_inclusions(index: int, size: int, path: list[Hash], root: Hash,
                         leaf: Hash) -> list[tuple[str, int, int, Hash, Hash, list[Hash]]]:
    """corruptInclusionProof of proof/verify_test.go: (what, index, size, root, leaf, path)."""
    some, empty = bytes.fromhex(SOME_HASH), bytes.fromhex(EMPTY_TREE_HASH)
    probes = [
        ("leafIndex - 1", index - 1, size, root, leaf, path),
        ("leafIndex + 1", index + 1, size, root, leaf, path),
        ("leafIndex ^ 2", index ^ 2, size, root, leaf, path),
        ("treeSize * 2", index, size * 2, root, leaf, path),
        ("treeSize / 2", index, size // 2, root, leaf, path),
        ("wrong leaf", index, size, root, b"WrongLeaf", path),
        ("empty root", index, size, empty, leaf, path),
        ("random root", index, size, some, leaf, path),
        ("trailing garbage", index, size, root, leaf, [*path, b""]),
        ("trailing root", index, size, root, leaf, [*path, root]),
        ("preceding garbage", index, size, root, leaf, [b"", *path]),
        ("preceding root", index, size, root, leaf, [root, *path]),
    ]
    for i in range(len(path)):
        wrong = list(path)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((f"modified proof[{i}] bit 3", index, size, root, leaf, wrong))
    if path:
        probes.append(("removed component", index, size, root, leaf, path[:-1]))
    if len(path) > 1:
        probes.append(("inserted component", index, size, root, leaf,
                       [path[0], some, *path[1:]]))
    return probes


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION_PROOFS, ids=INCLUSION_IDS)
def test_every_published_corruption_of_an_inclusion_proof_is_rejected(
        index: int, size: int, path: list[str]) -> None:
    root, leaf = bytes.fromhex(ROOT_HASHES[size]), merkle.leaf_hash(LEAF_INPUTS[index])
    accepted = [what for what, i, n, expected, hashed, wrong
                in corrupted_inclusions(index, size, hexes(path), root, leaf)
                if merkle.root_from_inclusion(i, n, hashed, wrong) == expected]
    assert accepted == []


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_an_empty_path_proves_nothing_but_a_single_leaf_tree(index: int, size: int) -> None:
    """TestVerifyInclusion of proof/verify_test.go: wrong leaf or root, or no such leaf."""
    some, empty = bytes.fromhex(SOME_HASH), bytes.fromhex(EMPTY_TREE_HASH)
    for leaf, root in ((some, b""), (b"", empty), (some, empty)):
        assert merkle.root_from_inclusion(index, size, leaf, []) != root


def test_a_single_leaf_tree_has_the_leaf_hash_as_root_and_an_empty_proof() -> None:
    """TestVerifyInclusionSingleEntry of proof/verify_test.go, without its wrong-length case:
    merkle.py returns the root it computes and leaves comparing it to the caller."""
    leaf = merkle.leaf_hash(b"data")
    assert merkle.inclusion_addresses(0, 1) == []
    assert merkle.root_from_inclusion(0, 1, leaf, []) == leaf
    assert merkle.root_from_inclusion(0, 1, b"", []) != leaf


@pytest.mark.parametrize(("index", "size", "ids", "begin", "end"), INCLUSION_NODES,
                         ids=[f"leaf {row[0]} of {row[1]}" for row in INCLUSION_NODES])
def test_an_inclusion_proof_reads_the_stored_nodes_go_reads(
        index: int, size: int, ids: list[Address], begin: int, end: int) -> None:
    assert merkle.inclusion_addresses(index, size) == go_nodes_as_addresses(ids, begin, end)


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (2, 1), (3, 0), (8, 7)])
def test_an_inclusion_proof_of_a_leaf_outside_the_tree_is_refused(index: int, size: int) -> None:
    """The error cases of TestInclusion in proof/proof_test.go."""
    with pytest.raises(ValueError, match="no leaf"):
        merkle.inclusion_addresses(index, size)
    assert merkle.root_from_inclusion(index, size, bytes.fromhex(SOME_HASH), []) is None


def test_inclusion_proofs_within_subtrees_reproduce_the_merkle_tree_certs_digest() -> None:
    """A subtree [start, end) is a tree of its own, shifted right by start: its inclusion proofs
    are ours for index - start in a tree of end - start leaves, read from the shifted stored
    nodes. For start 0 these are every inclusion proof of every tree of up to 130 leaves."""
    store = complete_subtrees([merkle.leaf_hash(bytes([i])) for i in range(SUBTREE_VECTOR_MAX)])
    digest = hashlib.sha256()
    for end in range(1, SUBTREE_VECTOR_MAX + 1):
        for start in filter(lambda start: is_valid_subtree(start, end), range(end)):
            for index in range(start, end):
                addresses = [[(level, position + (start >> level)) for level, position in element]
                             for element in merkle.inclusion_addresses(index - start, end - start)]
                proof = "".join(f" {value.hex()}" for value in read_proof(store, addresses))
                digest.update(f"{index} [{start}, {end}){proof}\n".encode())
    assert digest.hexdigest() == SUBTREE_INCLUSION_DIGEST


# --- Published vectors: consistency proofs -----------------------------------------------------

CONSISTENCY_IDS = [f"{old} to {new}" for old, new, _ in CONSISTENCY_PROOFS]


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY_PROOFS, ids=CONSISTENCY_IDS)
def test_the_published_consistency_proof_is_what_we_read_from_stored_hashes(
        old: int, new: int, path: list[str]) -> None:
    proof = read_proof(reference_store(), merkle.consistency_addresses(old, new))
    assert [value.hex() for value in proof] == path


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY_PROOFS, ids=CONSISTENCY_IDS)
def test_the_published_consistency_proof_links_the_published_roots(
        old: int, new: int, path: list[str]) -> None:
    old_root, new_root = bytes.fromhex(ROOT_HASHES[old]), bytes.fromhex(ROOT_HASHES[new])
    assert merkle.consistent(old, new, old_root, new_root, hexes(path))


def corrupted_consistencies(old: int, new: int, old_root: Hash, new_root: Hash, path: list[Hash]
                            ) -> list[tuple[str, int, int, Hash, Hash, list[Hash]]]:
    """corruptConsistencyProof of proof/verify_test.go: (what, old, new, roots, path)."""
    wrong_root = b"WrongRoot"
    probes = [
        ("size1 - 1", old - 1, new, old_root, new_root, path),
        ("size1 + 1", old + 1, new, old_root, new_root, path),
        ("size1 ^ 2", old ^ 2, new, old_root, new_root, path),
        ("size2 * 2", old, new * 2, old_root, new_root, path),
        ("size2 / 2", old, new // 2, old_root, new_root, path),
        ("wrong root1", old, new, wrong_root, new_root, path),
        ("wrong root2", old, new, old_root, wrong_root, path),
        ("swapped roots", old, new, new_root, old_root, path),
        ("empty proof", old, new, old_root, new_root, []),
        ("trailing garbage", old, new, old_root, new_root, [*path, b""]),
        ("trailing root1", old, new, old_root, new_root, [*path, old_root]),
        ("trailing root2", old, new, old_root, new_root, [*path, new_root]),
        ("preceding garbage", old, new, old_root, new_root, [b"", *path]),
        ("preceding root1", old, new, old_root, new_root, [old_root, *path]),
        ("preceding root2", old, new, old_root, new_root, [new_root, *path]),
        ("preceding proof[0]", old, new, old_root, new_root, [path[0], *path]),
        ("truncated proof", old, new, old_root, new_root, path[:-1]),
    ]
    for i in range(len(path)):
        wrong = list(path)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((f"modified proof[{i}] bit 4", old, new, old_root, new_root, wrong))
    return probes


@pytest.mark.parametrize(("old", "new", "path"),
                         [row for row in CONSISTENCY_PROOFS if row[2]],
                         ids=[f"{old} to {new}" for old, new, path in CONSISTENCY_PROOFS if path])
def test_every_published_corruption_of_a_consistency_proof_is_rejected(
        old: int, new: int, path: list[str]) -> None:
    old_root, new_root = bytes.fromhex(ROOT_HASHES[old]), bytes.fromhex(ROOT_HASHES[new])
    accepted = [what for what, m, n, first, second, wrong
                in corrupted_consistencies(old, new, old_root, new_root, hexes(path))
                if merkle.consistent(m, n, first, second, wrong)]
    assert accepted == []


# TestVerifyConsistency of proof/verify_test.go: (size1, size2, root1, root2, proof, verifies).
# Its row {0, 1, root1, root2, [], verifies} is left out: Go holds the empty tree consistent
# with any tree, merkle.consistent refuses a size of 0 unless both sizes are 0.
_EMPTY, _ONE, _TWO = EMPTY_TREE_HASH, b"don't care 1".hex(), b"don't care 2".hex()
CONSISTENCY_TABLE: list[tuple[int, int, str, str, list[str], bool]] = [
    (0, 0, _ONE, _TWO, [], False),
    (1, 1, _ONE, _TWO, [], False),
    (0, 0, _ONE, _ONE, [], True),
    (1, 1, _TWO, _TWO, [], True),
    (1, 0, _ONE, _TWO, [], False),
    (2, 1, _ONE, _TWO, [], False),
    (1, 2, _ONE, _TWO, [], False),
    (0, 0, _EMPTY, _TWO, [], False),
    (1, 1, _EMPTY, _TWO, [], False),
    (0, 0, _EMPTY, _EMPTY, [_EMPTY], False),
    (0, 1, _EMPTY, _EMPTY, [_EMPTY], False),
    (1, 1, _EMPTY, _EMPTY, [_EMPTY], False),
]


@pytest.mark.parametrize(("old", "new", "old_root", "new_root", "path", "verifies"),
                         CONSISTENCY_TABLE)
def test_degenerate_consistency_claims_are_judged_as_go_judges_them(
        old: int, new: int, old_root: str, new_root: str, path: list[str],
        verifies: bool) -> None:
    assert merkle.consistent(old, new, bytes.fromhex(old_root), bytes.fromhex(new_root),
                             hexes(path)) is verifies


@pytest.mark.parametrize(("old", "new", "ids", "begin", "end"), CONSISTENCY_NODES,
                         ids=[f"{row[0]} to {row[1]}" for row in CONSISTENCY_NODES])
def test_a_consistency_proof_reads_the_stored_nodes_go_reads(
        old: int, new: int, ids: list[Address], begin: int, end: int) -> None:
    assert merkle.consistency_addresses(old, new) == go_nodes_as_addresses(ids, begin, end)


@pytest.mark.parametrize(("old", "new"), [(5, 0), (9, 8), (0, 3)])
def test_a_consistency_proof_from_a_larger_or_empty_tree_is_refused(old: int, new: int) -> None:
    """The error cases of TestConsistency in proof/proof_test.go, and Consistency's refusal of
    size1 == 0 ("meaningless")."""
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_addresses(old, new)


# --- Properties against the naive tree ---------------------------------------------------------

PROPERTY = settings(max_examples=120, deadline=None, database=None)


@st.composite
def logs(draw: st.DrawFn, min_size: int = 1, max_size: int = 300) -> list[bytes]:
    """Random entries, made distinct by an index prefix: with two equal entries, a proof for one
    also proves the other, which is no flaw of the proofs."""
    size = draw(st.integers(min_size, max_size))
    rnd = draw(st.randoms(use_true_random=False))
    return [i.to_bytes(2, "big") + rnd.randbytes(rnd.randrange(0, 24)) for i in range(size)]


@st.composite
def logs_and_index(draw: st.DrawFn, min_size: int = 1) -> tuple[list[bytes], int]:
    entries = draw(logs(min_size=min_size))
    return entries, draw(st.integers(0, len(entries) - 1))


def served_inclusion(entries: list[bytes], index: int, size: int) -> list[Hash]:
    store = complete_subtrees([merkle.leaf_hash(entry) for entry in entries[:size]])
    return read_proof(store, merkle.inclusion_addresses(index, size))


@PROPERTY
@given(logs_and_index())
def test_every_inclusion_proof_is_the_rfc_path_and_leads_to_the_naive_root(
        case: tuple[list[bytes], int]) -> None:
    entries, index = case
    store = complete_subtrees([merkle.leaf_hash(entry) for entry in entries])
    assert stored_root(store, len(entries)) == naive_mth(entries)
    path = read_proof(store, merkle.inclusion_addresses(index, len(entries)))
    assert path == naive_path(index, entries)
    leaf = sha256(b"\x00" + entries[index])
    assert merkle.root_from_inclusion(index, len(entries), leaf, path) == naive_mth(entries)


@PROPERTY
@given(logs_and_index(), st.data())
def test_an_inclusion_proof_does_not_hold_for_another_entry(
        case: tuple[list[bytes], int], data: st.DataObject) -> None:
    entries, index = case
    other = data.draw(st.integers(0, len(entries) - 1))
    entry = entries[other] if other != index else entries[index] + b"\x00"
    path = served_inclusion(entries, index, len(entries))
    found = merkle.root_from_inclusion(index, len(entries), sha256(b"\x00" + entry), path)
    assert found is not None and found != naive_mth(entries)


@PROPERTY
@given(logs_and_index(min_size=2), st.data())
def test_an_inclusion_proof_with_one_flipped_bit_fails(
        case: tuple[list[bytes], int], data: st.DataObject) -> None:
    entries, index = case
    path = served_inclusion(entries, index, len(entries))
    position = data.draw(st.integers(0, len(path) - 1))
    path[position] = flip_bit(path[position], data.draw(st.integers(0, 255)))
    leaf = sha256(b"\x00" + entries[index])
    assert merkle.root_from_inclusion(index, len(entries), leaf, path) != naive_mth(entries)


@PROPERTY
@given(logs_and_index(min_size=2), st.data())
def test_an_inclusion_proof_does_not_hold_at_another_index(
        case: tuple[list[bytes], int], data: st.DataObject) -> None:
    entries, index = case
    other = data.draw(st.integers(0, len(entries) - 1).filter(lambda other: other != index))
    path = served_inclusion(entries, index, len(entries))
    leaf = sha256(b"\x00" + entries[index])
    assert merkle.root_from_inclusion(other, len(entries), leaf, path) != naive_mth(entries)
    assert merkle.root_from_inclusion(len(entries), len(entries), leaf, path) is None


@PROPERTY
@given(logs(min_size=2), st.data())
def test_an_inclusion_proof_does_not_hold_in_a_tree_of_another_size(
        entries: list[bytes], data: st.DataObject) -> None:
    """The claimed size's own root is what a verifier holds. (Against the proof's own root a
    wrong size can pass: index 0's path has the same shape in trees of 5 to 8 leaves.)"""
    size = data.draw(st.integers(1, len(entries)))
    claimed = data.draw(st.integers(1, len(entries)).filter(lambda claimed: claimed != size))
    index = data.draw(st.integers(0, min(size, claimed) - 1))
    path = served_inclusion(entries, index, size)
    leaf = sha256(b"\x00" + entries[index])
    assert merkle.root_from_inclusion(index, claimed, leaf, path) != naive_mth(entries[:claimed])


@st.composite
def logs_and_prefix(draw: st.DrawFn, min_size: int = 1) -> tuple[list[bytes], int]:
    entries = draw(logs(min_size=min_size))
    return entries, draw(st.integers(1, len(entries)))


def served_consistency(entries: list[bytes], old: int) -> list[Hash]:
    store = complete_subtrees([merkle.leaf_hash(entry) for entry in entries])
    return read_proof(store, merkle.consistency_addresses(old, len(entries)))


@PROPERTY
@given(logs_and_prefix())
def test_every_consistency_proof_is_the_rfc_proof_and_links_the_naive_roots(
        case: tuple[list[bytes], int]) -> None:
    entries, old = case
    path = served_consistency(entries, old)
    assert path == naive_consistency(old, entries)
    assert merkle.consistent(old, len(entries), naive_mth(entries[:old]), naive_mth(entries), path)


@PROPERTY
@given(logs_and_prefix(), st.data())
def test_a_consistency_proof_fails_for_a_changed_root(
        case: tuple[list[bytes], int], data: st.DataObject) -> None:
    entries, old = case
    new, path = len(entries), served_consistency(entries, old)
    old_root, new_root = naive_mth(entries[:old]), naive_mth(entries)
    bit = data.draw(st.integers(0, 255))
    assert not merkle.consistent(old, new, flip_bit(old_root, bit), new_root, path)
    assert not merkle.consistent(old, new, old_root, flip_bit(new_root, bit), path)
    # A log that rewrote an old entry: the old root a client holds no longer fits.
    rewritten = list(entries)
    changed = data.draw(st.integers(0, old - 1))
    rewritten[changed] += b"\x00"
    assert not merkle.consistent(old, new, old_root, naive_mth(rewritten), path)
    assert not merkle.consistent(old, new, naive_mth(rewritten[:old]), new_root, path)


@PROPERTY
@given(logs_and_prefix(min_size=2), st.data())
def test_a_consistency_proof_with_one_flipped_bit_fails(
        case: tuple[list[bytes], int], data: st.DataObject) -> None:
    entries, old = case
    old = min(old, len(entries) - 1)  # a proof between equal sizes is empty
    path = served_consistency(entries, old)
    position = data.draw(st.integers(0, len(path) - 1))
    path[position] = flip_bit(path[position], data.draw(st.integers(0, 255)))
    assert not merkle.consistent(old, len(entries), naive_mth(entries[:old]), naive_mth(entries),
                                 path)
