"""Deciding which agency must act on a report, by ordered rules kept in config/routing.toml.

`route()` is pure: it only decides. Recording the decision is the caller's job; `explain()`
says it in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from workflows.i18n.messages import N_
from workflows.i18n.translations import Labelled, Translator
from workflows.reference.catalog import (
    CATEGORIES,
    CATEGORY_CODES,
    PRODUCT_GROUP_CODES,
    PRODUCT_GROUPS,
    SALES_CHANNEL_CODES,
    SALES_CHANNELS,
    Term,
)
from workflows.reference.tomlfile import TomlFile, read_toml

TRIAGE_QUEUE = "triage"
# Condition key in the rules file -> the allowed values (None: checked against communes).
CONDITIONS: dict[str, frozenset[str] | None] = {
    "category": CATEGORY_CODES,
    "product_group": PRODUCT_GROUP_CODES,
    "channel": SALES_CHANNEL_CODES,
    "commune": None,
}


@dataclass(frozen=True)
class RoutingFacts:
    """What the rules may look at."""

    category: str
    product_group: str
    channel: str
    commune: str = ""

    def value(self, condition: str) -> str:
        return str(getattr(self, condition))


# A rule's id: what its decisions name, kept when rules are added or moved.
RULE_ID = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


@dataclass(frozen=True)
class Rule:
    id: str  # stable, from the file: the reasons stored on cases name it
    conditions: Mapping[str, frozenset[str]]
    agency_code: str | None  # None: the triage queue

    def matches(self, facts: RoutingFacts) -> bool:
        return all(facts.value(key) in allowed for key, allowed in self.conditions.items())


@dataclass(frozen=True)
class Decision:
    agency_code: str | None  # None: the officers' triage queue
    # The rule's id; None: no rule matched. (Reasons stored before rules had ids name the
    # rule's position then, "1", "6": read back as they are.)
    rule_id: str | None
    matched: tuple[tuple[str, str], ...] = ()  # (condition, the report's value) of the rule

    @property
    def reason(self) -> str:
        """The rule engine's own record, kept on the case and in the audit trail: stable
        machine text (pages show `explain()` instead), read back by `parse_reason()`."""
        if self.rule_id is None:
            return f"sent to {TRIAGE_QUEUE}: no rule matched"
        target = self.agency_code or TRIAGE_QUEUE
        verb = "routed to" if self.agency_code else "sent to"
        conditions = ", ".join(f"{key}={value}" for key, value in self.matched)
        return f"{verb} {target} by rule {self.rule_id}: {conditions or FALLBACK}"


FALLBACK = "fallback, no condition"
_REASON = re.compile(r"^(?:routed to (?P<agency>\S+)|sent to \S+) by rule (?P<rule>[a-z0-9-]+): "
                     r"(?P<rest>.*)$")
_CONDITION = re.compile(rf"(?P<key>{'|'.join(CONDITIONS)})=(?P<value>.*?)"
                        rf"(?=, (?:{'|'.join(CONDITIONS)})=|$)")


def parse_reason(text: str) -> Decision | None:
    """A stored reason read back into the decision it records (None: not a routing record)."""
    found = _REASON.match(text)
    if not found:
        return Decision(None, None) if text.endswith("no rule matched") else None
    # A rule without conditions reads FALLBACK, in which no condition is found.
    matched = tuple((condition.group("key"), condition.group("value"))
                    for condition in _CONDITION.finditer(found.group("rest")))
    return Decision(found.group("agency"), found.group("rule"), matched)


def route(facts: RoutingFacts, rules: list[Rule]) -> Decision:
    for rule in rules:
        if rule.matches(facts):
            return Decision(rule.agency_code, rule.id,
                            tuple((key, facts.value(key)) for key in rule.conditions))
    return Decision(None, None)


# Each condition's name, and the vocabulary of its values (None: free text, a commune).
CONDITION_LABELS: dict[str, tuple[str, tuple[Term, ...] | None]] = {
    "category": (N_("category"), CATEGORIES),
    "product_group": (N_("kind of product"), PRODUCT_GROUPS),
    "channel": (N_("where it was sold"), SALES_CHANNELS),
    "commune": (N_("commune or ward"), None),
}


def explain(decision: Decision, words: Translator, agencies: Iterable[Labelled]) -> str:
    """The decision as a sentence in the reader's language: "Sent to the market-management
    office by rule 1: category = Counterfeit goods"."""
    if decision.rule_id is None:
        return words(N_("Left for the officers' triage: no rule matched"))
    parts = []
    for key, value in decision.matched:
        name, terms = CONDITION_LABELS[key]
        parts.append(f"{words.gettext(name)} = {words.label(terms, value) if terms else value}")
    conditions = ", ".join(parts) or words(N_("the rule for everything else"))
    params = {"rule": decision.rule_id, "conditions": conditions}
    if decision.agency_code is None:
        return words(N_("Left for the officers' triage by rule {rule}: {conditions}"), params)
    agency = words.label(agencies, decision.agency_code)
    return words(N_("Sent to {agency} by rule {rule}: {conditions}"), {**params, "agency": agency})


