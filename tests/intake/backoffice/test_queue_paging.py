"""The queue's pages, followed by their own "Next" and "Previous" links (keyset paging): every
case once, in order, whichever way one walks, and an address that was edited or typed opens a
page instead of an error."""

from __future__ import annotations

import re

import pytest

from tests.intake.conftest import sign_in
from workflows.cases.demo import DemoOptions, insert_demo_cases
from workflows.cases.models import Case
from workflows.cases.queue import MAX_PAGE, PER_PAGE, SORTS
from workflows.cases.states import OPEN_STATES

CODE = re.compile(r'<td><a href="/staff/cases/([0-9A-Z]+)"')
NEXT = re.compile(r'href="\?([^"]+)" rel="next"')
PREVIOUS = re.compile(r'href="\?([^"]+)" rel="prev"')


@pytest.fixture
async def many_cases(app, accounts):
    """Over four pages of open cases, thirty of them due and received at the same moment, so
    that pages break inside a tie (the id decides)."""
    await insert_demo_cases(app.state.intake.reference, DemoOptions(cases=PER_PAGE * 5 + 7))
    ids = await Case.all().order_by("id").values_list("id", flat=True)
    await Case.filter(id__in=[i for i in ids if i % 6]).update(status="in_progress")
    tied = await Case.filter(id__in=ids[10:40]).first()
    await Case.filter(id__in=ids[10:40]).update(due_at=tied.due_at, created_at=tied.created_at)


def _unescaped(link: str) -> str:
    return link.replace("&amp;", "&")


async def _walk(client, start: str, link: re.Pattern[str]) -> tuple[list[list[str]], list[str]]:
    """The tracking codes of each page from `start` on, following `link` to the end, and the
    page-number lines shown."""
    pages, numbers, address = [], [], start
    while address is not None:
        response = await client.get(address)
        assert response.status_code == 200
        pages.append(CODE.findall(response.text))
        numbers.append(re.search(r"Trang \d+/\d+ \(\d+ hồ sơ\)", response.text).group(0))
        found = link.search(response.text)
        address = f"/staff/queue?{_unescaped(found.group(1))}" if found else None
        assert len(pages) < 50, "the links go round in circles"
    return pages, numbers


@pytest.mark.parametrize("sort", sorted(SORTS))
async def test_next_and_previous_walk_every_open_case_once_in_order(client, many_cases, sort):
    await sign_in(client, "officer")
    forward, numbers = await _walk(client, f"/staff/queue?sort={sort}", NEXT)
    fields = SORTS[sort]
    expected = [case.tracking_code for case in
                await Case.filter(status__in=sorted(OPEN_STATES)).order_by(*fields)]
    assert len(expected) > PER_PAGE * 2, "the demo should fill several pages"
    assert [code for page in forward for code in page] == expected
    assert all(len(page) == PER_PAGE for page in forward[:-1])
    assert [int(re.search(r"\d+", line).group(0)) for line in numbers] == list(
        range(1, len(forward) + 1))

    # Back from the last page by "Previous": the same pages, in reverse.
    last = await client.get(f"/staff/queue?sort={sort}&page={len(forward)}")
    backward, _ = await _walk(client, f"/staff/queue?sort={sort}&page={len(forward)}", PREVIOUS)
    assert CODE.findall(last.text) == forward[-1]
    assert backward == forward[::-1]


async def test_a_filter_is_kept_from_page_to_page(client, many_cases):
    await sign_in(client, "officer")
    pages, _ = await _walk(client, "/staff/queue?status=all&sort=newest", NEXT)
    listed = [code for page in pages for code in page]
    assert listed == [case.tracking_code
                      for case in await Case.all().order_by("-created_at", "-id")]


