"""A PDF is read only in the budgeted child, never in the server's process, and a citizen sent
one that is refused is told which and why, on the form, with what they typed; a plain one is
stored as sent and served only as a download."""

from __future__ import annotations

import multiprocessing

import pytest

from tests.helpers import MINIMAL_PDF, VALID_REPORT, post_report
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD, sign_in
from tests.workflows.evidence.pdf_samples import (
    attached_file,
    built,
    html_behind_a_pdf_header,
    locked,
    pdf_of_many_objects,
    with_script,
)
from workflows.access.accounts import create_user
from workflows.cases.models import Attachment, Case
from workflows.evidence.sandbox import Refused, check_in_child, check_in_process
from workflows.evidence.uploads import EvidencePolicy, UploadRefused, check_contents

MB = 1024 * 1024
DEFAULT = EvidencePolicy().budget


def test_a_pdf_is_never_parsed_in_the_server_s_own_process():
    assert check_in_process([("hoa-don.pdf", MINIMAL_PDF)], DEFAULT) is None
    assert isinstance(check_in_child([("hoa-don.pdf", MINIMAL_PDF)], DEFAULT), list)


async def test_a_pdf_that_takes_too_long_to_read_is_refused_with_its_own_advice():
    costly = pdf_of_many_objects(240_000)
    assert len(costly) < 10 * MB
    policy = EvidencePolicy(seconds=0.3)
    assert check_in_child([("so-sach.pdf", costly)], policy.budget) == Refused("too_costly")
    assert not multiprocessing.active_children()

    class Sent:
        filename, size = "so-sach.pdf", len(costly)

        async def read(self, size: int = -1) -> bytes:
            return costly

    with pytest.raises(UploadRefused) as refused:
        await check_contents([Sent()], policy)
    shown = refused.value.problem.message.format(**refused.value.problem.params)
    assert "PDFs as the program that made them saved them" in shown


async def test_the_citizen_is_told_which_pdf_and_why_and_keeps_the_form(client):
    for sent, message in (
            (with_script("hoa-don.pdf"), "chứa JavaScript"),
            (("trang.pdf", html_behind_a_pdf_header(), "application/pdf"), "không đọc được"),
            (("khoa.pdf", locked(), "application/pdf"), "mật khẩu"),
            (("kem-tep.pdf", built(attached_file), "application/pdf"), "tệp khác bên trong")):
        answer = await post_report(client, VALID_REPORT, [sent])
        assert answer.status_code == 400, sent[0]
        assert 'id="photos-error"' in answer.text and message in answer.text, sent[0]
        assert f"“{sent[0]}”" in answer.text
        assert VALID_REPORT["product_name"] in answer.text  # the form keeps what was typed
    assert not await Case.exists()


async def test_a_plain_pdf_is_stored_as_sent_and_served_only_as_a_download(client):
    refused = await post_report(client, VALID_REPORT, [
        ("hoa-don.pdf", MINIMAL_PDF, "application/pdf"), with_script("phieu-thu.pdf")])
    assert refused.status_code == 400 and "“phieu-thu.pdf”" in refused.text
    filed = await post_report(client, VALID_REPORT,
                              [("hoa-don.html", MINIMAL_PDF, "text/html")])
    assert filed.status_code == 303
    attachment = await Attachment.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.received_sha256 == attachment.stored_sha256

    await create_user(ACCOUNTS["officer"][0], PASSWORD, "officer", None, AGENCIES)
    await sign_in(client, "officer")
    case = await Case.get()
    served = await client.get(f"/staff/cases/{case.tracking_code}/attachments/{attachment.id}")
    assert served.status_code == 200 and served.content == MINIMAL_PDF
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["content-disposition"] == 'attachment; filename="hoa-don.pdf"'
    assert served.headers["content-security-policy"] == "sandbox"
    assert served.headers["x-content-type-options"] == "nosniff"
