"""Who runs the service, from config/service.toml: read as shipped, and every mistake named
with its file and line at start."""

from __future__ import annotations

import shutil

import pytest

from workflows.reference.identity import load_identity
from workflows.reference.loading import DEFAULT_CONFIG_DIR
from workflows.reference.tomlfile import ConfigError


def test_the_shipped_identity_names_the_operator_the_hotline_and_the_privacy_notice():
    identity = load_identity(DEFAULT_CONFIG_DIR / "service.toml", "Ủy ban nhân dân tỉnh Khánh Hòa")
    assert identity.operator("vi") and identity.hotline and "@" in identity.email
    assert identity.emblem is not None and identity.emblem_type == "image/svg+xml"
    assert any("13/2023/NĐ-CP" in paragraph for paragraph in identity.privacy("vi"))
    assert identity.privacy("en") and identity.name("en") != identity.name("vi")


@pytest.mark.parametrize(("change", "problem"), [
    (('hotline = "0258 3 000 000"', 'hotline = ""'), "hotline must be a non-empty text"),
    (('email = "phananh@example.gov.vn"', 'email = "phananh at example"'), "is not one address"),
    (('emblem = "logo.svg"', 'emblem = "quoc-huy.gif"'), "an SVG or a PNG"),
    (('emblem = "logo.svg"', 'emblem = "missing.svg"'), "no such file"),
    (('hotline = "0258 3 000 000"', 'hotline = "0258 3 000 000"\nfax = "1"'), "unknown key 'fax'"),
])
def test_a_mistake_in_the_identity_stops_the_start_naming_the_file_and_line(tmp_path, change,
                                                                            problem):
    shutil.copy(DEFAULT_CONFIG_DIR / "logo.svg", tmp_path / "logo.svg")
    text = (DEFAULT_CONFIG_DIR / "service.toml").read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "service.toml"
    path.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_identity(path, "")
    assert problem in str(raised.value) and f"{path} line " in str(raised.value)
