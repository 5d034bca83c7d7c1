"""A business answering an explanation request goes through the same evidence checks as a
citizen: a PDF that would act when the inspector opens it is refused on the business's form,
which keeps the answer, stores nothing and leaves the link usable."""

from __future__ import annotations

import httpx
from pikepdf import String

from tests.helpers import MINIMAL_PDF
from tests.intake.test_conversation import app as app  # noqa: F401 (the fixture: staff, mail)
from tests.intake.test_explanations import ANSWER, asked_case, send
from tests.workflows.evidence.pdf_samples import built, link
from workflows.cases.models import Attachment
from workflows.parties.models import ExplanationRequest


async def test_a_business_s_pdf_that_launches_a_program_is_refused_and_the_answer_kept(
        client, app, smtp_server):
    _, _, explanation_link = await asked_case(client, app, smtp_server)
    launching = built(link("/Launch", F=String("cmd.exe")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://testserver") as business:
        refused = await send(business, explanation_link, files=[
            ("photos", ("hoa-don-nhap.pdf", launching, "application/pdf"))])
        assert refused.status_code == 400
        assert 'id="photos-error"' in refused.text and "“hoa-don-nhap.pdf”" in refused.text
        assert "khởi động chương trình" in refused.text and ANSWER in refused.text
        assert not await Attachment.exists()
        assert (await ExplanationRequest.get()).answered_at is None

        sent = await send(business, explanation_link, files=[
            ("photos", ("hoa-don-nhap.pdf", MINIMAL_PDF, "application/pdf"))])
        assert sent.status_code == 303
    assert (await Attachment.get()).content_type == "application/pdf"

