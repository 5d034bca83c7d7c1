"""Vietnamese staff pages say everything in Vietnamese: a case walked through every kind of
event, its history, routing and facts, show no English machine text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.conftest import browser
from tests.helpers import REPORTER, VALID_REPORT, csrf_token, jpeg_with_gps, post_report
from tests.intake.conftest import sign_in
from workflows.access.models import StaffUser
from workflows.cases.models import Case

# Words that only reach a Vietnamese page as machine text: codes, actions, actor kinds, the
# rule engine's record, roles, content types.
ENGLISH = re.compile(r"\b(routed|rule|staff|citizen|system|created|note_added|public_reply|"
                     r"reporter_followup|reporter|triage|triaged|assign|assigned|in_progress|"
                     r"waiting|resolve|resolved|counterfeit|category|agency|inspector|officer|"
                     r"lead|image/jpeg|violation_confirmed|violation|none|null|support|"
                     r"add_support|open311|fallback|condition|market|food|transfer)\b",
                     re.IGNORECASE)


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def english_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    # Addresses and file names are data, not words of the page.
    text = re.sub(r"\S+@\S+|\S+\.(?:jpg|pdf|png)\b", "", text)
    return sorted({match.group(0) for match in ENGLISH.finditer(text)})


async def _post(client, code: str, path: str, **fields: str) -> None:
    token = await csrf_token(client, f"/staff/cases/{code}")
    version = str((await Case.get(tracking_code=code)).version)
    answer = await client.post(f"/staff/cases/{code}/{path}",
                               data={"csrf_token": token, "version": version, **fields})
    assert answer.status_code == 303, answer.text[:2000]


async def test_a_case_walked_through_every_event_reads_in_vietnamese(client, app, accounts):
    await post_report(client, {**VALID_REPORT, **REPORTER},
                      [("tem.jpg", jpeg_with_gps(), "image/jpeg")])
    case = await Case.get()
    code = case.tracking_code
    inspector = await StaffUser.get(email="thanh-tra@qltt.gov.vn")
    async with browser(app) as lead, browser(app) as work, browser(app) as officer:
        await sign_in(lead, "qltt_lead")
        await sign_in(work, "qltt")
        await sign_in(officer, "officer")
        await _post(lead, code, "actions", action="assign", assignee_id=str(inspector.id))
        await _post(work, code, "actions", action="start")
        await _post(work, code, "notes", body="Đã liên hệ ban quản lý chợ.")
        await _post(work, code, "replies", body="Cơ quan đã tiếp nhận và đang xác minh.")
        await _post(work, code, "actions", action="wait", question="Chờ kết quả kiểm nghiệm mẫu.")
        await _post(work, code, "actions", action="resume")
        await _post(lead, code, "actions", action="add_support", agency_code="khcn",
                    task="Kiểm tra nhãn hàng hóa.")
        await _post(lead, code, "actions", action="extend", due_date="2031-01-05",
                    reason="Cần thêm thời gian kiểm nghiệm.")
        await _post(work, code, "actions", action="resolve", outcome="violation_confirmed",
                    public_outcome="Đã xử phạt cơ sở vi phạm.", fine_vnd="15.000.000")
        await _post(lead, code, "actions", action="close")
        await _post(lead, code, "actions", action="reopen", reason="Người phản ánh cung cấp thêm.")
        await _post(lead, code, "actions", action="transfer", agency_code="bvntd",
                    reason="Tranh chấp quyền lợi người tiêu dùng.")
        for reader in (officer, lead):
            page = await reader.get(f"/staff/cases/{code}")
            if reader is lead:
                assert page.status_code == 404  # transferred away from the lead's agency
                continue
            assert page.status_code == 200
            assert re.search(r"Chuyển Chi cục Quản lý thị trường theo quy tắc [a-z0-9-]+: "
                             r"loại phản ánh = Hàng giả", page.text)
            assert "Giao thanh-tra@qltt.gov.vn xử lý" in page.text
            assert english_words(page.text) == []
        queue = await officer.get("/staff/queue?status=all")
        assert english_words(queue.text) == []


def test_the_checker_finds_english_machine_text():
    assert english_words("<p>staff 3 — note_added</p>") == ["note_added", "staff"]
    assert english_words("<p>routed to qltt by rule 1: category=counterfeit</p>") == [
        "category", "counterfeit", "routed", "rule"]
    assert english_words("<p title='staff'>Cán bộ</p><script>var staff</script>") == []
