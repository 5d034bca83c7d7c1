from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from workflows.reference.loading import load_reference
from workflows.reference.tomlfile import ConfigError


def test_the_witnesses_are_every_agency_and_the_addresses_listed(config_dir: Path):
    """As config/audit.toml ships it (agencies = true, and its addresses), read, not restated."""
    reference = load_reference(config_dir)
    shipped = tomllib.loads((config_dir / "audit.toml").read_text(encoding="utf-8"))
    assert shipped["agencies"] is True and shipped["addresses"]
    expected = {agency.email for agency in reference.agencies.values()} | set(
        shipped["addresses"])
    assert reference.witnesses.recipients(reference.agencies.values()) == sorted(expected)
    (config_dir / "audit.toml").write_text('agencies = false\naddresses = ["Kiem.Toan@Ví-Dụ.vn"]\n',
                                           encoding="utf-8")
    reference = load_reference(config_dir)
    assert reference.witnesses.recipients(reference.agencies.values()) == ["Kiem.Toan@ví-dụ.vn"]


@pytest.mark.parametrize(("text", "message"), [
    ('addresses = ["g:a,b;x@example.org"]\n', "line 1: 'g:a,b;x@example.org' is not one email"),
    ('agencies = "yes"\n', "line 1: agencies must be true or false"),
    ('agencies = true\naddresses = "a@example.org"\n', "line 2: addresses must be a list"),
])
def test_a_wrong_witness_stops_the_start_naming_the_line(config_dir: Path, text, message):
    (config_dir / "audit.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_reference(config_dir)
