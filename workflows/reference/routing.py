"""Deciding which agency must act on a report, by ordered rules kept in config/routing.toml.

`route()` is pure: it only decides. Recording the decision is the caller's job.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from workflows.reference.catalog import CATEGORY_CODES, PRODUCT_GROUP_CODES, SALES_CHANNEL_CODES
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


@dataclass(frozen=True)
class Rule:
    number: int  # 1-based position in the file, as people count
    conditions: Mapping[str, frozenset[str]]
    agency_code: str | None  # None: the triage queue

    def matches(self, facts: RoutingFacts) -> bool:
        return all(facts.value(key) in allowed for key, allowed in self.conditions.items())


@dataclass(frozen=True)
class Decision:
    agency_code: str | None
    rule_number: int | None
    reason: str


def route(facts: RoutingFacts, rules: list[Rule]) -> Decision:
    for rule in rules:
        if rule.matches(facts):
            target = rule.agency_code or TRIAGE_QUEUE
            matched = ", ".join(f"{key}={facts.value(key)}" for key in rule.conditions)
            verb = "routed to" if rule.agency_code else "sent to"
            return Decision(
                rule.agency_code,
                rule.number,
                f"{verb} {target} by rule {rule.number}: {matched or 'fallback, no condition'}",
            )
    return Decision(None, None, f"sent to {TRIAGE_QUEUE}: no rule matched")


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
    return [
        _parse_rule(source, index, entry, agency_codes, communes)
        for index, entry in enumerate(entries)
    ]


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
        if key not in CONDITIONS and key not in ("agency", "queue"):
            known = ", ".join([*CONDITIONS, "agency", "queue"])
            raise fail(f"unknown key {key!r} (known: {known})", key)
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
    return Rule(number, conditions, agency_code)
