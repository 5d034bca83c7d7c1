"""Event numbers: each event's place in the log, given once and never again.

On PostgreSQL the numbers come from a sequence (migration 0018), so that writers never wait for
each other. On SQLite they come from the one-row counter `audit_numbering` (migration 0032),
raised in the writer's own transaction: the write lock serialises writers anyway, and a
rolled-back transaction takes its number back with the rest of its change, so SQLite leaves no
number unused. Either way the counter only grows. It used to be MAX(seq) + 1 on SQLite: after
tail events were deleted, new events took their numbers, their mail collided with the mail the
deleted events had queued (`audit:N:…`), and every filing failed.

Both also read the highest number the trail and the log hold, as a floor: a counter set back
by hand still never gives a number that is in use.
"""

from __future__ import annotations

import logging

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from workflows.audit.models import AuditEvent, EventNumbering
from workflows.audit.tree import tree_size

# Any constant: names the advisory lock writers share and the sequencer takes alone.
WRITERS_LOCK_KEY = 0x1A7A_4E01
SEQ_SEQUENCE = "audit_event_seq"  # PostgreSQL's numbering of events (migration 0018)
# The highest number in use: the trail's last event, the log's last leaf, its largest checkpoint
# (each read from an index). Largest of the three: SQLite's MAX(a, b, c), PostgreSQL's GREATEST.
IN_USE = ("(SELECT COALESCE(MAX(seq), 0) FROM audit_event), "
          "(SELECT COALESCE(MAX(position) + 1, 0) FROM log_node WHERE level = 0), "
          "(SELECT COALESCE(MAX(size), 0) FROM log_checkpoint)")
log = logging.getLogger("intake.audit")


async def _postgres_seqs(connection: BaseDBAsyncClient, count: int) -> list[int]:
    # The lock first, then the numbers: the sequencer never sees a number without a writer
    # holding the lock for it.
    await connection.execute_query("SELECT pg_advisory_xact_lock_shared($1)", [WRITERS_LOCK_KEY])
    query = (f"SELECT nextval('{SEQ_SEQUENCE}') AS seq, GREATEST({IN_USE}) AS floor "
             "FROM generate_series(1, $1)")
    _, rows = await connection.execute_query(query, [count])
    floor = int(rows[0]["floor"])
    if min(int(row["seq"]) for row in rows) <= floor:
        log.error("audit log: the sequence %s stood below number %s, which is in use (set back "
                  "by hand?): raised past it", SEQ_SEQUENCE, floor)
        await connection.execute_query(
            f"SELECT setval('{SEQ_SEQUENCE}', GREATEST($1, (SELECT last_value FROM "
            f"{SEQ_SEQUENCE})))", [floor])
        _, rows = await connection.execute_query(query, [count])
    return sorted(int(row["seq"]) for row in rows)


async def _sqlite_seqs(connection: BaseDBAsyncClient, count: int) -> list[int]:
    # This transaction holds the write lock (BEGIN IMMEDIATE): the numbers are ours.
    _, rows = await connection.execute_query(
        f"UPDATE audit_numbering SET last_seq = MAX(last_seq, {IN_USE}) + ? "
        "WHERE id = 1 RETURNING last_seq", [count])
    if not rows:  # the row was deleted by hand: filing must go on, so it is made again
        _, rows = await connection.execute_query(
            f"INSERT INTO audit_numbering (id, last_seq, voids) SELECT 1, "
            f"MAX({IN_USE}) + ?, 0 RETURNING last_seq", [count])
    last = int(rows[0]["last_seq"])
    return list(range(last - count + 1, last + 1))


async def next_seqs(connection: BaseDBAsyncClient, count: int) -> list[int]:
    """`count` places in the log for this transaction's events, in increasing order
    (consecutive on SQLite; on PostgreSQL another writer may take numbers in between)."""
    if connection.capabilities.dialect == "postgres":
        return await _postgres_seqs(connection, count)
    return await _sqlite_seqs(connection, count)


async def count_voids(connection: BaseDBAsyncClient, count: int) -> None:
    """The sequencer filled `count` numbers with void leaves (in its transaction)."""
    if count:
        await EventNumbering.filter(id=1).using_db(connection).update(voids=F("voids") + count)


async def _counter(connection: BaseDBAsyncClient) -> int | None:
    """The last number given, or None if the counter is gone."""
    if connection.capabilities.dialect == "postgres":
        _, rows = await connection.execute_query(
            f"SELECT last_value, is_called FROM {SEQ_SEQUENCE}")
        return int(rows[0]["last_value"]) - (0 if rows[0]["is_called"] else 1)
    row = await EventNumbering.get_or_none(id=1)
    return None if row is None else int(row.last_seq)


async def numbering_problem() -> str:
    """One line for /healthz and `intake outbox status` ("" when all is well): numbers the log
    holds whose events are gone, and a counter set back behind numbers in use. Counts the
    events once; `intake audit verify` names them."""
    connection = connections.get("default")
    size = await tree_size()
    kept = await AuditEvent.filter(seq__lte=size).count()
    row = await EventNumbering.get_or_none(id=1)
    # SQLite leaves no number unused: a void there is a deleted event too.
    voids = row.voids if row and connection.capabilities.dialect == "postgres" else 0
    problems = []
    if (missing := size - int(voids) - kept) > 0:
        are = "event the log holds is" if missing == 1 else "events the log holds are"
        problems.append(f"{missing} {are} gone (a gap in the event numbers; `intake audit "
                        "verify` names them)")
    largest = "GREATEST" if connection.capabilities.dialect == "postgres" else "MAX"
    _, rows = await connection.execute_query(f"SELECT {largest}({IN_USE}) AS top")
    counter, top = await _counter(connection), int(rows[0]["top"])
    if counter is None or counter < top:
        problems.append(f"the event counter stands at {counter}, behind number {top} in use: "
                        "it was set back or removed (writers skip past it)")
    return "; ".join(problems)
