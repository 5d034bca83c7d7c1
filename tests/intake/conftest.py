"""Staff accounts of every role and a few cases, shared by the back-office tests."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import REPORTER, VALID_REPORT, csrf_token, jpeg_with_gps, post_report
from workflows.access.accounts import create_user
from workflows.cases.models import Case

PASSWORD = "mật-khẩu-đủ-dài-1"
AGENCIES = {"qltt", "khcn", "bvntd", "syt", "snnmt", "pc03"}
ACCOUNTS = {
    "officer": ("can-bo@tinh.gov.vn", "officer", None),
    "qltt": ("thanh-tra@qltt.gov.vn", "inspector", "qltt"),
    "khcn": ("thanh-tra@khcn.gov.vn", "inspector", "khcn"),
    "qltt_lead": ("truong-phong@qltt.gov.vn", "lead", "qltt"),
    "analyst": ("thong-ke@tinh.gov.vn", "analyst", None),
    "admin": ("quan-tri@tinh.gov.vn", "admin", None),
    "committee": ("bcd389@tinh.gov.vn", "committee", None),
}


@pytest.fixture
async def accounts(app):
    for email, role, agency in ACCOUNTS.values():
        await create_user(email, PASSWORD, role, agency, AGENCIES)


async def sign_in(client: httpx.AsyncClient, who: str, password: str = PASSWORD,
                  follow: str = "/staff/queue") -> httpx.Response:
    token = await csrf_token(client, "/staff/login")
    return await client.post("/staff/login", data={"email": ACCOUNTS[who][0].upper(),
                                                   "password": password, "next": follow,
                                                   "csrf_token": token})


@pytest.fixture
async def cases(client):
    """A counterfeit case (qltt) with a photo and a named reporter, a labelling case (khcn)
    and a case for the triage queue."""
    await post_report(client, {**VALID_REPORT, **REPORTER}, [("tem.jpg", jpeg_with_gps(), "image/jpeg")])
    await post_report(client, {**VALID_REPORT, "category": "labelling",
                               "product_name": "Dầu gội Clear giả"})
    await post_report(client, {**VALID_REPORT, "category": "food_safety", "product_group": "other",
                               "product_name": "Thực phẩm chức năng không rõ nguồn gốc"})
    return {case.category: case for case in await Case.all()}
