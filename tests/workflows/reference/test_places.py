"""The province's territory from the official list (vietnam-provinces, since 1 July 2025): the
communes and wards of the configured province with their codes, any province one code away,
cases storing the code, and a hand-written list still read as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import browser, running_app
from tests.helpers import VALID_REPORT, post_report
from workflows.cases.models import Case
from workflows.reference.agreement import disagreements, province_short_name
from workflows.reference.loading import load_reference
from workflows.reference.places import load_places
from workflows.reference.tomlfile import ConfigError


def test_the_shipped_province_is_khanh_hoa_with_all_its_communes_and_their_codes():
    places = load_places(Path("config/communes.toml"))
    assert places.province == "Tỉnh Khánh Hòa" and places.province_code == 56
    assert places.authority == "Ủy ban nhân dân tỉnh Khánh Hòa"
    # Not the old demo subset of 27: the 65 communes, wards and special zones of the list.
    assert len(places.communes) == 65 and len(set(places.codes.values())) == 65
    assert places.code_of("Phường Nha Trang") == 22366 and "Đặc khu Trường Sa" in places.communes
    assert places.named("22366") == "Phường Nha Trang" and places.named("Xã Cam Lâm") == "Xã Cam Lâm"


@pytest.mark.parametrize(("text", "problem"), [
    ("province_code = 99", "no province has the code 99"),
    ('province_code = "56"', "province_code is a number"),
    ('province_code = 56\nprovince = "Tỉnh Khánh Hòa"', "remove 'province' and 'communes'"),
])
def test_a_wrong_province_code_stops_the_start_naming_the_file_and_line(tmp_path, text, problem):
    path = tmp_path / "communes.toml"
    path.write_text("# the province\n" + text + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_places(path)
    assert problem in str(raised.value) and f"{path} line 2" in str(raised.value)


def test_a_list_written_by_hand_is_still_read_without_codes(tmp_path):
    path = tmp_path / "communes.toml"
    path.write_text('province = "Tỉnh Thử"\ncommunes = ["Xã Một", "Xã Hai"]\n', encoding="utf-8")
    places = load_places(path)
    assert places.communes == ("Xã Một", "Xã Hai") and places.code_of("Xã Một") is None


async def test_the_service_runs_for_ha_noi_from_one_code_and_a_case_stores_the_wards_code(
        settings, config_dir):
    (config_dir / "communes.toml").write_text("province_code = 1\n", encoding="utf-8")
    (config_dir / "boundaries.geojson").unlink()  # Khánh Hòa's shapes
    async with running_app(settings) as app, browser(app) as citizen:
        form = await citizen.get("/report")
        assert "Phường Ba Đình" in form.text and "Phường Nha Trang" not in form.text
        elsewhere = await post_report(citizen, VALID_REPORT)  # a Khánh Hòa ward
        assert elsewhere.status_code == 400 and 'id="commune-error"' in elsewhere.text
        filed = await post_report(citizen, {**VALID_REPORT, "commune": "Phường Ba Đình"})
        assert filed.status_code == 303
        case = await Case.get()
        assert (case.province, case.commune, case.commune_code) == (
            "Thành phố Hà Nội", "Phường Ba Đình", 4)
        # An app may name the ward by its official code.
        by_code = await citizen.post("/open311/v2/requests.json", data={
            "service_code": "counterfeit", "description": VALID_REPORT["description"],
            "attribute[product_name]": "Nước mắm", "attribute[product_group]": "food",
            "attribute[channel]": "market", "attribute[commune]": "70"})
        assert by_code.status_code == 201, by_code.text
        filed_by_code = await Case.get(tracking_code=by_code.json()[0]["service_request_id"])
        assert (filed_by_code.commune, filed_by_code.commune_code) == ("Phường Hoàn Kiếm", 70)


@pytest.mark.parametrize("typed", ["²", "①", "1" * 5000, "99999999999"])
async def test_a_commune_code_that_is_no_code_is_refused_beside_the_field(client, typed):
    on_form = await post_report(client, {**VALID_REPORT, "commune": typed})
    assert on_form.status_code == 400 and 'id="commune-error"' in on_form.text
    by_app = await client.post("/open311/v2/requests.json", data={
        "service_code": "counterfeit", "description": VALID_REPORT["description"],
        "attribute[product_name]": "Nước mắm", "attribute[product_group]": "food",
        "attribute[channel]": "market", "attribute[commune]": typed})
    assert by_app.status_code == 400
    assert any(error["description"].startswith("attribute[commune]:") for error in by_app.json())


def test_the_shipped_files_speak_of_one_province_and_a_forgotten_one_is_named(config_dir):
    assert disagreements(load_reference(config_dir)) == []
    (config_dir / "communes.toml").write_text("province_code = 1\n", encoding="utf-8")
    (config_dir / "boundaries.geojson").unlink()
    found = disagreements(load_reference(config_dir))
    assert [line.split(" = ")[0] for line in found] == [
        "service.toml: operator_vi", "service.toml: address", "reporting.toml: issuer.parent",
        "reporting.toml: issuer.place"]
    assert all("Thành phố Hà Nội" in line for line in found)
    assert province_short_name("Thành phố Hà Nội") == "ha noi"
