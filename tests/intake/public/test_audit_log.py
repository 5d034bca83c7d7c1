"""The audit log seen from outside: the fixed URLs a witness polls, and the citizen's receipt,
proof page and proof file. Checked with the verifier's arithmetic, never the server's word."""

from __future__ import annotations

import base64
import html
import json
from dataclasses import replace

import pytest

from tests.conftest import browser, running_app
from tests.helpers import REPORTER, VALID_REPORT, post_report, settled, wait_for
from workflows.audit import merkle
from workflows.audit.models import AuditEvent
from workflows.audit.notes import Checkpoint, Verifier
from workflows.audit.sequencer import run_sequencer
from workflows.cases.models import Case


def b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


async def file_and_integrate(app, client, count: int) -> list[str]:
    codes = []
    for _ in range(count):
        response = await post_report(client)
        assert response.status_code == 303
        codes.append(response.headers["location"].rsplit("/", 1)[1])
    await run_sequencer(app.state.intake.signer, force=True, wait=True)
    return codes


async def published_head(client) -> tuple[Verifier, Checkpoint, str]:
    key = await client.get("/audit/key")
    assert key.headers["content-type"].startswith("text/plain")
    verifier = Verifier.from_vkey(key.text)
    note = await client.get("/audit/checkpoint")
    assert note.status_code == 200 and note.headers["content-type"].startswith("text/plain")
    return verifier, Checkpoint.parse(verifier.open(note.text)), note.text


async def test_a_new_installation_publishes_a_signed_checkpoint_of_its_empty_log(client):
    verifier, head, _ = await published_head(client)
    assert (head.size, head.root) == (0, merkle.EMPTY_ROOT)
    assert head.origin == verifier.name == "testserver/audit"


async def test_inclusion_and_consistency_proofs_verify_against_signed_checkpoints(app, client):
    await file_and_integrate(app, client, 2)
    _, old, _ = await published_head(client)
    await file_and_integrate(app, client, 3)
    _, new, _ = await published_head(client)
    assert (old.size, new.size) == (4, 10)

    for index in range(new.size):
        proof = (await client.get(f"/audit/proof/inclusion?index={index}&size={new.size}")).json()
        leaf, path = b64(proof["leaf_hash"]), [b64(item) for item in proof["inclusion"]]
        assert merkle.root_from_inclusion(index, new.size, leaf, path) == new.root
        assert b64(proof["root_hash"]) == new.root

    answer = await client.get(f"/audit/proof/consistency?from={old.size}&to={new.size}")
    body = answer.json()
    assert answer.headers["access-control-allow-origin"] == "*"
    path = [b64(item) for item in body["consistency"]]
    assert merkle.consistent(old.size, new.size, old.root, new.root, path)
    assert not merkle.consistent(old.size, new.size, new.root, new.root, path)

    history = (await client.get("/audit/checkpoints")).json()["checkpoints"]
    sizes = [item["tree_size"] for item in history]  # the background sequencer may add some
    assert {4, 10} <= set(sizes) and sizes == sorted(set(sizes)) and sizes[-1] == 10
    verifier, _, _ = await published_head(client)
    for item in history:
        assert Checkpoint.parse(verifier.open(item["checkpoint"])).size == item["tree_size"]
    assert (await client.get("/audit/checkpoints?after=4")).json()["checkpoints"][0][
        "tree_size"] == 10


@pytest.mark.parametrize(("query", "status", "message"), [
    ("/audit/proof/inclusion?index=0", 400, "size must be a whole number"),
    ("/audit/proof/inclusion?index=-1&size=2", 400, "index must be a whole number"),
    ("/audit/proof/inclusion?index=1e3&size=2", 400, "index must be a whole number"),
    ("/audit/proof/inclusion?index=%EF%BC%91&size=2", 400, "index must be a whole number"),
    ("/audit/proof/inclusion?index=0&size=" + "9" * 19, 400, "at most 18 digits"),
    ("/audit/proof/inclusion?index=0&size=99", 404, "has not reached size 99"),
    ("/audit/proof/inclusion?index=2&size=2", 404, "no leaf 2 in a tree of 2"),
    ("/audit/proof/consistency?from=0&to=2", 404, "no consistency proof from 0"),
    ("/audit/proof/consistency?from=3&to=2", 404, "no consistency proof from 3"),
    ("/audit/proof/consistency?from=1", 400, "to must be a whole number"),
    ("/audit/checkpoints?after=x", 400, "after must be a whole number"),
])
async def test_a_malformed_or_impossible_proof_request_is_told_why(app, client, query, status,
                                                                   message):
    await file_and_integrate(app, client, 1)
    answer = await client.get(query)
    assert answer.status_code == status
    assert message in answer.json()["error"]


