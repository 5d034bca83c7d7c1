"""What a person may type: text that shows on a staff page as what it is.

A report's words reach inspectors, exports and the public page. Characters that draw nothing
(U+200B, U+2060, a soft hyphen), that reorder what is shown (U+202E makes "gpj.exe" read
"exe.jpg"), that no font has (private use, unassigned) or that stack without end (a flood of
combining marks) would let a name say something else than it is, or hide a blank one.
"""

from __future__ import annotations

import unicodedata

from workflows.i18n.messages import N_, Problem

# Characters that reorder what is shown.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
# Format characters that are part of writing: the zero-width (non-)joiner shapes Persian,
# Indic scripts and emoji sequences such as the family or rainbow flag.
JOINERS = frozenset("\u200c\u200d")
# Letters by category that draw nothing: Hangul fillers and the blank braille cell are the
# usual way to make a name look empty.
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
LINE_SEPARATORS = {"\u2028": "\n", "\u2029": "\n\n"}
# Vietnamese needs at most two marks on a letter, even decomposed; five is already a tower.
MAX_COMBINING_RUN = 3
# Unassigned in this Python's Unicode tables but where phones' keyboards add new emoji.
_NEWER_EMOJI = ((0x1F000, 0x1FAFF),)

NOT_ALLOWED = N_("This field contains characters that are not allowed.")
INVISIBLE = N_("This field contains invisible characters, which can disguise text: "
               "remove them.")
DIRECTION = N_("This field contains invisible direction marks, which can disguise text: "
               "remove them.")
STACKED = N_("This field stacks too many accents on one letter.")
# What a form's bytes become where they are not UTF-8 (text pasted from another encoding, or
# forged): the letters the person meant are lost, and "S��a" would be stored for "Sữa".
UNREADABLE_MARK = "\ufffd"
UNREADABLE = N_("This field contains characters that could not be read (�): type them again.")
NO_WORDS = N_("Write words or numbers, not only symbols or spaces.")


def _newer_emoji(ch: str) -> bool:
    return any(low <= ord(ch) <= high for low, high in _NEWER_EMOJI)


def _problem(text: str, allowed_controls: frozenset[str]) -> Problem | None:
    run = 0
    for ch in text:
        category = unicodedata.category(ch)
        if ch in BIDI_CONTROLS:
            return Problem(DIRECTION)
        if ch == UNREADABLE_MARK:
            return Problem(UNREADABLE)
        if category in ("Cc", "Cs") and ch not in allowed_controls:
            return Problem(NOT_ALLOWED)
        if ch in BLANK_LETTERS or (category == "Cf" and ch not in JOINERS) or category in ("Co", "Zl", "Zp") \
                or (category == "Cn" and not _newer_emoji(ch)):
            return Problem(INVISIBLE)
        run = run + 1 if category in ("Mn", "Me") else 0
        if run > MAX_COMBINING_RUN:
            return Problem(STACKED)
    return None


def clean_text(raw: str, *, multiline: bool = False) -> str | Problem:
    """NFC-normalised, stripped text, or the reason it is refused. Line and paragraph
    separators become newlines where lines are allowed."""
    text = unicodedata.normalize("NFC", raw).strip()
    allowed: frozenset[str] = frozenset()
    if multiline:
        allowed = frozenset("\n\r\t")
        for separator, newline in LINE_SEPARATORS.items():
            text = text.replace(separator, newline)
    problem = _problem(text, allowed)
    if problem:
        return problem
    return text.replace("\r\n", "\n") if multiline else text


def has_words(text: str) -> bool:
    """Whether the text holds a letter or a digit: a required field of only dots, emoji or
    joiners says nothing an inspector can act on."""
    return any(ch.isalnum() for ch in text)


TOO_LONG = N_("At most {limit} characters (you typed {length}).")


def _at_most(text: str, limit: int) -> str | Problem:
    return Problem(TOO_LONG, {"limit": limit, "length": len(text)}) if len(text) > limit else text


def optional_words(raw: str, limit: int, *, multiline: bool = False) -> str | Problem:
    """A field a person may leave blank (a name, a brand): clean text of at most `limit`
    characters, "" when blank; else the problem."""
    text = clean_text(raw, multiline=multiline)
    return _at_most(text, limit) if isinstance(text, str) else text


def required_words(raw: str, empty: str, limit: int, *, multiline: bool = True) -> str | Problem:
    """A required field a person writes in (a question, an answer, a summary): clean text
    with words in it, at most `limit` characters; else the problem, `empty` when blank."""
    text = clean_text(raw, multiline=multiline)
    if isinstance(text, Problem):
        return text
    if not text:
        return Problem(empty)
    if not has_words(text):
        return Problem(NO_WORDS)
    return _at_most(text, limit)