def load_rules(path: Path, agency_codes: Collection[str], communes: Collection[str]) -> list[Rule]:
    """Read and check every rule now, so a mistake stops the start instead of the first report."""
    source = read_toml(path)
    unknown_top = set(source.data) - {"rules"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        raise source.error(f"unknown key {key!r}: rules go in [[rules]] tables", key=key)
    entries = source.data.get("rules")
    if not isinstance(entries, list) or not entries:
        raise source.error("expected at least one [[rules]] table")
    rules = [_parse_rule(source, index, entry, agency_codes, communes)
             for index, entry in enumerate(entries)]
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        if rule.id in seen:
            raise source.error(f"rule {index + 1}: the id {rule.id!r} is used twice", "rules",
                               index, "id")
        seen.add(rule.id)
    return rules


def _parse_rule(
    source: TomlFile,
    index: int,
    entry: dict[str, object],
    agency_codes: Collection[str],
    communes: Collection[str],
) -> Rule:
    number = index + 1

    def fail(message: str, key: str | None = None) -> Exception:
        return source.error(f"rule {number}: {message}", "rules", index, key)

    for key in entry:
        if key not in CONDITIONS and key not in ("id", "agency", "queue"):
            known = ", ".join(["id", *CONDITIONS, "agency", "queue"])
            raise fail(f"unknown key {key!r} (known: {known})", key)
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise fail('give it an id = "…" that stays when rules move: lower-case letters, '
                   'digits and hyphens, e.g. id = "counterfeit-to-qltt"', "id")
    if ("agency" in entry) == ("queue" in entry):
        raise fail('give either agency = "<code>" or queue = "triage"', "agency")
    agency_code: str | None = None
    if "agency" in entry:
        agency_code = entry["agency"] if isinstance(entry["agency"], str) else None
        if agency_code not in agency_codes:
            known = ", ".join(sorted(agency_codes))
            raise fail(f"unknown agency {entry['agency']!r} (known: {known})", "agency")
    elif entry["queue"] != TRIAGE_QUEUE:
        raise fail(f"unknown queue {entry['queue']!r} (known: {TRIAGE_QUEUE})", "queue")

    conditions: dict[str, frozenset[str]] = {}
    for key, allowed in CONDITIONS.items():
        if key not in entry:
            continue
        raw = entry[key]
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise fail(f"{key} must be a text or a non-empty list of texts", key)
        permitted = frozenset(communes) if allowed is None else allowed
        # With no commune list configured, communes are free text and cannot be checked.
        if allowed is not None or permitted:
            for value in values:
                if value not in permitted:
                    raise fail(
                        f"unknown {key} {value!r} (known: {', '.join(sorted(permitted))})", key
                    )
        conditions[key] = frozenset(values)
    return Rule(rule_id, conditions, agency_code)
