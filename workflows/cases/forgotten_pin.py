""""Quên mã PIN?": a reporter who lost their receipt types their tracking code and the email
or phone number they left; a link to their page goes to that contact on file, and only
there. Whoever asks is told the same whether or not the two match (tracking codes are
public), and asking is limited per network (a look-up), per code and per contact — however
the email is written (workflows.mail.addresses.mailbox_key) or the number
(workflows.cases.phones) — so no one can use it to mail or text a stranger again and again."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from workflows.access.limits import Allowance, spend
from workflows.cases.models import Case
from workflows.cases.phones import stored_number
from workflows.cases.public_view import find_case
from workflows.cases.refusals import InvalidInput
from workflows.cases.tracking import normalize_tracking_code
from workflows.i18n.messages import N_, Errors, Problem
from workflows.mail.addresses import NotAMailbox, mailbox_key

TOO_MANY_LINKS = N_("Too many links were asked for this report or this contact in the last "
                    "hour. Please try again after {time}.")
# Links asked an hour for one tracking code, and for one contact, from anywhere.
LINKS_PER_CODE = Allowance("pin-link-code", 3, TOO_MANY_LINKS)
LINKS_PER_CONTACT = Allowance("pin-link-contact", 3, TOO_MANY_LINKS)
WRONG_CONTACT = N_("Give the email address or the phone number you left with your report.")
NO_CODE = N_("Enter your report's tracking code.")

# Sends the link to the case's reporter by "mail" or "sms", in the transaction given.
LinkSender = Callable[..., Awaitable[None]]


def contact_key(typed: str) -> str | None:
    """One key per mailbox or number, however it is written; None if it is neither."""
    typed = typed.strip()
    if "@" in typed:
        try:
            return "mail:" + mailbox_key(typed)
        except NotAMailbox:
            return None
    number = stored_number(typed)
    return "phone:" + number if number else None


def _keys_on_file(case: Case) -> dict[str, str]:
    """The case's contacts the reporter agreed to be reached at: key -> channel."""
    if not case.consent:
        return {}
    found = {}
    if case.reporter_email and (key := contact_key(case.reporter_email)):
        found[key] = "mail"
    if case.reporter_phone and (key := contact_key(case.reporter_phone)):
        found[key] = "sms"
    return found


def _digest(secret_key: str, text: str) -> str:
    """What the counters keep of a contact: a keyed digest, never the address itself."""
    return hmac.new(secret_key.encode(), text.encode(), hashlib.sha256).hexdigest()[:40]


@dataclass(frozen=True)
class LinkAsked:
    """A request whose limits were charged: the code as typed and the contact's key."""

    code: str | None
    contact: str


async def charge_link_request(typed_code: str, typed_contact: str, address: str,
                              lookups: Allowance, secret_key: str,
                              now: dt.datetime | None = None) -> LinkAsked:
    """Every limit of one request, charged before anything about the case is read
    (RateLimited); a contact that is no address nor number is an InvalidInput. The caller
    answers the same whatever `send_if_on_file` then finds, and calls it only after it has
    answered, so that not even the time taken tells whether the two match."""
    now = now or dt.datetime.now(dt.UTC)
    errors: Errors = {}
    if not typed_code.strip():
        errors["code"] = Problem(NO_CODE)
    key = contact_key(typed_contact)
    if key is None:
        errors["contact"] = Problem(WRONG_CONTACT)
    if errors or key is None:
        raise InvalidInput(errors)
    code = normalize_tracking_code(typed_code)
    await spend(lookups, address, now)
    await spend(LINKS_PER_CODE, f"code:{_digest(secret_key, code or typed_code[:40])}", now)
    await spend(LINKS_PER_CONTACT, f"contact:{_digest(secret_key, key)}", now)
    return LinkAsked(code, key)


async def send_if_on_file(asked: LinkAsked, send: LinkSender,
                          now: dt.datetime | None = None) -> None:
    """Send the link if the code and the contact belong together; nothing otherwise."""
    case = await find_case(asked.code)
    channel = _keys_on_file(case).get(asked.contact) if case else None
    if case is None or channel is None:
        return
    async with in_transaction() as connection:
        await send(connection, case, channel, now or dt.datetime.now(dt.UTC))
