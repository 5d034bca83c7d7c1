"""Each witness gets the day's signed checkpoint by mail, once, and what arrives is a note that
`intake audit verify` accepts as a held copy."""

from __future__ import annotations

import datetime as dt

from tests.conftest import browser, running_app
from tests.helpers import post_report, wait_for
from workflows.audit.notes import Checkpoint
from workflows.audit.sequencer import run_sequencer
from workflows.audit.verify import verify_log
from workflows.mail.digests import queue_due_checkpoints
from workflows.mail.models import OutboxMessage


async def test_every_witness_receives_the_days_checkpoint_once(mail_settings, smtp_server):
    async with running_app(mail_settings) as app, browser(app) as client:
        context = app.state.intake
        # The witnesses as the shipped config/audit.toml and agencies.toml make them.
        witnesses = context.reference.witnesses.recipients(context.reference.agencies.values())
        assert len(witnesses) > 1
        await post_report(client)
        await run_sequencer(context.signer, force=True, wait=True)
        now = dt.datetime.now(dt.UTC)
        notifier = context.outbox_sender.notifier
        assert await queue_due_checkpoints(notifier, 0, now) == len(witnesses)
        assert await queue_due_checkpoints(notifier, 0, now) == 0  # once a day
        context.outbox_sender.wake()
        await wait_for(lambda: all(smtp_server.handler.to(address) for address in witnesses))
        assert await OutboxMessage.filter(kind="checkpoint").count() == len(witnesses)

        [mail] = smtp_server.handler.to("bcd389@example.gov.vn")
        assert mail.message["Subject"].startswith("Điểm kiểm tra sổ nhật ký kiểm toán ngày")
        text = mail.part("plain")
        head = Checkpoint.parse(context.signer.verifier.open(text.split(
            "-----BEGIN CHECKPOINT-----\n")[1].split("-----END CHECKPOINT-----")[0]))
        assert head.size >= 2 and f"{head.size} mục" in mail.message["Subject"]
        # The whole mail, kept as it came, serves as a held checkpoint.
        report = await verify_log(context.signer.verifier, {"mail": text})
        assert report.intact and report.roots_matched >= 2


async def test_no_checkpoint_mail_before_the_hour_or_without_a_checkpoint(mail_settings):
    async with running_app(mail_settings) as app:
        notifier = app.state.intake.outbox_sender.notifier
        morning = dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC)  # 06:00 in Vietnam
        assert await queue_due_checkpoints(notifier, 7, morning) == 0
        assert await queue_due_checkpoints(notifier, 0, morning) == 0  # nothing signed yet
