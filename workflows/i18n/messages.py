"""Messages for people, written where they arise and translated where they are shown.

Messages are English gettext ids (with {placeholders}); pages, mail and the API translate them
into the reader's language. `pybabel extract -k N_` finds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def N_(message: str) -> str:
    return message


@dataclass(frozen=True)
class Problem:
    """Something a person must fix or know, with the values its message names."""

    message: str  # an English gettext id with {placeholders}
    params: Mapping[str, object] = field(default_factory=dict)


# A form's problems, by the name of the field they belong to ("form": the whole form).
Errors = dict[str, Problem]
