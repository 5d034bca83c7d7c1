"""Routing: the rule engine, with rules files of the tests' own (so a province editing its
config/routing.toml breaks no test), and the shipped file read as it is — every rule has an
id, none is shadowed by the ones before it — rather than restated here."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from workflows.i18n.translations import translator
from workflows.reference.catalog import (
    CATEGORIES,
    CATEGORY_CODES,
    PRODUCT_GROUP_CODES,
    PRODUCT_GROUPS,
    SALES_CHANNEL_CODES,
)
from workflows.reference.loading import load_reference
from workflows.reference.routing import (
    Decision,
    RoutingFacts,
    explain,
    load_rules,
    parse_reason,
    route,
)
from workflows.reference.tomlfile import ConfigError

AGENCIES = {"qltt", "khcn", "bvntd"}
RULES = '''
[[rules]]
id = "cosmetics-online-to-khcn"
category = "counterfeit"
product_group = "cosmetics"
channel = "online"
agency = "khcn"

[[rules]]
id = "counterfeit-to-qltt"
category = ["counterfeit", "smuggled"]
agency = "qltt"

[[rules]]
id = "disputes-in-cam-ranh-to-triage"
category = "consumer_dispute"
commune = "Phường Cam Ranh"
queue = "triage"

[[rules]]
id = "disputes-to-bvntd"
category = "consumer_dispute"
agency = "bvntd"
'''


def rules_from(tmp_path: Path, text: str = RULES, communes: tuple[str, ...] = (
        "Phường Cam Ranh", "Phường Nha Trang")):
    path = tmp_path / "routing.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path, AGENCIES, communes)


@pytest.mark.parametrize(("facts", "agency", "rule"), [
    (RoutingFacts("counterfeit", "cosmetics", "online"), "khcn", "cosmetics-online-to-khcn"),
    (RoutingFacts("counterfeit", "cosmetics", "shop"), "qltt", "counterfeit-to-qltt"),
    (RoutingFacts("smuggled", "food", "online"), "qltt", "counterfeit-to-qltt"),
    (RoutingFacts("consumer_dispute", "food", "shop", "Phường Cam Ranh"), None,
     "disputes-in-cam-ranh-to-triage"),
    (RoutingFacts("consumer_dispute", "food", "shop", "Phường Nha Trang"), "bvntd",
     "disputes-to-bvntd"),
])
def test_the_first_rule_whose_conditions_all_match_decides(tmp_path, facts, agency, rule):
    decision = route(facts, rules_from(tmp_path))
    assert (decision.agency_code, decision.rule_id) == (agency, rule)
    assert parse_reason(decision.reason) == decision  # the stored reason reads back


def test_no_rule_matching_leaves_the_report_for_the_officers(tmp_path):
    """Without a catch-all rule, a report no rule takes goes to the triage queue, and says so."""
    decision = route(RoutingFacts("labelling", "food", "shop"), rules_from(tmp_path))
    assert decision == Decision(None, None)
    assert decision.reason == "sent to triage: no rule matched"
    assert parse_reason(decision.reason) == decision
    said = explain(decision, translator("en"), [])
    assert said == "Left for the officers' triage: no rule matched"


def test_a_reason_names_the_rule_by_its_id_whatever_comes_before_it(tmp_path):
    before = route(RoutingFacts("smuggled", "food", "shop"), rules_from(tmp_path))
    moved = rules_from(tmp_path, '[[rules]]\nid = "new-first"\ncategory = "labelling"\n'
                                 'agency = "khcn"\n' + RULES)
    after = route(RoutingFacts("smuggled", "food", "shop"), moved)
    assert before.reason == after.reason == (
        "routed to qltt by rule counterfeit-to-qltt: category=smuggled")


@pytest.mark.parametrize(("reason", "words"), [
    # A reason stored before rules had ids names the rule's position then: read as it is.
    ("routed to qltt by rule 1: category=labelling",
     "Sent to qltt by rule 1: category = {labelling}"),
    ("sent to triage by rule 6: fallback, no condition",
     "Left for the officers' triage by rule 6: the rule for everything else"),
    ("routed to khcn by rule quality-to-khcn: category=labelling, product_group=food",
     "Sent to khcn by rule quality-to-khcn: category = {labelling}, kind of product = {food}"),
    # A commune is named as it is written: it has no list of labels.
    ("sent to triage by rule disputes-in-cam-ranh: category=consumer_dispute, "
     "commune=Phường Cam Ranh",
     "Left for the officers' triage by rule disputes-in-cam-ranh: category = {consumer_dispute}, "
     "commune or ward = Phường Cam Ranh"),
])
def test_every_kind_of_stored_reason_is_explained(reason, words):
    english = translator("en")
    labels = {"labelling": english.label(CATEGORIES, "labelling"),
              "consumer_dispute": english.label(CATEGORIES, "consumer_dispute"),
              "food": english.label(PRODUCT_GROUPS, "food")}
    decision = parse_reason(reason)
    assert decision is not None
    assert explain(decision, english, []) == words.format(**labels)
    assert explain(decision, translator("vi"), []) != words  # in Vietnamese too


def test_text_that_is_no_routing_record_is_not_read_as_one():
    assert parse_reason("moved by hand") is None


@pytest.mark.parametrize(("text", "message"), [
    ('[[rules]]\nid = "a-rule"\ncategory = "counterfeit"\n\nagency = "qtt"\n',
     " line 5: rule 1: unknown agency 'qtt' (known: bvntd, khcn, qltt)"),
    ('[[rules]]\nid = "one"\nagency = "qltt"\n\n[[rules]]\nid = "two"\ncategory = "fake"\n'
     'agency = "qltt"\n',
     " line 7: rule 2: unknown category 'fake' (known: consumer_dispute, counterfeit, "
     "food_safety, imitation, labelling, smuggled, substandard, trade_fraud)"),
    # The line of the rule that is wrong, not of the first rule with the same key.
    ('[[rules]]\nid = "one"\nagency = "qltt"\n\n[[rules]]\nid = "two"\nagency = "qtt"\n',
     " line 7: rule 2: unknown agency 'qtt' (known: bvntd, khcn, qltt)"),
    ('[[rules]]\nid = "one"\ncategory = "counterfeit"\nagency = "qltt"\ncolour = "red"\n',
     " line 5: rule 1: unknown key 'colour' (known: id, category, product_group, "
     "channel, commune, agency, queue)"),
    ('[[rules]]\nid = "one"\ncategory = "counterfeit"\n',
     " line 1: rule 1: give either agency = \"<code>\" or queue = \"triage\""),
    ('[[rules]]\nid = "one"\nagency = "qltt"\nqueue = "triage"\n',
     " line 3: rule 1: give either agency = \"<code>\" or queue = \"triage\""),
    ('[[rules]]\nid = "one"\ncategory = "counterfeit\nagency = "qltt"\n',
     ": Illegal character '\\n' (at line 3, column 24)"),
    ('[[rules]]\nid = "one"\ncommune = "Phường Không Có"\nagency = "qltt"\n',
     " line 3: rule 1: unknown commune 'Phường Không Có' (known: Phường Cam Ranh, "
     "Phường Nha Trang)"),
    ('[[rules]]\nid = "one"\nqueue = "officers"\n',
     " line 3: rule 1: unknown queue 'officers' (known: triage)"),
    ('[[rules]]\nid = "one"\ncategory = []\nagency = "qltt"\n',
     " line 3: rule 1: category must be a text or a non-empty list of texts"),
    ('[[rules]]\ncategory = "counterfeit"\nagency = "qltt"\n',
     " line 1: rule 1: give it an id = \"…\" that stays when rules move: "
     "lower-case letters, digits and hyphens, e.g. id = \"counterfeit-to-qltt\""),
    ('[[rules]]\nid = "Hàng giả"\nagency = "qltt"\n',
     " line 2: rule 1: give it an id = \"…\" that stays when rules move: "
     "lower-case letters, digits and hyphens, e.g. id = \"counterfeit-to-qltt\""),
    ('[[rules]]\nid = "same"\nagency = "qltt"\n\n[[rules]]\nid = "same"\nqueue = "triage"\n',
     " line 6: rule 2: the id 'same' is used twice"),
    ('', ": expected at least one [[rules]] table"),
    ('rules = 1\n', ": expected at least one [[rules]] table"),
    ('[[rule]]\nagency = "qltt"\n', ": unknown key 'rule': rules go in [[rules]] tables"),
    ('colour = "red"\n\n[[rules]]\nid = "one"\nagency = "qltt"\n',
     " line 1: unknown key 'colour': rules go in [[rules]] tables"),
    # A list where one agency is meant is named as written, not a crash.
    ('[[rules]]\nid = "one"\nagency = ["qltt"]\n',
     " line 3: rule 1: unknown agency ['qltt'] (known: bvntd, khcn, qltt)"),
])
def test_a_broken_rules_file_fails_naming_the_line(tmp_path: Path, text: str, message: str):
    with pytest.raises(ConfigError) as failure:
        rules_from(tmp_path, text)
    # The whole message, as the person editing the file reads it: where, what, and what is
    # known instead.
    assert str(failure.value) == f"{tmp_path / 'routing.toml'}{message}"


def test_communes_are_free_text_when_the_list_is_empty(tmp_path: Path):
    rules = rules_from(tmp_path, '[[rules]]\nid = "anywhere"\ncommune = "Xã Bất Kỳ"\n'
                                 'agency = "qltt"\n', communes=())
    assert route(RoutingFacts("counterfeit", "food", "shop", "Xã Bất Kỳ"), rules).agency_code == "qltt"


def test_no_rule_may_route_to_the_police(config_dir: Path):
    path = config_dir / "routing.toml"
    path.write_text('[[rules]]\nid = "to-police"\ncategory = "smuggled"\nagency = "pc03"\n\n'
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown agency 'pc03'"):
        load_reference(config_dir)


def test_the_shipped_rules_each_decide_something(config_dir: Path):
    """Read as shipped, not restated: every rule has its own id, and each is the first to
    match some report (no rule hides behind the ones before it)."""
    reference = load_reference(config_dir)
    rules = reference.rules
    assert len({rule.id for rule in rules}) == len(rules)
    communes = ("", *reference.places.communes[:3])
    deciding = {route(RoutingFacts(*facts), rules).rule_id for facts in itertools.product(
        sorted(CATEGORY_CODES), sorted(PRODUCT_GROUP_CODES), sorted(SALES_CHANNEL_CODES),
        communes)}
    assert deciding >= {rule.id for rule in rules if "commune" not in rule.conditions}