async def test_the_citizen_gets_a_leaf_index_and_a_proof_any_verifier_accepts(app, client):
    response = await post_report(client)
    receipt = await client.get(response.headers["location"])
    case = await Case.get()
    filed = await AuditEvent.get(case_id=case.id, action="created")
    assert f'id="leaf-index">{filed.seq - 1}<' in receipt.text
    assert f"/track/{case.tracking_code}/proof" in receipt.text

    # Asked before the sequencer's next round: the proof is made on demand.
    proof = await client.get(f"/track/{case.tracking_code}/proof.json")
    assert proof.status_code == 200
    body = proof.json()
    assert set(body) == {"leaf_index", "tree_size", "entry", "inclusion", "checkpoint"}
    verifier, _, _ = await published_head(client)
    head = Checkpoint.parse(verifier.open(body["checkpoint"]))
    entry = b64(body["entry"])
    assert body["leaf_index"] == filed.seq - 1 and body["tree_size"] == head.size
    assert merkle.root_from_inclusion(body["leaf_index"], head.size, merkle.leaf_hash(entry),
                                      [b64(item) for item in body["inclusion"]]) == head.root
    # The entry is the filing's public facts: nothing of what the reporter wrote.
    facts = json.loads(entry)
    assert facts["case"] == case.tracking_code and facts["action"] == "created"
    assert facts["facts"] == {"category": "counterfeit", "intake_channel": "web"}
    for private in ("Nước mắm", "Sạp số 12", "Chợ Đầm", "mùi lạ"):
        assert private not in entry.decode()

    page = await client.get(f"/track/{case.tracking_code}/proof")
    assert page.status_code == 200
    assert 'id="verified"' in page.text and "Đã kiểm chứng" in page.text
    assert f"là mục số {filed.seq - 1} của sổ nhật ký" in page.text
    assert verifier.vkey in page.text


async def test_a_proof_for_an_unknown_code_is_not_found_and_counts_as_a_look_up(settings):
    async with running_app(replace(settings, track_rate_limit=3)) as app, browser(app) as client:
        for suffix in ("proof", "proof.json", "proof"):
            assert (await client.get(f"/track/ZZZZZZZZZZ/{suffix}")).status_code == 404
        # The proof pages cannot be used to test codes beyond the hourly allowance.
        assert (await client.get("/track/ZZZZZZZZZZ/proof.json")).status_code == 429
        assert (await client.get("/track?code=ZZZZZZZZZZ")).status_code == 429


async def test_the_acknowledgement_mail_gives_the_leaf_index(mail_settings, smtp_server):
    async with running_app(mail_settings) as app, browser(app) as client:
        await post_report(client, {**VALID_REPORT, **REPORTER})
        await wait_for(lambda: len(smtp_server.handler.to(REPORTER["reporter_email"])) == 1)
        case = await Case.get()
        filed = await AuditEvent.get(case_id=case.id, action="created")
        [ack] = smtp_server.handler.to(REPORTER["reporter_email"])
        text = ack.part("plain")
        assert f"Số mục trong sổ nhật ký kiểm toán công khai: {filed.seq - 1}" in text
        assert f"http://testserver/track/{case.tracking_code}/proof" in text
        assert (await settled(kind="citizen_ack")).status == "sent"


async def test_the_open_data_page_prints_the_latest_checkpoint(app, client):
    await file_and_integrate(app, client, 1)
    page = await client.get("/open-data")
    note = html.unescape(page.text.split('<pre class="note" id="checkpoint">')[1]
                         .split("</pre>")[0])
    verifier, head, published = await published_head(client)
    assert note == published and verifier.open(note)
