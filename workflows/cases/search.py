"""Finding cases by what staff type: a tracking code, or words of the product, brand or shop.

Staff often type without Vietnamese diacritics ("nuoc mam" for "Nước mắm"), so each case keeps
a folded `search_text` (no diacritics, no case) and the query is folded the same way. A
substring search over hundreds of thousands of rows needs an index that LIKE '%…%' cannot use:
a trigram full-text table on SQLite (FTS5), a trigram GIN index on PostgreSQL (pg_trgm), both
made by migration 0010; and the same over the open cases alone (migration 0028), which the
queue's usual view searches: a popular brand's open cases are a small part of all of its cases.
"""

from __future__ import annotations

import functools

from tortoise.expressions import Q, RawSQL
from tortoise.filters import escape_like

from workflows.cases.tracking import normalize_tracking_code, tracking_code_part
from workflows.reference.vietnamese import fold

MIN_TRIGRAM_CHARS = 3  # a trigram index cannot look up anything shorter


def search_text(product_name: str, brand: str, shop_name: str) -> str:
    return fold(" | ".join((product_name, brand, shop_name)))


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fts5_match_literal(folded: str) -> str:
    """One FTS5 phrase as an SQL string literal: quotes doubled for FTS5, then for SQL."""
    return _sql_literal('"' + folded.replace('"', '""') + '"')


@functools.cache
def _open_literals() -> str:
    """The statuses the open cases' index holds, as literals: PostgreSQL uses a partial index
    only when it sees at planning time that the query asks for no row outside it."""
    # Imported here: the workflow's tables import, through the brand owners' matching, this
    # module.
    from workflows.cases.states import OPEN_STATES

    return ", ".join(_sql_literal(status) for status in sorted(OPEN_STATES))


def search_condition(typed: str, dialect: str, open_only: bool = False) -> Q:
    """`open_only`: the query looks at open cases alone, so the smaller index serves it.
    What could be a tracking code or a part of one ("WK346", "wk346-7a") also finds the cases
    whose code is or holds it, besides those whose words hold it."""
    folded = "".join(char for char in fold(typed) if char.isprintable())
    words = _words_condition(folded, dialect, open_only)
    # Ten letters may be words as well as a code: "sap hoa binh" reads as SAPH0ABINH.
    code = normalize_tracking_code(typed)
    if code:
        return Q(tracking_code=code) | words
    part = tracking_code_part(typed)
    return words | Q(tracking_code__contains=part) if part else words


def _words_condition(folded: str, dialect: str, open_only: bool) -> Q:
    if dialect == "sqlite" and len(folded) >= MIN_TRIGRAM_CHARS:
        # Tortoise has no MATCH lookup; the phrase is escaped above, never pasted raw.
        table = "open_case_search" if open_only else "case_search"
        return Q(id__in=RawSQL(f"(SELECT rowid FROM {table} WHERE {table} MATCH "
                               + _fts5_match_literal(folded) + ")"))
    if dialect == "postgres" and open_only and len(folded) >= MIN_TRIGRAM_CHARS:
        pattern = _sql_literal("%" + escape_like(folded) + "%")
        # The matches gathered first, as one array, from the open cases' index: left as a
        # subquery, the planner guesses a few hundred matches and walks the whole due-date
        # index to find the first page's (seconds for a popular brand).
        return Q(id__in=RawSQL(
            f'(SELECT unnest(ARRAY(SELECT id FROM "case" WHERE status IN ({_open_literals()}) '
            f"AND search_text LIKE {pattern} ESCAPE '\\')))"))
    return Q(search_text__contains=folded)
