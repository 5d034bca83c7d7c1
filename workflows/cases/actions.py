"""What a case's events say, declared once each: its sentence in the staff timeline, what the
public learns of it (or that it learns nothing), and the mail it causes. The workflow's own
actions carry this in their transition (`workflows.cases.states.TRANSITIONS`); the events
recorded outside the workflow (a report filed, a note, a reply, a business's answer…) are
declared here. `workflows.cases.states.EVENTS` joins both, and everything else reads it:
the timeline (`history`), the public updates and Open311 (`updates`, `intake.api.updates`)
and the mail (`workflows.mail.notifications`, which checks at import that every notice named
here exists). Recording an event nobody declared is refused (`CaseEvents.record`)."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.i18n.messages import N_

# Where an event's public words come from, when it has its own.
SAID = "said"  # what staff wrote for the reporter and the public (the event's "body")
OUTCOME = "outcome"  # the case's public outcome


@dataclass(frozen=True)
class Told:
    """What the public learns of an event: a public update — in Open311's feed (its words,
    or the sentence), in the followers' mail (the new status, and its words or the sentence)
    and, through the status and the words, on /track."""

    sentence: str  # a gettext id: what the update says when the event brings no words
    words: str = ""  # SAID, OUTCOME or "": where its own words come from
    # Told whatever the status (a reply); otherwise only when the event changed the status.
    always: bool = False
    fms_status: str = ""  # FixMyStreet's word for it, when not the status's ("duplicate")


NOT_PUBLIC = None  # an event's `told` when the public learns nothing of it


@dataclass(frozen=True)
class Event:
    name: str
    # A gettext id, with the {placeholders} workflows.cases.history fills; "" for a kind of
    # public update that is never an audit event of its own (JOINED_OUTCOME).
    history: str
    told: Told | None
    # The mail it causes, by notice name (workflows.mail.notifications.NOTICE_FUNCTIONS).
    notices: tuple[str, ...]
    # Its audit reason is machine text (a routing rule, a mail server's refusal), not words
    # a person wrote.
    machine_reason: bool = False
    in_timeline: bool = True  # False: kept for auditors only (every page view)


# What the reporters of the duplicates joined to a case learn when it is resolved: a public
# update of their own case, made by the resolution of the other.
JOINED_OUTCOME = "joined_outcome"
SEALED = "sealed"

OTHER_EVENTS: tuple[Event, ...] = (
    Event("created", N_("Report received ({channel})"), NOT_PUBLIC, ("citizen_ack",)),
    Event("routed", N_("Routed automatically: {routing}"), NOT_PUBLIC, ("agency_alert",),
          machine_reason=True),
    Event("note_added", N_("Internal note added"), NOT_PUBLIC, ()),
    Event("public_reply", N_("Public reply sent to the reporter"),
          Told(N_("The agency answered."), SAID, always=True), ("reply_notice",)),
    Event("public_question", N_("Question sent to the reporter"),
          Told(N_("The agency asked the reporter a question."), SAID, always=True),
          ("question_notice",)),
    Event("reporter_followup", N_("The reporter added information"), NOT_PUBLIC,
          ("addition_notice",)),
    # Someone else's comment on the report, sent by the app that filed it (FixMyStreet sends
    # every comment): for staff, answering nothing the agency asked the reporter.
    Event("app_user_comment", N_("Another user of the app that sent the report commented"),
          NOT_PUBLIC, ()),
    Event("feedback_given",
          N_("The reporter answered whether they are satisfied with the outcome"), NOT_PUBLIC,
          ("review_notice",)),
    Event("review_declined", N_("Review of the outcome declined"),
          Told(N_("The agency decided not to review the outcome."), SAID, always=True),
          ("review_decision",)),
    Event("evidence_downloaded", N_("Evidence file downloaded"), NOT_PUBLIC, ()),
    Event("evidence_viewed", N_("Evidence photo shown on the case page"), NOT_PUBLIC, (),
          in_timeline=False),
    Event("case_viewed", N_("Case viewed"), NOT_PUBLIC, (), in_timeline=False),
    Event("explanation_answered", N_("The business sent its explanation"), NOT_PUBLIC,
          ("explanation_notice",)),
    Event("explanation_published",
          N_("A summary of the business's explanation was published"),
          Told(N_("The agency published a summary of the business's explanation."), SAID,
               always=True), ()),
    Event("explanation_withdrawn", N_("The request for an explanation was withdrawn"),
          NOT_PUBLIC, ()),
    Event("supporting_report",
          N_("Another citizen reported the same goods and added to this case"), NOT_PUBLIC,
          ("supporter_notice",)),
    Event("brand_owner_asked", N_("The verified owner of the brand was asked whether the "
                                  "goods are genuine, by {opinion_due}"), NOT_PUBLIC,
          ("brand_inquiry",)),
    Event("brand_opinion", N_("The brand owner gave its opinion: {verdict}"), NOT_PUBLIC,
          ("brand_opinion_notice",)),
    Event("brand_inquiry_withdrawn", N_("The inquiry to a brand owner was withdrawn"),
          NOT_PUBLIC, ()),
    Event("photo_shared", N_("A photo of the goods was shown to the brand owners asked"),
          NOT_PUBLIC, ("brand_photo_notice",)),
    Event("photo_withheld", N_("A photo of the goods is no longer shown to the brand owners"),
          NOT_PUBLIC, ()),
    Event("alert_undelivered", N_("The alert mail to the agency could not be delivered: phone "
                                  "the agency"), NOT_PUBLIC, (), machine_reason=True),
    Event(SEALED, N_("Sealed ({why}): the public and outside parties learn nothing more "
                     "({links} outside links closed, {followers} followers no longer mailed)"),
          NOT_PUBLIC, ()),
    Event(JOINED_OUTCOME, "",
          Told(N_("The agency has finished its work on the report this one repeats."),
               OUTCOME, always=True, fms_status="duplicate"), ()),
)
