from __future__ import annotations

from pathlib import Path

import pytest

from workflows.reference.loading import load_reference
from workflows.reference.routing import RoutingFacts, load_rules, route
from workflows.reference.tomlfile import ConfigError


@pytest.fixture
def rules(config_dir: Path):
    return load_reference(config_dir).rules


@pytest.mark.parametrize(
    ("category", "product_group", "agency", "rule"),
    [
        ("counterfeit", "cosmetics", "qltt", 1),
        ("imitation", "clothing", "qltt", 1),
        ("smuggled", "electronics", "qltt", 1),
        ("trade_fraud", "food", "qltt", 1),
        ("counterfeit", "agricultural_inputs", "qltt", 1),
        ("substandard", "agricultural_inputs", "snnmt", 2),
        ("food_safety", "agricultural_inputs", "snnmt", 2),
        ("substandard", "electronics", "khcn", 3),
        ("labelling", "food", "khcn", 3),
        ("consumer_dispute", "electronics", "bvntd", 4),
        ("food_safety", "food", "syt", 5),
        ("food_safety", "drugs", "syt", 5),
        ("food_safety", "cosmetics", "syt", 5),
    ],
)
def test_default_rules_route_each_category_to_its_agency(rules, category, product_group, agency, rule):
    decision = route(RoutingFacts(category, product_group, "shop"), rules)
    assert decision.agency_code == agency
    assert decision.rule_number == rule
    assert decision.reason.startswith(f"routed to {agency} by rule {rule}: category={category}")


def test_unmatched_report_falls_back_to_the_triage_queue(rules):
    decision = route(RoutingFacts("food_safety", "other", "online"), rules)
    assert decision.agency_code is None
    assert decision.rule_number == 6
    assert decision.reason == "sent to triage by rule 6: fallback, no condition"


def test_a_rule_added_to_the_file_changes_routing_without_code(config_dir: Path):
    path = config_dir / "routing.toml"
    # Counterfeit cosmetics sold online go to khcn in this province: put the rule first.
    path.write_text(
        '[[rules]]\ncategory = "counterfeit"\nproduct_group = "cosmetics"\n'
        'channel = "online"\nagency = "khcn"\n\n' + path.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    rules = load_reference(config_dir).rules
    online = route(RoutingFacts("counterfeit", "cosmetics", "online"), rules)
    assert (online.agency_code, online.rule_number) == ("khcn", 1)
    assert online.reason == ("routed to khcn by rule 1: category=counterfeit, "
                             "product_group=cosmetics, channel=online")
    in_shop = route(RoutingFacts("counterfeit", "cosmetics", "shop"), rules)
    assert (in_shop.agency_code, in_shop.rule_number) == ("qltt", 2)


def test_a_commune_rule_matches_only_that_commune(config_dir: Path):
    path = config_dir / "routing.toml"
    path.write_text('[[rules]]\ncategory = "consumer_dispute"\ncommune = "Phường Cam Ranh"\n'
                    'queue = "triage"\n\n' + path.read_text(encoding="utf-8"), encoding="utf-8")
    rules = load_reference(config_dir).rules
    assert route(RoutingFacts("consumer_dispute", "food", "shop", "Phường Cam Ranh"), rules).agency_code is None
    assert route(RoutingFacts("consumer_dispute", "food", "shop", "Phường Nha Trang"),
                 rules).agency_code == "bvntd"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[rules]]\ncategory = "counterfeit"\n\nagency = "qtt"\n',
         'line 4: rule 1: unknown agency \'qtt\' (known: bvntd, khcn, qltt, snnmt, '
         'syt)'),
        ('[[rules]]\nagency = "qltt"\n\n[[rules]]\ncategory = "fake"\nagency = "qltt"\n',
         "line 5: rule 2: unknown category 'fake'"),
        ('[[rules]]\ncategory = "counterfeit"\nagency = "qltt"\ncolour = "red"\n',
         "line 4: rule 1: unknown key 'colour'"),
        ('[[rules]]\ncategory = "counterfeit"\n', "line 1: rule 1: give either agency"),
        ('[[rules]]\ncategory = "counterfeit\nagency = "qltt"\n', "(at line 2"),
        ('[[rules]]\ncommune = "Phường Không Có"\nagency = "qltt"\n',
         "line 2: rule 1: unknown commune 'Phường Không Có'"),
    ],
)
def test_a_broken_rules_file_fails_naming_the_line(config_dir: Path, text: str, message: str):
    (config_dir / "routing.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as failure:
        load_reference(config_dir)
    assert str(config_dir / "routing.toml") in str(failure.value)
    assert message in str(failure.value)


def test_communes_are_free_text_when_the_list_is_empty(tmp_path: Path):
    rules_file = tmp_path / "routing.toml"
    rules_file.write_text('[[rules]]\ncommune = "Xã Bất Kỳ"\nagency = "qltt"\n', encoding="utf-8")
    rules = load_rules(rules_file, {"qltt"}, communes=())
    assert route(RoutingFacts("counterfeit", "food", "shop", "Xã Bất Kỳ"), rules).agency_code == "qltt"


def test_no_rule_may_route_to_the_police(config_dir: Path):
    path = config_dir / "routing.toml"
    path.write_text('[[rules]]\ncategory = "smuggled"\nagency = "pc03"\n\n'
                    + path.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown agency 'pc03'"):
        load_reference(config_dir)
