"""Receiving the campaign's feedback: checked field by field as the report form is (the same
text, phone and mailbox rules), counted against the address's hourly allowance, stored in one
row with an audit event that names no one. Contact details are kept only with consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from tortoise.functions import Count
from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance, spend
from workflows.audit.log import Actor, append_event
from workflows.campaign.models import CampaignFeedback
from workflows.cases.field_kinds import email_address, known_commune, phone_number
from workflows.cases.refusals import InvalidInput
from workflows.cases.text import optional_words, required_words
from workflows.i18n.messages import N_, Errors, Problem
from workflows.reference.catalog import CAMPAIGN_KIND_CODES
from workflows.reference.places import Places

MAX_BODY_CHARS = 2000
# What each kind must name: a recommended product or shop is of no use unnamed.
SUBJECT_NEEDED = {"product": N_("Name the product you recommend."),
                  "shop": N_("Name the shop you recommend.")}
LIMITS = {"subject": 200, "brand": 200, "contact_name": 100, "contact_phone": 40,
          "contact_email": 254, "commune": 100}


def _optional(fields: Mapping[str, str], name: str, errors: Errors,
              then: Callable[[str], str | Problem] | None = None) -> str:
    """The field as typed and cleaned (then read by `then`), or "" with its problem noted."""
    written = optional_words(fields.get(name, ""), LIMITS[name])
    if isinstance(written, str) and then is not None:
        written = then(written)
    if isinstance(written, Problem):
        errors[name] = written
        return ""
    return written


def _contact(fields: Mapping[str, str], errors: Errors) -> dict[str, str]:
    """The name, phone and mailbox given, checked; none kept without consent."""
    contact = {"contact_name": _optional(fields, "contact_name", errors),
               "contact_phone": _optional(fields, "contact_phone", errors, phone_number),
               "contact_email": _optional(fields, "contact_email", errors, email_address)}
    if any(contact.values()) and fields.get("consent") not in ("1", "on"):
        errors["consent"] = Problem(N_("Tick the box to let the steering committee use your "
                                       "contact details, or leave them out."))
    return contact


def read_feedback(fields: Mapping[str, str], places: Places) -> dict[str, str]:
    """The feedback as it will be stored, or InvalidInput naming each field to fix."""
    errors: Errors = {}
    kind = fields.get("kind", "")
    if kind not in CAMPAIGN_KIND_CODES:
        errors["kind"] = Problem(N_("Choose what you are sending."))
    values = {"kind": kind, "subject": _optional(fields, "subject", errors),
              "brand": _optional(fields, "brand", errors)}
    if kind in SUBJECT_NEEDED and not values["subject"] and "subject" not in errors:
        errors["subject"] = Problem(SUBJECT_NEEDED[kind])
    body = required_words(fields.get("body", ""), N_("Write what you would like to say."),
                          MAX_BODY_CHARS)
    if isinstance(body, Problem):
        errors["body"] = body
    values["body"] = body if isinstance(body, str) else ""
    values["commune"] = _optional(fields, "commune", errors,
                                  lambda written: known_commune(written, places))
    values |= _contact(fields, errors)
    if errors:
        raise InvalidInput(errors)
    return values


async def receive(fields: Mapping[str, str], places: Places, language: str,
                  allowance: Allowance, address: str) -> CampaignFeedback:
    """Store one feedback (RateLimited when the address has sent too much this hour)."""
    values = read_feedback(fields, places)
    await spend(allowance, address)
    async with in_transaction() as connection:
        feedback = await CampaignFeedback.create(using_db=connection, language=language,
                                                 **values)
        await append_event(connection, case=None, actor=Actor.citizen(),
                           action="campaign_feedback_received",
                           after={"feedback": feedback.id, "kind": feedback.kind})
    return feedback


async def counts_by_kind(start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    """How many of each kind arrived in [start, end)."""
    rows = await CampaignFeedback.filter(created_at__gte=start, created_at__lt=end).annotate(
        count=Count("id")).group_by("kind").values_list("kind", "count")
    return {str(kind): int(count) for kind, count in rows}


async def latest(limit: int = 200) -> list[CampaignFeedback]:
    return await CampaignFeedback.all().order_by("-created_at").limit(limit)
