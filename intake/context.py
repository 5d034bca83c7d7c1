"""What handlers need, built once at start and kept on `app.state.intake`, typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.templating import Jinja2Templates

from intake.links import RouteLinks
from intake.settings import Settings, store_for
from intake.sms_links import delivery_urls
from workflows.access.limits import Allowance, Allowances
from workflows.audit.notes import Signer
from workflows.audit.sequencer import LogSequencer
from workflows.cases.events import CaseEvents
from workflows.cases.filing import FilingService
from workflows.cases.sealing import Sealer
from workflows.cases.states import EVENTS
from workflows.cases.updates import record_public_update
from workflows.evidence.storage import EvidenceStore
from workflows.evidence.uploads import EvidencePolicy
from workflows.figures.export_limits import PdfQueue, export_allowance
from workflows.i18n.translations import Translator
from workflows.mail.kannel import KannelSender
from workflows.mail.log_alarm import LogAlarm
from workflows.mail.notifications import Notifier
from workflows.mail.outbox import RetryPolicy
from workflows.mail.sender import OutboxSender
from workflows.mail.sms import use_sms_policy
from workflows.mail.smtp import SmtpSender
from workflows.parties.brand_asking import BrandOwnerAsker
from workflows.reference.loading import ReferenceData, load_reference


@dataclass(frozen=True)
class AppContext:
    settings: Settings
    reference: ReferenceData
    templates: Jinja2Templates
    store: EvidenceStore
    allowances: Allowances
    events: CaseEvents  # records what happens to cases; its listener queues the mail
    filing: FilingService
    outbox_sender: OutboxSender
    signer: Signer  # the audit log's key: signs its checkpoints
    sequencer: LogSequencer
    export_allowance: Allowance  # downloads of figures per staff account per hour
    pdf_queue: PdfQueue  # this worker's PDFs being made and waiting
    sms_sender: OutboxSender | None = None  # when INTAKE_SMS_URL names a gateway

    def wake_senders(self) -> None:
        """Something was queued outside an event: send it now rather than at the next poll."""
        waking(self.outbox_sender, self.sms_sender)()


def build_context(settings: Settings, routes: list[BaseRoute],
                  templates: Jinja2Templates) -> AppContext:
    # A broken config/ file stops the start here.
    reference = load_reference(settings.config_dir).read_in_full()
    store = store_for(settings)
    notifier = Notifier(RouteLinks(routes, settings.base_url, settings.secret_key), reference)
    sender = create_outbox_sender(settings, notifier)
    sms_sender = create_sms_sender(settings, notifier, routes)
    # The sealer first: every other listener of an event that takes a case to the police
    # already sees it sealed. The notifier before the asker: the mail of an event is queued
    # before the brand owners it causes to be asked are.
    events = CaseEvents([Sealer(reference.agencies), record_public_update, notifier,
                         BrandOwnerAsker(reference)],
                        after_commit=waking(sender, sms_sender),
                        declared=EVENTS.keys())
    allowances = Allowances.per_hour(settings.report_rate_limit, settings.track_rate_limit,
                                     settings.followup_rate_limit, settings.api_client_rate_limit)
    policy = EvidencePolicy(settings.max_attachments, settings.max_attachment_bytes,
                            settings.max_image_pixels, settings.max_request_pixels,
                            settings.image_decoders, settings.image_seconds,
                            settings.image_memory_mb)
    filing = FilingService(reference, store, events, settings.secret_key, policy,
                           allowances.report, settings.max_description_chars,
                           allowances.client_report)
    signer = settings.audit_signer()
    # A refusal to sign or log is mailed to the witnesses, whose copies it concerns.
    sequencer = LogSequencer(signer, dt.timedelta(seconds=settings.checkpoint_seconds),
                             clock_skew=settings.audit_clock_skew,
                             alarm=LogAlarm(notifier, sender.wake))
    return AppContext(settings, reference, templates, store, allowances, events, filing, sender,
                      signer, sequencer, export_allowance(settings.export_rate_limit),
                      PdfQueue(settings.pdf_renders, settings.pdf_queue), sms_sender)


def create_outbox_sender(settings: Settings, notifier: Notifier) -> OutboxSender:
    return OutboxSender(
        SmtpSender(settings.smtp),
        _retry_policy(settings),
        notifier,
        digest_hour=settings.digest_hour,
        lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
        poll_seconds=settings.outbox_poll_seconds,
    )


def create_sms_sender(settings: Settings, notifier: Notifier,
                      routes: list[BaseRoute]) -> OutboxSender | None:
    """The SMS channel's sender, when a gateway is set; the mail sender keeps the schedule.
    Sets the SMS caps every `enqueue_sms` of this process obeys."""
    use_sms_policy(settings.sms.policy)
    if not settings.sms.gateway.configured:
        return None
    reports_to = delivery_urls(routes, settings.sms.delivery_base_url or settings.base_url,
                               settings.secret_key)
    return OutboxSender(
        KannelSender(settings.sms.gateway, reports_to),
        _retry_policy(settings),
        notifier,
        digest_hour=None,
        lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
        poll_seconds=settings.outbox_poll_seconds,
        housekeeping=False,
    )


def _retry_policy(settings: Settings) -> RetryPolicy:
    return RetryPolicy(max_attempts=settings.outbox_max_attempts,
                       first_delay=dt.timedelta(seconds=settings.outbox_first_retry_seconds))


def waking(*senders: OutboxSender | None) -> Callable[[], None]:
    """Once a change has committed, its mail and SMS can go: wake their senders."""
    def wake() -> None:
        for sender in senders:
            if sender is not None:
                sender.wake()
    return wake


def app_context(request: Request) -> AppContext:
    context = request.app.state.intake
    assert isinstance(context, AppContext), "create_app() puts the context on app.state"
    return context


def translator(request: Request) -> Translator:
    """The visitor's language (LanguageMiddleware), with the configured agencies' names."""
    return app_context(request).reference.translator(request.state.language)
