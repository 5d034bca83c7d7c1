"""The statistics' downloads in a real browser: a file arrives as a download and the page
stays; a refused one (the account's hour used up) shows its reason on a page, since a link
that insists on downloading turns an error into a failed file and says nothing."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import new_page, sign_in


async def test_a_refused_download_says_why_on_a_page(site, chrome):
    analyst = await new_page(chrome, site)
    await sign_in(analyst, "analyst")
    async with analyst.expect_download() as arrived:
        await analyst.get_by_role("link", name="CSV").first.click()
    assert await (await arrived.value).failure() is None
    for _ in range(29):  # the rest of the hour's 30 (INTAKE_EXPORT_RATE_LIMIT's default)
        assert (await analyst.request.get("/staff/stats/export?format=json")).ok
    await analyst.get_by_role("link", name="XLSX").first.click()
    await expect(analyst.get_by_role("alert")).to_contain_text(
        "Tài khoản này đã tải 30 tệp trong một giờ qua, mức tối đa cho một tài khoản.")
    await analyst.get_by_role("link", name="Quay lại số liệu thống kê của kỳ này").click()
    await expect(analyst.get_by_role("heading", level=1)).to_have_text("Thống kê")
