"""Staff search: with or without diacritics, any characters, through the index."""

from __future__ import annotations

import importlib

import pytest

from tests.helpers import VALID_REPORT, post_report
from workflows.cases.models import Case
from workflows.cases.queue import QueueFilters, queue_page
from workflows.cases.states import OPEN_STATES


async def found(user, typed: str) -> set[str]:
    page = await queue_page(user, QueueFilters(search=typed))
    return {case.product_name for case in page.cases}


@pytest.fixture
async def products(client):
    for name, brand, shop in (("Nước mắm Phú Quốc", "Hưng Thịnh", "Tạp hoá Đức Anh Hoà Bình"),
                              ("Sữa bột", "Meiji", "Shop 100% chính hãng"),
                              ('Rượu "Vang" O\'Brien', "", "Quầy 5_A")):
        await post_report(client, {**VALID_REPORT, "product_name": name, "brand": brand,
                                   "shop_name": shop})


async def test_staff_find_cases_by_product_brand_or_shop_with_or_without_diacritics(
        people, products):
    officer = people["officer"]
    assert await found(officer, "nuoc mam") == {"Nước mắm Phú Quốc"}
    assert await found(officer, "NƯỚC MẮM") == {"Nước mắm Phú Quốc"}
    assert await found(officer, "hung thinh") == {"Nước mắm Phú Quốc"}
    assert await found(officer, "duc anh") == {"Nước mắm Phú Quốc"}
    assert await found(officer, "meiji") == {"Sữa bột"}
    assert await found(officer, "Mắm") == {"Nước mắm Phú Quốc"}
    # Typed bare, or with the tone mark where the other spelling puts it.
    assert await found(officer, "hoa binh") == {"Nước mắm Phú Quốc"}
    assert await found(officer, "Hòa Bình") == {"Nước mắm Phú Quốc"}
    assert await found(officer, "tạp hóa") == {"Nước mắm Phú Quốc"}
    assert await found(officer, "mắm tôm") == set()
    # Ten letters that could also be read as a tracking code (SAPH0ABINH) are words too.
    assert await found(officer, "anh hoa binh") == {"Nước mắm Phú Quốc"}


@pytest.mark.parametrize("typed", ['"', "'", '"vang"', "o'brien", "100%", "5_a", "%", "_",
                                   "' OR 1=1 --", '" OR "', "vang*", "NEAR(a b)", "a\x00b",
                                   "); DROP TABLE case; --", "\\"])
async def test_search_metacharacters_are_only_text(people, products, typed):
    expected = {"%": {"Sữa bột"}, "100%": {"Sữa bột"}, "_": {'Rượu "Vang" O\'Brien'},
                "5_a": {'Rượu "Vang" O\'Brien'}, '"vang"': {'Rượu "Vang" O\'Brien'},
                "o'brien": {'Rượu "Vang" O\'Brien'}, '"': {'Rượu "Vang" O\'Brien'},
                "'": {'Rượu "Vang" O\'Brien'}}
    assert await found(people["officer"], typed) == expected.get(typed, set())
    assert await Case.all().count() == 3


async def test_a_tracking_code_finds_exactly_its_case(people, products):
    case = await Case.first()
    for typed in (case.tracking_code, case.tracking_code.lower(),
                  f"{case.tracking_code[:5]}-{case.tracking_code[5:]}"):
        page = await queue_page(people["officer"], QueueFilters(search=typed))
        assert [c.id for c in page.cases] == [case.id]


async def test_a_part_of_a_tracking_code_finds_its_case(people, products):
    case = await Case.get(product_name="Sữa bột")
    await Case.filter(id=case.id).update(tracking_code="WK3467ABCD")
    for typed in ("WK346", "wk346", "K346-7A", "wk346 7a", "3467ABCD", "WK346-7ABC"):
        assert await found(people["officer"], typed) == {"Sữa bột"}, typed
    assert await found_in(people["officer"], "WK346", "all") == {"Sữa bột"}


async def test_words_and_short_parts_are_not_taken_for_a_code(people, products):
    case = await Case.get(product_name="Sữa bột")
    await Case.filter(id=case.id).update(tracking_code="BANH1KE000")
    assert await found(people["officer"], "BANH") == set()  # letters alone are words
    assert await found(people["officer"], "NH1K") == set()  # four characters: too few
    assert await found(people["officer"], "NH1KE") == {"Sữa bột"}
    assert await found(people["officer"], "NH1 K E") == set()  # more than one gap


async def found_in(user, typed: str, status: str) -> set[str]:
    page = await queue_page(user, QueueFilters(search=typed, status=status))
    return {case.product_name for case in page.cases}


async def test_a_case_leaving_the_open_statuses_is_found_only_where_closed_cases_are(
        people, products):
    officer = people["officer"]
    milk = await Case.get(product_name="Sữa bột")
    await Case.filter(id=milk.id).update(status="resolved")
    assert await found(officer, "meiji") == set()  # the open work: not there any more
    assert await found_in(officer, "meiji", "all") == {"Sữa bột"}
    assert await found_in(officer, "meiji", "resolved") == {"Sữa bột"}
    await Case.filter(id=milk.id).update(status="in_progress")  # reopened
    assert await found(officer, "meiji") == {"Sữa bột"}
    await Case.filter(id=milk.id).update(search_text="sua bot | morinaga | shop")
    assert await found(officer, "meiji") == set() and await found(officer, "morinaga") == {
        "Sữa bột"}
    assert await found(officer, "sua bot") == {"Sữa bột"}  # words the old and new text share
    await Case.filter(id=milk.id).update(status="closed")
    assert await found(officer, "morinaga") == set()
    connection = Case._meta.db
    if connection.capabilities.dialect == "sqlite":  # FTS5's own check of the index's rows
        await connection.execute_script(
            "INSERT INTO open_case_search(open_case_search) VALUES ('integrity-check')")


def test_the_open_cases_index_holds_exactly_the_open_statuses():
    migration = importlib.import_module("workflows.db.migrations.0028_open_case_search")
    assert migration.OPEN == "(" + ", ".join(f"'{status}'" for status in sorted(OPEN_STATES)) + ")"
