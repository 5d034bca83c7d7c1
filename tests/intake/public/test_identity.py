"""Every public page says who runs the service — the province's People's Committee, the
operating body, the hotline, the mailbox, the emblem — and links the privacy notice and the
brand owners' pages; in English too."""

from __future__ import annotations

import pytest

from workflows.reference.loading import DEFAULT_CONFIG_DIR, load_reference

IDENTITY = load_reference(DEFAULT_CONFIG_DIR).identity


@pytest.mark.parametrize("path", ["/", "/report", "/track", "/genuine", "/open-data",
                                  "/brands", "/privacy"])
async def test_every_public_page_names_who_runs_it_and_how_to_reach_a_person(client, path):
    page = await client.get(path)
    assert page.status_code == 200
    header = page.text.split("<header", 1)[1].split("</header>", 1)[0]
    footer = page.text.split("<footer", 1)[1].split("</footer>", 1)[0]
    assert "Ủy ban nhân dân tỉnh Khánh Hòa" in header and IDENTITY.operator_vi in header
    assert 'src="/emblem"' in header
    assert IDENTITY.hotline in footer and IDENTITY.email in footer
    for link in ('href="/privacy"', 'href="/brands"', 'href="/genuine"'):
        assert link in footer


async def test_the_emblem_the_privacy_notice_and_english(client):
    emblem = await client.get("/emblem")
    assert emblem.status_code == 200 and emblem.headers["content-type"] == "image/svg+xml"
    notice = await client.get("/privacy")
    assert "Nghị định 13/2023/NĐ-CP" in notice.text and IDENTITY.hotline in notice.text
    await client.get("/lang/en")
    english = await client.get("/privacy")
    assert IDENTITY.operator_en in english.text and "Decree 13/2023" in english.text
    assert "<title>" in english.text and IDENTITY.name_en in english.text
