"""Evidence files in an S3-compatible object store, against a real local S3 server (moto's,
over HTTP on loopback): the same report, download and sweep as on a local disk, and a store
that refuses a write stores nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import boto3
import httpx
import pytest
from moto.server import ThreadedMotoServer

from tests.conftest import browser, running_app
from tests.helpers import VALID_REPORT, jpeg_with_gps, post_report
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD, sign_in
from tests.live import free_port
from workflows.access.accounts import create_user
from workflows.cases.models import Attachment, Case
from workflows.evidence.storage import EvidenceFile, S3Store
from workflows.evidence.sweep import sweep_orphans

BUCKET = "intake-evidence"


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in {"AWS_ACCESS_KEY_ID": "intake-test", "AWS_SECRET_ACCESS_KEY": "secret",
                        "AWS_DEFAULT_REGION": "ap-southeast-1"}.items():
        monkeypatch.setenv(name, value)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    httpx.post(f"{endpoint}/moto-api/reset")  # the server keeps its buckets per process
    boto3.client("s3", endpoint_url=endpoint).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    yield endpoint
    server.stop()


def objects(endpoint: str) -> list[str]:
    listing = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=BUCKET)
    return [item["Key"] for item in listing.get("Contents", [])]


async def test_a_report_s_photo_goes_to_the_bucket_and_comes_back_to_the_inspector(
        settings, s3_endpoint):
    in_bucket = replace(settings, s3_bucket=BUCKET, s3_endpoint_url=s3_endpoint)
    async with running_app(in_bucket) as app, browser(app) as client:
        await create_user(ACCOUNTS["qltt"][0], PASSWORD, "inspector", "qltt", AGENCIES)
        filed = await post_report(client, {**VALID_REPORT, "category": "counterfeit"},
                                  [("ảnh tem.jpg", jpeg_with_gps(), "image/jpeg")])
        assert filed.status_code == 303
        attachment = await Attachment.get()
        assert objects(s3_endpoint) == [f"attachments/{attachment.storage_name}"]
        assert not (settings.data_dir / "attachments").exists()  # nothing on the local disk

        await sign_in(client, "qltt")
        case = await Case.get()
        served = await client.get(f"/staff/cases/{case.tracking_code}/attachments/{attachment.id}")
        assert served.status_code == 200 and served.content[:3] == b"\xff\xd8\xff"
        assert served.headers["content-disposition"] == \
            "attachment; filename*=utf-8''%E1%BA%A3nh%20tem.jpg"
        assert served.headers["content-security-policy"] == "sandbox"


async def test_the_sweep_removes_objects_no_case_refers_to(settings, s3_endpoint):
    store = S3Store(BUCKET, endpoint_url=s3_endpoint)
    async with running_app(replace(settings, s3_bucket=BUCKET, s3_endpoint_url=s3_endpoint)):
        store.write("0123abcd.jpg", b"left by a crash", "image/jpeg")
        assert await sweep_orphans(store, min_age_seconds=3600) == 0  # too young: may be filing
        time.sleep(1.1)  # S3 keeps whole seconds
        assert await sweep_orphans(store, min_age_seconds=1) == 1
    assert objects(s3_endpoint) == []


async def test_a_bucket_that_refuses_the_file_stores_nothing_and_keeps_the_form(settings,
                                                                               s3_endpoint):
    missing = replace(settings, s3_bucket="no-such-bucket", s3_endpoint_url=s3_endpoint)
    async with running_app(missing) as app, browser(app) as client:
        response = await post_report(client, {**VALID_REPORT, "brand": "Hảo Hảo"},
                                     [("tem.jpg", jpeg_with_gps(), "image/jpeg")])
        assert response.status_code == 503 and "Chưa có gì được lưu" in response.text
        assert 'value="Hảo Hảo"' in response.text
        assert not await Case.exists()


def test_a_bucket_that_refuses_a_removal_leaves_the_file_for_the_sweep_and_says_so(
        s3_endpoint, caplog):
    """A filing that fails after writing its files removes them; a bucket that refuses the
    removal too must not hide why the filing failed (a 503 became a 500): the file, which no
    row names and nobody is served, is left for the sweep, and the log says which."""
    store = S3Store("no-such-bucket", endpoint_url=s3_endpoint)
    with pytest.raises(OSError, match="refused the removal"):
        store.delete("0123abcd.jpg")
    written = EvidenceFile("0123abcd.jpg", "tem.jpg", "image/jpeg", 3, "", "")
    store.discard([written, replace(written, storage_name="4567cdef.jpg")])
    assert "could not remove 0123abcd.jpg, left for the sweep" in caplog.text
    assert "could not remove 4567cdef.jpg, left for the sweep" in caplog.text
