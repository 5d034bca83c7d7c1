"""Brand owners, end to end over HTTP with every mail received by a real SMTP server: a
producer registers with proof, an officer refuses or verifies it; a verified owner is asked
about cases that name its brand or carry its GS1 company prefix (automatically, or by staff),
gives its opinion once through its link, and the inspector sees it beside the case; it signs
in by a mailed link and publishes how to tell its genuine product, which citizens see when
they name the brand. Nothing of the reporter reaches the owner: every mail and page it gets
is searched for the reporter's data."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import httpx
import pytest

from intake.settings import Settings
from tests.conftest import browser, running_app
from tests.helpers import (
    MINIMAL_PDF,
    REPORTER,
    VALID_REPORT,
    csrf_token,
    jpeg_with_gps,
    post_report,
    wait_for,
)
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD
from tests.intake.test_conversation import mails, post, staff
from tests.smtp_server import SmtpServer
from workflows.access.accounts import create_user
from workflows.audit.models import AuditEvent
from workflows.cases.models import Attachment, Case
from workflows.evidence.sweep import sweep_orphans
from workflows.parties.models import (
    BrandClaim,
    BrandInquiry,
    BrandOwner,
    BrandOwnerDocument,
    GenuineGuide,
    GuidePhoto,
)
from workflows.parties.references import format_reference

OWNER_EMAIL = "nhan-hieu@hungthinh.com.vn"
OWNER = {"organisation": "Công ty TNHH Nước mắm Hưng Thịnh", "kind": "producer",
         "contact_name": "Trần Văn Minh", "email": OWNER_EMAIL, "phone": "0258 3812 345",
         "tax_code": "0100109106", "brands": "Hưng Thịnh\nHưng Thịnh Gold",
         "gs1_prefixes": "", "trademark_numbers": "Giấy chứng nhận đăng ký nhãn hiệu số 345678"}
ASKED = "có phải hàng thật"  # the subject of the mail that asks an owner
OPINION = "Nắp chai không có tem chống giả của công ty; mã lô in sai định dạng."
SHARED_LINK = "https://shopee.vn/product/88/12?sp_atk=hang.nguyen&share_from=0912345678"
# Everything the reporter gave that a brand owner must never see.
REPORTER_TRACES = (REPORTER["reporter_name"], REPORTER["reporter_email"],
                   REPORTER["reporter_phone"], VALID_REPORT["description"], VALID_REPORT["street"],
                   SHARED_LINK, "sp_atk")


@pytest.fixture
async def app(mail_settings: Settings):
    async with running_app(mail_settings) as application:
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        yield application


def outsider(app) -> httpx.AsyncClient:
    return browser(app)


async def register(client: httpx.AsyncClient, fields: dict[str, str] | None = None,
                   files: list | None = None) -> httpx.Response:
    token = await csrf_token(client, "/brands/register")
    documents = files if files is not None else [
        ("photos", ("giay-chung-nhan.pdf", MINIMAL_PDF, "application/pdf"))]
    return await client.post("/brands/register", data={"csrf_token": token, **(fields or OWNER)},
                             files=documents or [("photos", ("", b"", "application/octet-stream"))])


async def decide(app, owner_id: int, decision: str, note: str = "") -> httpx.Response:
    async with staff(app, "officer") as officer:
        token = await csrf_token(officer, f"/staff/brand-owners/{owner_id}")
        return await officer.post(f"/staff/brand-owners/{owner_id}", data={
            "csrf_token": token, "decision": decision, "note": note})


async def verified_owner(app, fields: dict[str, str] | None = None) -> BrandOwner:
    async with outsider(app) as client:
        assert (await register(client, fields)).status_code == 303
    owner = await BrandOwner.get(email=(fields or OWNER)["email"])
    assert (await decide(app, owner.id, "verify")).status_code == 303
    return await BrandOwner.get(id=owner.id)


def owner_mail(smtp_server: SmtpServer, subject: str, to: str = OWNER_EMAIL) -> list[str]:
    return mails(smtp_server, to, subject)


def assert_nothing_of_the_reporter(text: str) -> None:
    for trace in REPORTER_TRACES:
        assert trace not in text, trace


async def reported(client: httpx.AsyncClient, app=None, photos: int = 1, **changes: str
                   ) -> Case:
    """A report with its photos; with `app`, the agency's lead shows the first to the brand
    owners, which is when they are asked."""
    fields = {**VALID_REPORT, **REPORTER, "sales_channel": "online", "platform": "Shopee",
              "online_url": SHARED_LINK, **changes}
    answer = await post_report(client, fields, [(f"chai-{n}.jpg", jpeg_with_gps(), "image/jpeg")
                                                for n in range(photos)])
    assert answer.status_code == 303, answer.text
    case = await Case.get(tracking_code=answer.headers["location"].rsplit("/", 1)[1])
    if app is not None:
        await share(app, case)
    return case


async def share(app, case: Case, index: int = 0) -> None:
    photo = (await Attachment.filter(case_id=case.id).order_by("id"))[index]
    async with staff(app, "qltt_lead") as lead:
        shared = await post(lead, case.tracking_code, f"/attachments/{photo.id}/share", share="1",
                            action="share:1")
        assert shared.status_code == 303
        # The page says what was done, as the button said it.
        done = (await lead.get(shared.headers["location"])).text
        assert "Đã thực hiện: Cho chủ sở hữu nhãn hiệu xem ảnh này." in done


async def test_a_registration_is_checked_field_by_field_and_keeps_what_was_typed(app):
    async with outsider(app) as client:
        refused = await register(client, {**OWNER, "organisation": "", "kind": "", "email": "x@",
                                          "tax_code": "0100109107", "brands": "",
                                          "gs1_prefixes": "12345", "trademark_numbers": ""},
                                 files=[])
        assert refused.status_code == 400
        page = refused.text
        for message in ("Hãy nhập tên cơ sở kinh doanh", "Hãy chọn bạn là nhà sản xuất",
                        "Hãy nhập một địa chỉ email", "Mã số thuế không hợp lệ",
                        "Hãy ghi ít nhất một nhãn hiệu", "Tiền tố mã doanh nghiệp GS1 “12345”",
                        "Hãy ghi số giấy chứng nhận", "Hãy đính kèm ít nhất một tài liệu"):
            assert message in page, message
        assert OWNER["contact_name"] in page  # kept as typed
        # Words for "no brand", a country, a lone letter or bare digits would have their
        # claimant sent every such case.
        for placeholder in ("Không rõ", "N/A", "không-có nhãn hiệu", "Việt Nam", "A", "123"):
            generic = await register(client, {**OWNER, "brands": f"Hưng Thịnh\n{placeholder}"})
            assert generic.status_code == 400, placeholder
            assert 'id="brands-error"' in generic.text and "Hưng Thịnh" in generic.text
            assert "không phải tên nhãn hiệu" in generic.text
    assert not await BrandOwner.exists()
    assert not await BrandOwnerDocument.exists()


async def test_an_officer_refuses_with_a_reason_and_the_owner_may_register_again(
        app, smtp_server):
    async with outsider(app) as client:
        assert (await register(client)).status_code == 303
        again = await register(client)
        assert again.status_code == 400 and "đã được đăng ký" in again.text
    owner = await BrandOwner.get(email=OWNER_EMAIL)
    assert owner.status == "pending"
    no_reason = await decide(app, owner.id, "refuse")
    assert no_reason.status_code == 400 and "Hãy nêu lý do" in no_reason.text
    reason = "Giấy chứng nhận đính kèm là của một nhãn hiệu khác."
    assert (await decide(app, owner.id, "refuse", reason)).status_code == 303
    await wait_for(lambda: bool(owner_mail(smtp_server, "không được xác minh")))
    assert reason in owner_mail(smtp_server, "không được xác minh")[0]
    # Nothing was mailed before an officer read it: a stranger's address typed in the form
    # gets no mail carrying the typed words.
    assert [str(mail.message["Subject"]) for mail in smtp_server.handler.to(OWNER_EMAIL)] == [
        "Đăng ký chủ sở hữu nhãn hiệu của bạn không được xác minh"]
    stale = await decide(app, owner.id, "verify")  # refused: registering again is the way
    assert stale.status_code == 409 and (await BrandOwner.get(id=owner.id)).status == "refused"
    async with outsider(app) as client:
        assert (await register(client, {**OWNER, "brands": "Hưng Thịnh"})).status_code == 303
    owner = await BrandOwner.get(id=owner.id)
    assert owner.status == "pending" and owner.review_note == ""
    assert await BrandOwnerDocument.filter(owner_id=owner.id).count() == 2
    actions = await AuditEvent.filter(action__startswith="brand_owner").values_list(
        "action", flat=True)
    assert actions == ["brand_owner_registered", "brand_owner_refused", "brand_owner_registered"]
    assert (await decide(app, owner.id, "verify")).status_code == 303
    assert (await decide(app, owner.id, "revoke", "Hợp đồng đã hết hạn.")).status_code == 303
    async with outsider(app) as client:  # its opinions stand under its name: officers restore it
        revoked = await register(client)
        assert revoked.status_code == 400 and "đã bị thu hồi" in revoked.text
    assert (await BrandOwner.get(id=owner.id)).organisation == OWNER["organisation"]


@pytest.mark.parametrize("brand", ["ß" * 150, "ﬃ" * 70])
async def test_a_brand_that_grows_when_folded_files_and_claims_nothing(app, client, brand):
    """Folding makes "ß" two letters and "ﬃ" three: longer than any stored key."""
    await verified_owner(app)
    case = await reported(client, brand=brand)  # filed and routed, no error
    assert case.agency_code == "qltt" and not await BrandInquiry.exists(case_id=case.id)
    assert (await client.get("/report/genuine", params={"brand": brand})).status_code == 200
    assert (await client.get("/report/genuine", params={"brand": "a\x00b"})).status_code == 200
    async with staff(app, "qltt_lead") as lead:
        assert (await lead.get(f"/staff/cases/{case.tracking_code}")).status_code == 200
    async with outsider(app) as other:
        claimed = await register(other, {**OWNER, "email": "khac@example.vn", "brands": brand})
        assert claimed.status_code == 400 and "tối đa 200 ký tự" in claimed.text
    assert (await client.get("/genuine/9999999999/photos/1")).status_code == 404


async def test_a_verified_owner_is_asked_about_its_brand_and_its_opinion_reaches_the_case(
        app, client, smtp_server):
    await verified_owner(app)
    await wait_for(lambda: bool(owner_mail(smtp_server, "đã được xác minh")))
    # The name alone, written otherwise; two photos, none shown to owners yet: nobody asked.
    case = await reported(client, photos=2, brand="HƯNG-THỊNH®", barcode="")
    assert case.agency_code == "qltt"
    assert not await BrandInquiry.exists(case_id=case.id)
    first, second = await Attachment.filter(case_id=case.id).order_by("id")
    async with staff(app, "qltt_lead") as lead:
        shown = (await lead.get(f"/staff/cases/{case.tracking_code}")).text
        assert "Cho chủ sở hữu nhãn hiệu xem ảnh này" in shown
    await share(app, case)  # now there is something to look at: the owner is asked
    await wait_for(lambda: bool(owner_mail(smtp_server, ASKED)))
    [mail] = [mail for mail in smtp_server.handler.to(OWNER_EMAIL)
              if ASKED in str(mail.message["Subject"])]
    for part in (mail.part("plain"), mail.part("html"), str(mail.message["Subject"])):
        assert_nothing_of_the_reporter(part)
    assert VALID_REPORT["product_name"] in mail.part("plain")
    assert VALID_REPORT["shop_name"] not in mail.part("plain")  # the seller is the agency's
    [link] = re.findall(r"http://testserver(/brands/inquiries/\S+)", mail.part("plain"))

    async with outsider(app) as brand:
        page = await brand.get(link)
        assert page.status_code == 200 and VALID_REPORT["product_name"] in page.text
        assert_nothing_of_the_reporter(page.text)
        assert (await brand.get(f"{link}/photos/{second.id}")).status_code == 404  # not shown
        async with staff(app, "qltt_lead") as lead:
            shown = (await lead.get(f"/staff/cases/{case.tracking_code}")).text
            assert "đang cho chủ sở hữu nhãn hiệu xem" in shown
        [photo_path] = re.findall(r'<img src="(/brands/inquiries/[^"]+/photos/\d+)"', page.text)
        assert photo_path.endswith(f"/photos/{first.id}")
        photo = await brand.get(photo_path)
        assert photo.status_code == 200 and photo.content[:3] == b"\xff\xd8\xff"
        assert photo.headers["x-content-type-options"] == "nosniff"
        assert b"PhoneMaker" not in photo.content  # stored without the reporter's EXIF
        # A second photo shown later: the owner asked is told, and asked no second time.
        await share(app, case, 1)
        await wait_for(lambda: bool(owner_mail(smtp_server, "Có thêm ảnh hàng hóa")))
        [told] = [received for received in smtp_server.handler.to(OWNER_EMAIL)
                  if "Có thêm ảnh hàng hóa" in str(received.message["Subject"])]
        for received in (mail, told):  # a reply reaches the agency; its phone is named
            assert str(received.message["Reply-To"]) == "qltt@example.gov.vn"
            assert "Điện thoại: 0258 3 000 001" in received.part("plain")
        # Its link (signed again, at another second) opens the same page.
        [again_link] = re.findall(r"http://testserver(/brands/inquiries/\S+)",
                                  told.part("plain"))
        assert VALID_REPORT["product_name"] in (await brand.get(again_link)).text
        assert_nothing_of_the_reporter(told.part("plain"))
        assert await BrandInquiry.filter(case_id=case.id).count() == 1
        page = await brand.get(link)
        assert len(re.findall(r'<img src="/brands/inquiries/', page.text)) == 2
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        empty = await brand.post(link, data={"csrf_token": token, "verdict": "", "opinion": ""})
        assert empty.status_code == 400 and "Hãy chọn" in empty.text
        sent = await brand.post(link, data={"csrf_token": token, "verdict": "counterfeit",
                                            "opinion": OPINION},
                                files=[("photos", ("tem-that.pdf", MINIMAL_PDF,
                                                   "application/pdf"))])
        assert sent.status_code == 303
        again = await brand.post(link, data={"csrf_token": token, "verdict": "genuine",
                                             "opinion": "Khác"})
        assert again.status_code == 410 and "đã được sử dụng" in again.text
        assert (await brand.get(photo_path)).status_code == 404  # the link is spent

    inquiry = await BrandInquiry.get(case_id=case.id)
    assert (inquiry.verdict, inquiry.opinion, inquiry.asked_by_id) == ("counterfeit", OPINION,
                                                                        None)
    [evidence] = await Attachment.filter(brand_inquiry_id=inquiry.id)
    assert evidence.added_by == "brand_owner"
    assert (await AuditEvent.get(action="brand_opinion")).actor_type == "brand_owner"
    async with staff(app, "qltt") as inspector:
        shown = (await inspector.get(f"/staff/cases/{case.tracking_code}")).text
        assert OPINION in shown and "Hàng giả" in shown and "tem-that.pdf" in shown
        assert "Chủ sở hữu nhãn hiệu đã cho ý kiến" in shown  # the timeline
    # Nobody is assigned yet: the agency's mailbox is told, with a link and not the opinion.
    await wait_for(lambda: bool(mails(smtp_server, "qltt@example.gov.vn", "cho ý kiến")))
    [told] = mails(smtp_server, "qltt@example.gov.vn", "cho ý kiến")
    assert f"/staff/cases/{case.tracking_code}" in told and OPINION not in told


async def test_a_gs1_prefix_names_the_owner_and_each_owner_is_asked_once(app, client,
                                                                          smtp_server):
    await verified_owner(app, {**OWNER, "brands": "Thương hiệu khác", "gs1_prefixes": "8934588"})
    async with outsider(app) as squatter:  # the officer sees who else claims the same
        assert (await register(squatter, {**OWNER, "email": "ai-do@example.vn",
                                          "organisation": "Cơ sở Ai Đó",
                                          "brands": "THƯƠNG-HIỆU KHÁC™"})).status_code == 303
    squatting = await BrandOwner.get(email="ai-do@example.vn")
    async with staff(app, "officer") as officer:
        page = (await officer.get(f"/staff/brand-owners/{squatting.id}")).text
        assert 'id="rival-claims"' in page and OWNER["organisation"] in page
    case = await reported(client, app, brand="Không rõ")  # the barcode alone names the owner
    await wait_for(lambda: bool(owner_mail(smtp_server, ASKED)))
    async with staff(app, "officer") as officer:  # transferred: reaches an agency again
        assert (await post(officer, case.tracking_code, action="transfer", agency_code="khcn",
                           reason="Sai nhãn hàng hóa")).status_code == 303
    assert await BrandInquiry.filter(case_id=case.id).count() == 1


async def test_a_case_that_says_it_has_no_brand_names_no_owner(app, client):
    owner = await verified_owner(app)
    # A claim on the words for "no brand", as a registration before the rule could store.
    await BrandClaim.create(owner=owner, kind="brand", value="Không rõ", key="khongro")
    unbranded = await reported(client, app, brand="KHÔNG RÕ", barcode="")
    assert not await BrandInquiry.filter(case_id=unbranded.id).exists()
    branded = await reported(client, app, brand="hưng thịnh", barcode="")
    assert await BrandInquiry.filter(case_id=branded.id, owner_id=owner.id).exists()


async def test_the_outside_testers_generic_names_and_country_ranges_are_refused(app):
    """Issue 31: each was accepted, and an officer verified an owner of "Ko rõ"."""
    async with outsider(app) as client:
        for name, why in (("Ko rõ", "không có nhãn hiệu"), ("Không rõ nguồn gốc", "không có nhãn"
                          " hiệu"), ("VN", "tên một nước"), ("TQ", "tên một nước"),
                          ("Đức", "tên một nước"), ("Germany", "tên một nước"),
                          ("Hàng Trung Quốc", "tên một nước")):
            refused = await register(client, {**OWNER, "brands": f"Hưng Thịnh\n{name}"})
            assert refused.status_code == 400 and 'id="brands-error"' in refused.text, name
            assert f"Nhãn hiệu “{name}”" in refused.text and why in refused.text, name
        for prefix, why in (("893", "là đầu số của GS1 Vietnam"), ("893458", "quá ngắn")):
            refused = await register(client, {**OWNER, "gs1_prefixes": prefix})
            assert refused.status_code == 400 and 'id="gs1_prefixes-error"' in refused.text
            assert f"Tiền tố mã doanh nghiệp GS1 “{prefix}” {why}" in refused.text, prefix
        assert not await BrandOwner.exists()
        real = {**OWNER, "brands": "Sữa Việt\nThái Dương\nĐức Thành\nAnh Đào",
                "gs1_prefixes": "8934588"}
        assert (await register(client, real)).status_code == 303
    assert await BrandClaim.all().order_by("id").values_list("value", flat=True) == [
        "Sữa Việt", "Thái Dương", "Đức Thành", "Anh Đào", "8934588"]


async def test_an_owner_verified_for_ko_ro_is_not_asked_and_its_guide_is_not_shown(app, client):
    """The matching rule, not the registration alone: rows stored before it name nothing."""
    owner = await verified_owner(app, {**OWNER, "email": "ko-ro@example.vn"})
    await BrandClaim.create(owner=owner, kind="brand", value="Ko rõ", key="koro")
    refund = "Gọi 0900 000 000 để được hoàn tiền"
    await GenuineGuide.create(owner=owner, brand="Ko rõ", brand_key="koro", title=refund,
                              body=refund, published=True)
    case = await reported(client, app, brand="Ko rõ", barcode="")
    assert case.agency_code == "qltt" and not await BrandInquiry.exists(case_id=case.id)
    for typed in ("Ko rõ", "KO RO"):
        assert refund not in (await client.get("/report/genuine", params={"brand": typed})).text
    assert refund not in (await client.get("/genuine")).text
    again = await post_report(client, {**VALID_REPORT, "brand": "Ko rõ", "description": ""})
    assert again.status_code == 400 and refund not in again.text  # the form without JavaScript


async def test_a_referral_to_the_police_asks_no_owner_and_closes_the_open_links(
        app, client, smtp_server):
    await verified_owner(app)
    quiet = await reported(client, brand="", barcode="")  # neither brand nor prefix: nobody
    assert not await BrandInquiry.exists(case_id=quiet.id)
    asked = await reported(client, app)
    await wait_for(lambda: bool(owner_mail(smtp_server, ASKED)))
    [link] = re.findall(r"http://testserver(/brands/inquiries/\S+)",
                        owner_mail(smtp_server, ASKED)[0])
    async with staff(app, "officer") as officer:
        await Case.filter(id=quiet.id).update(brand="Hưng Thịnh")
        for case in (quiet, asked):
            assert (await post(officer, case.tracking_code, action="refer_to_police",
                               agency_code="pc03", reason="Dấu hiệu tội phạm")).status_code == 303
    assert not await BrandInquiry.exists(case_id=quiet.id)
    async with outsider(app) as brand:  # the link would tell the owner where the case went
        closed = await brand.get(link)
        assert closed.status_code == 410 and "không còn cần ý kiến" in closed.text
        assert "công an" not in closed.text.lower()


async def test_staff_ask_an_owner_that_chose_not_to_be_asked_automatically(app, client,
                                                                           smtp_server):
    owner = await verified_owner(app)
    await BrandOwner.filter(id=owner.id).update(ask_automatically=False)
    case = await reported(client)
    assert not await BrandInquiry.exists(case_id=case.id)
    async with staff(app, "qltt_lead") as lead:
        page = (await lead.get(f"/staff/cases/{case.tracking_code}")).text
        assert OWNER["organisation"] in page
        refused = await post(lead, case.tracking_code, action="ask_brand_owner",
                             brand_owner_id="999999")
        assert refused.status_code == 400 and "Hãy chọn một chủ sở hữu" in refused.text
        assert (await post(lead, case.tracking_code, action="ask_brand_owner",
                           brand_owner_id=str(owner.id))).status_code == 303
        twice = await post(lead, case.tracking_code, action="ask_brand_owner",
                           brand_owner_id=str(owner.id))
        assert twice.status_code in (400, 403)
        huge = await post(lead, case.tracking_code, action="ask_brand_owner",
                          brand_owner_id="99999999999")
        assert huge.status_code in (400, 403)
    inquiry = await BrandInquiry.get(case_id=case.id)
    assert inquiry.asked_by_id is not None
    await wait_for(lambda: bool(owner_mail(smtp_server, ASKED)))
    [link] = re.findall(r"http://testserver(/brands/inquiries/\S+)",
                        owner_mail(smtp_server, ASKED)[0])
    async with staff(app, "qltt_lead") as lead:  # no longer needed: withdrawn, the link stops
        assert (await post(lead, case.tracking_code,
                           f"/brand-inquiries/{inquiry.id}/withdraw")).status_code == 303
        again = await post(lead, case.tracking_code, f"/brand-inquiries/{inquiry.id}/withdraw")
        assert again.status_code == 400
    async with outsider(app) as brand:
        assert (await brand.get(link)).status_code == 410


async def test_links_of_a_withdrawn_owner_expired_or_forged_are_refused(app, client,
                                                                        smtp_server):
    owner = await verified_owner(app)
    case = await reported(client, app)
    await wait_for(lambda: bool(owner_mail(smtp_server, ASKED)))
    [link] = re.findall(r"http://testserver(/brands/inquiries/\S+)",
                        owner_mail(smtp_server, ASKED)[0])
    async with outsider(app) as brand:
        assert (await brand.get(link[:-3] + "xyz")).status_code == 404
        await BrandInquiry.filter(case_id=case.id).update(
            due_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        expired = await brand.get(link)
        assert expired.status_code == 410 and "đã hết hạn" in expired.text
        await BrandInquiry.filter(case_id=case.id).update(
            due_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
        assert (await brand.get(link)).status_code == 200
        assert (await decide(app, owner.id, "revoke", "Hợp đồng phân phối đã hết hạn.")
                ).status_code == 303
        withdrawn = await brand.get(link)
        assert withdrawn.status_code == 410 and "không còn được xác minh" in withdrawn.text
    await wait_for(lambda: bool(owner_mail(smtp_server, "bị thu hồi")))


async def sign_in_by_link(app, smtp_server: SmtpServer, brand: httpx.AsyncClient) -> str:
    token = await csrf_token(brand, "/brands")
    asked = await brand.post("/brands/sign-in", data={"csrf_token": token,
                                                      "email": OWNER_EMAIL.upper()})
    assert asked.status_code == 200 and "đang được gửi" in asked.text
    await wait_for(lambda: bool(owner_mail(smtp_server, "Đăng nhập")))
    [link] = re.findall(r"http://testserver(/brands/sign-in/\S+)",
                        owner_mail(smtp_server, "Đăng nhập")[-1])
    page = await brand.get(link)  # a mail scanner opening it signs nobody in
    assert page.status_code == 200 and (await brand.get("/brands/portal")).status_code == 303
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    signed_in = await brand.post(link, data={"csrf_token": token})
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/brands/portal"
    return link


async def test_an_owner_signs_in_by_a_mailed_link_that_works_once(app, client, smtp_server):
    await verified_owner(app)
    async with outsider(app) as stranger:  # an unknown address: the same answer, no mail
        token = await csrf_token(stranger, "/brands")
        answer = await stranger.post("/brands/sign-in", data={"csrf_token": token,
                                                             "email": "ai-do@example.vn"})
        assert answer.status_code == 200 and "đang được gửi" in answer.text
    case = await reported(client, app)
    async with outsider(app) as brand:
        link = await sign_in_by_link(app, smtp_server, brand)
        portal = await brand.get("/brands/portal")
        # The owner's own reference, never the case's tracking code (which opens /track).
        inquiry = await BrandInquiry.get(case_id=case.id)
        assert portal.status_code == 200 and format_reference(inquiry.reference) in portal.text
        assert case.tracking_code[:5] not in portal.text
        assert_nothing_of_the_reporter(portal.text)
        token = re.search(r'name="csrf_token" value="([^"]+)"', portal.text).group(1)
        reused = await brand.post(link, data={"csrf_token": token})
        assert reused.status_code == 410
        await brand.post("/brands/sign-out", data={"csrf_token": token})
        assert (await brand.get("/brands/portal")).status_code == 303
    assert not smtp_server.handler.to("ai-do@example.vn")


async def write_guide(brand: httpx.AsyncClient, fields: dict[str, str],
                      files: list | None = None) -> httpx.Response:
    token = await csrf_token(brand, "/brands/portal/guides/new")
    return await brand.post("/brands/portal/guides/new", data={"csrf_token": token, **fields},
                            files=files or [("photos", ("", b"", "application/octet-stream"))])


async def test_a_published_guide_shows_to_citizens_who_name_the_brand(app, client, smtp_server,
                                                                      settings):
    owner = await verified_owner(app)
    guide = {"brand": "Hưng Thịnh", "title": "Cách nhận biết nước mắm Hưng Thịnh thật",
             "body": "Tem chống giả màu bạc trên nắp, mã QR dẫn về trang của công ty.",
             "published": "1"}
    async with outsider(app) as brand:
        await sign_in_by_link(app, smtp_server, brand)
        not_a_photo = await write_guide(brand, guide, [("photos", ("tem.pdf", MINIMAL_PDF,
                                                                   "application/pdf"))])
        assert not_a_photo.status_code == 400 and "ảnh" in not_a_photo.text
        assert guide["title"] in not_a_photo.text  # kept as typed
        other_brand = await write_guide(brand, {**guide, "brand": "Nhãn hiệu của người khác"})
        assert other_brand.status_code == 400
        saved = await write_guide(brand, guide, [("photos", ("tem.jpg", jpeg_with_gps(),
                                                             "image/jpeg"))])
        assert saved.status_code == 303
        draft = await write_guide(brand, {**guide, "title": "Bản nháp chưa đăng", "published": ""})
        assert draft.status_code == 303
        assert 'id="published"' in (await brand.get("/brands/portal/guides/new")).text
        assert " checked" not in (await brand.get("/brands/portal/guides/new")).text  # a draft
    assert "Bản nháp chưa đăng" not in (await client.get("/genuine")).text
    shown = await client.get("/report/genuine", params={"brand": "hung thinh"})
    assert guide["title"] in shown.text and owner.organisation in shown.text
    for written in ("HƯNG-THỊNH®", "hưng  thịnh.", "HungThinh"):  # one mark, typed otherwise
        assert guide["title"] in (await client.get("/report/genuine",
                                                   params={"brand": written})).text, written
    assert guide["title"] not in (await client.get("/report/genuine",
                                                   params={"brand": "Hưng Thịnh Phát"})).text
    [photo] = re.findall(r'src="(/genuine/\d+/photos/\d+)"', shown.text)
    served = await client.get(photo)
    assert served.status_code == 200 and served.headers["content-disposition"] == "inline"
    assert b"PhoneMaker" not in served.content
    assert guide["title"] in (await client.get("/genuine")).text
    assert (await client.get("/report/genuine", params={"brand": "Khác"})).text.strip() == ""
    # Without JavaScript: the form that comes back shows the guide of the brand typed.
    again = await post_report(client, {**VALID_REPORT, "description": ""})
    assert again.status_code == 400 and guide["title"] in again.text
    # Files of guides and registrations are not orphans to the sweep.
    store = app.state.intake.store
    for name in [*await GuidePhoto.all().values_list("storage_name", flat=True),
                 *await BrandOwnerDocument.all().values_list("storage_name", flat=True)]:
        path = store.path_of(name)
        old = path.stat().st_mtime - 7200
        os.utime(path, (old, old))
    assert await sweep_orphans(store, min_age_seconds=3600) == 0
    # An officer takes a misleading guide off the public pages; it stays the owner's draft.
    published_guide = int(photo.split("/")[2])
    async with staff(app, "officer") as officer:
        token = await csrf_token(officer, f"/staff/brand-owners/{owner.id}")
        assert guide["title"] in (await officer.get(f"/staff/brand-owners/{owner.id}")).text
        assert (await officer.post(
            f"/staff/brand-owners/{owner.id}/guides/{published_guide}/take-down",
            data={"csrf_token": token})).status_code == 303
    assert guide["title"] not in (await client.get("/genuine")).text
    assert (await client.get(photo)).status_code == 404
    assert await AuditEvent.exists(action="genuine_guide_taken_down")
    await GenuineGuide.filter(id=published_guide).update(published=True)
    assert (await decide(app, owner.id, "revoke", "Hết quyền.")).status_code == 303
    assert guide["title"] not in (await client.get("/genuine")).text
    assert (await client.get(photo)).status_code == 404


async def test_no_owner_is_asked_when_the_province_turns_it_off(mail_settings, smtp_server):
    config = Path(mail_settings.config_dir)
    (config / "brand_owners.toml").write_text("ask_automatically = false\n"
                                              "opinion_working_days = 10\n", encoding="utf-8")
    async with running_app(mail_settings) as application:
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES)
        await verified_owner(application)
        async with browser(application) as client:
            case = await reported(client, application)
        assert not await BrandInquiry.exists(case_id=case.id)
