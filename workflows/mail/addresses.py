"""Email addresses, checked by a maintained library (email-validator: syntax, internationalised
domains, normalisation; no lookups). An address is one mailbox: no display name, group,
comment, quoted local part, list or IP literal, so one address is always one recipient."""

from __future__ import annotations

from email.headerregistry import HeaderRegistry

from email_validator import EmailNotValidError, validate_email


class NotAMailbox(ValueError):
    """Not one deliverable mailbox; the message (English, from the library) says why."""


def _checked(text: str) -> tuple[str, str]:
    try:
        found = validate_email(text, check_deliverability=False, allow_smtputf8=False,
                               allow_quoted_local=False, allow_domain_literal=False,
                               allow_display_name=False, strict=True)
    except EmailNotValidError as error:
        raise NotAMailbox(str(error)) from None
    if "=?" in found.local_part:
        # Legal characters, but "=?...?=" is an encoded word: mail libraries decode it in a
        # header, turning one address into a group, a display name or a NUL.
        raise NotAMailbox("an encoded word (=?…?=) is not part of an address")
    return found.normalized, found.ascii_email or found.normalized


def mailbox(text: str) -> str:
    """The address as it is stored and shown (domain lowercased, an IDN in Unicode)."""
    return _checked(text.strip())[0]


# Providers that deliver "j.o.h.n@" to "john@": the dots say nothing of the mailbox.
DOTS_IGNORED = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_key(text: str) -> str:
    """One key per mailbox, for the limits that count mail sent to an address (never to send
    to): case-folded, without a "+tag" (which most providers deliver to the same mailbox),
    without the dots a provider ignores. "Victim+1@Gmail.com" and "v.i.c.t.i.m@googlemail.com"
    are one mailbox, and one allowance."""
    local, _, domain = mailbox(text).casefold().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED:
        local, domain = local.replace(".", ""), DOTS_IGNORED[domain]
    return f"{local}@{domain}"


def ascii_mailbox(text: str) -> str:
    """The address as it travels by SMTP (an IDN domain in its xn-- form)."""
    return _checked(text.strip())[1]


def sender(text: str) -> tuple[str, str]:
    """The configured sender, "Name <address>": exactly one address, which may be local
    (no-reply@localhost on a workstation), and no header injection."""
    if any(char in text for char in "\r\n"):
        raise NotAMailbox("a sender is one line")
    try:
        header = HeaderRegistry()("from", text)
    except Exception:  # the standard library's parser raises on some group syntaxes
        raise NotAMailbox("give one address, e.g. Intake <no-reply@example.gov.vn>") from None
    addresses = header.addresses  # type: ignore[attr-defined]
    groups = header.groups  # type: ignore[attr-defined]
    if (header.defects or len(addresses) != 1 or groups[0].display_name is not None
            or not addresses[0].domain):
        raise NotAMailbox("give one address, e.g. Intake <no-reply@example.gov.vn>")
    return str(addresses[0].display_name), str(addresses[0].addr_spec)
