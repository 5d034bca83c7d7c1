"""Which kinds of mail go to people outside the agencies — a reporter, a follower, a citizen who
added to a case, a business, a brand owner. Such a mail says who writes and how to check that
it is genuine (workflows/mail/rendering.py adds templates/email/_genuine.*), is answered by a
person (its Reply-To: workflows.mail.answering), and its failure pages nobody and its address
is never printed (workflows.mail.outbox). An action's own mail to its reporter (`reporter_mail`,
named after the action) is one of them, by its declaration."""

from __future__ import annotations

from workflows.cases.states import EVENTS

OUTSIDE_KINDS = frozenset({
    "citizen_ack", "reply_notice", "question_notice", "resolution_notice", "review_decision",
    "reporter_link", "explanation_request", "follow_confirmation", "follow_update",
    "brand_inquiry", "brand_photo_notice", "brand_owner_verified", "brand_owner_refused", "brand_owner_revoked",
    "brand_sign_in",
}) | frozenset(event.name for event in EVENTS.values() if "reporter_mail" in event.notices)
