"""The audit log's Merkle tree as stored: the hash of every complete subtree, written once
(`log_node`). A root, an inclusion proof or a consistency proof of any size the log has had
reads O(log n) rows; appending a leaf writes it and the subtrees it completes (two rows on
average)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from workflows.audit import merkle
from workflows.audit.merkle import Address, Hash
from workflows.audit.models import LogNode


class NotInTree(ValueError):
    """A size or index the log has not reached."""


async def tree_size(connection: BaseDBAsyncClient | None = None) -> int:
    last = await (LogNode.filter(level=0).using_db(connection).order_by("-position")
                  .only("position").first())
    return int(last.position) + 1 if last else 0


async def stored_hashes(addresses: list[Address],
                        connection: BaseDBAsyncClient | None = None) -> list[Hash]:
    """The stored hashes of these subtrees, in the order given."""
    if not addresses:
        return []
    wanted = Q(*(Q(level=level, position=position) for level, position in set(addresses)),
               join_type=Q.OR)
    rows = await LogNode.filter(wanted).using_db(connection).values_list(
        "level", "position", "hash")
    found = {(level, position): bytes(digest) for level, position, digest in rows}
    missing = [address for address in addresses if address not in found]
    if missing:
        raise NotInTree(f"the log holds no subtree {missing[0]}")
    return [found[address] for address in addresses]


async def _checked(size: int) -> None:
    if size < 0 or size > await tree_size():
        raise NotInTree(f"the log has not reached size {size}")


async def root_at(size: int) -> Hash:
    await _checked(size)
    return merkle.root(await stored_hashes(merkle.root_addresses(size)), size)


async def inclusion_proof(index: int, size: int) -> list[Hash]:
    await _checked(size)
    if not 0 <= index < size:
        raise NotInTree(f"no leaf {index} in a tree of {size}")
    addresses = merkle.inclusion_addresses(index, size)
    hashes = await stored_hashes(merkle.flatten(addresses))
    return merkle.proof(addresses, iter(hashes))


async def consistency_proof(old: int, new: int) -> list[Hash]:
    await _checked(new)
    if not 0 < old <= new:
        raise NotInTree(f"no consistency proof from {old} to {new}")
    addresses = merkle.consistency_addresses(old, new)
    hashes = await stored_hashes(merkle.flatten(addresses))
    return merkle.proof(addresses, iter(hashes))


async def leaf_at(index: int) -> Hash:
    return (await stored_hashes([(0, index)]))[0]


@dataclass
class Frontier:
    """The right edge of the tree, its complete subtrees largest first: enough to append leaves
    and compute the root. `written` collects the subtrees that appending completed."""

    size: int
    edge: list[tuple[int, int, Hash]]  # (level, position, hash)
    written: list[tuple[int, int, Hash]] = field(default_factory=list)

    @classmethod
    async def load(cls, connection: BaseDBAsyncClient | None = None) -> Frontier:
        size = await tree_size(connection)
        addresses = merkle.root_addresses(size)
        hashes = await stored_hashes(addresses, connection)
        return cls(size, [(level, position, digest)
                          for (level, position), digest in zip(addresses, hashes, strict=True)])

    def append(self, leaf: Hash) -> None:
        node = (0, self.size, leaf)
        self.written.append(node)
        while self.edge and self.edge[-1][0] == node[0]:
            level, position, left = self.edge.pop()
            node = (level + 1, position >> 1, merkle.node_hash(left, node[2]))
            self.written.append(node)
        self.edge.append(node)
        self.size += 1

    @property
    def root(self) -> Hash:
        return merkle.root([digest for _, _, digest in self.edge], self.size)
