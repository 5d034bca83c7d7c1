"""Finding cases by what staff type: a tracking code, or words of the product, brand or shop.

Staff often type without Vietnamese diacritics ("nuoc mam" for "Nước mắm"), so each case keeps
a folded `search_text` (no diacritics, no case) and the query is folded the same way. A
substring search over hundreds of thousands of rows needs an index that LIKE '%…%' cannot use:
a trigram full-text table on SQLite (FTS5), a trigram GIN index on PostgreSQL (pg_trgm), both
made by migration 0010.
"""

from __future__ import annotations

import unicodedata

from tortoise.expressions import Q, RawSQL

from workflows.cases.tracking import normalize_tracking_code

MIN_TRIGRAM_CHARS = 3  # a trigram index cannot look up anything shorter


def fold(text: str) -> str:
    """"Nước Mắm  ĐẶC BIỆT" -> "nuoc mam dac biet"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def search_text(product_name: str, brand: str, shop_name: str) -> str:
    return fold(" | ".join((product_name, brand, shop_name)))


def _fts5_match_literal(folded: str) -> str:
    """One FTS5 phrase as an SQL string literal: quotes doubled for FTS5, then for SQL."""
    phrase = '"' + folded.replace('"', '""') + '"'
    return "'" + phrase.replace("'", "''") + "'"


def search_condition(typed: str, dialect: str) -> Q:
    code = normalize_tracking_code(typed)
    if code:
        return Q(tracking_code=code)
    folded = "".join(char for char in fold(typed) if char.isprintable())
    if dialect == "sqlite" and len(folded) >= MIN_TRIGRAM_CHARS:
        # Tortoise has no MATCH lookup; the phrase is escaped above, never pasted raw.
        return Q(id__in=RawSQL("(SELECT rowid FROM case_search WHERE case_search MATCH "
                               + _fts5_match_literal(folded) + ")"))
    return Q(search_text__contains=folded)