async def test_a_case_filed_meanwhile_neither_repeats_nor_hides_a_case(client, many_cases):
    await sign_in(client, "officer")
    first = await client.get("/staff/queue?sort=oldest")
    following = f"/staff/queue?{_unescaped(NEXT.search(first.text).group(1))}"
    oldest_open = await Case.filter(status__in=sorted(OPEN_STATES)).order_by("created_at").first()
    # A page-number link would now shift by one; the keyset link does not.
    await Case.filter(id=oldest_open.id).update(status="closed")
    second = await client.get(following)
    codes = CODE.findall(second.text)
    expected = [case.tracking_code for case in
                await Case.filter(status__in=sorted(OPEN_STATES)).order_by("created_at", "id")]
    assert codes == expected[PER_PAGE - 1:2 * PER_PAGE - 1]


@pytest.mark.parametrize("edited", ["after=nonsense", "after=2026-01-01T00:00:00_x",
                                    "before=2026-01-01T00:00:00_12",  # no time zone
                                    "after=" + "9" * 80, "before=_", "page=abc",
                                    "after=2026-13-45T00:00:00%2B00:00_1",
                                    "after=2026-01-01T00:00:00%2B00:00_²",  # a digit to isdigit()
                                    "after=2026-01-01T00:00:00%2B00:00_" + "9" * 18,
                                    "before=0001-01-01T00:00:00%2B23:59_5",  # before year 1 in UTC
                                    "after=2026-01-01T07:00:00%2B07:00_1"])
async def test_an_edited_address_opens_a_page_not_an_error(client, many_cases, edited):
    await sign_in(client, "officer")
    response = await client.get(f"/staff/queue?{edited}")
    assert response.status_code == 200
    assert len(CODE.findall(response.text)) == PER_PAGE


async def test_the_status_tabs_start_their_list_at_its_beginning(client, many_cases):
    await sign_in(client, "officer")
    first = await client.get("/staff/queue")
    second = await client.get(f"/staff/queue?{_unescaped(NEXT.search(first.text).group(1))}")
    tabs = re.findall(r'<li><a href="\?([^"]*)"', second.text)
    assert tabs and not any("after=" in tab or "before=" in tab for tab in tabs)
    everything = await client.get(f"/staff/queue?{_unescaped(tabs[-1])}")
    assert "Trang 1/" in everything.text and 'rel="prev"' not in everything.text


async def test_a_page_number_typed_in_opens_at_most_the_last_page_by_number(client, many_cases):
    await sign_in(client, "officer")
    response = await client.get(f"/staff/queue?status=all&page={MAX_PAGE * 10}")
    assert response.status_code == 200
    total = await Case.all().count()
    last = -(-total // PER_PAGE)
    assert f"Trang {min(last, MAX_PAGE)}/{last} ({total} hồ sơ)" in response.text


async def test_past_the_last_page_a_number_opens_next_goes_on_by_keyset(client, many_cases,
                                                                      monkeypatch):
    monkeypatch.setattr("workflows.cases.queue.MAX_PAGE", 2)
    await sign_in(client, "officer")
    typed = await client.get("/staff/queue?page=5")
    second = await client.get("/staff/queue?page=2")
    assert CODE.findall(typed.text) == CODE.findall(second.text)
    assert "Trang 2/" in typed.text
    third = await client.get(f"/staff/queue?{_unescaped(NEXT.search(typed.text).group(1))}")
    assert "Trang 3/" in third.text
    assert not set(CODE.findall(third.text)) & set(CODE.findall(second.text))


async def test_a_next_link_whose_cases_were_all_settled_opens_the_first_page(client,
                                                                            many_cases):
    await sign_in(client, "officer")
    pages, _ = await _walk(client, "/staff/queue", NEXT)
    before_last = await client.get(f"/staff/queue?page={len(pages) - 1}")
    stale = f"/staff/queue?{_unescaped(NEXT.search(before_last.text).group(1))}"
    await Case.filter(tracking_code__in=pages[-1]).update(status="closed")
    response = await client.get(stale)
    assert response.status_code == 200
    assert CODE.findall(response.text) == pages[0]
    assert "Trang 1/" in response.text
