"""Staff accounts: who may work in the back office, in which role and agency."""

from __future__ import annotations

import unicodedata

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from workflows.access.models import StaffSession, StaffUser
from workflows.access.passwords import hash_password
from workflows.access.roles import AGENCY_ROLES, COMMITTEE, ROLES
from workflows.audit import security
from workflows.audit.log import Actor, append_event
from workflows.mail.addresses import NotAMailbox, mailbox

MIN_PASSWORD_CHARS = 10


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


# Accounts are made and switched on and off from the command line.
OPERATOR = Actor("system", "cli")


async def create_user(email: str, password: str, role: str, agency_code: str | None,
                      known_agencies: set[str], name: str = "",
                      actor: Actor = OPERATOR, personal_data: bool = False) -> StaffUser:
    """`personal_data`: a steering-committee account that may see the reporters' personal
    data (every other role sees it by its work, or never)."""
    try:
        email = normalize_email(mailbox(email))
    except NotAMailbox as refused:
        raise AccountError(f"{email!r} is not one email address: {refused}") from None
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if role in AGENCY_ROLES and agency_code not in known_agencies:
        raise AccountError(f"a {role} belongs to one agency: give --agency "
                           f"({', '.join(sorted(known_agencies))})")
    if role not in AGENCY_ROLES and agency_code:
        raise AccountError(f"a {role} is not tied to an agency: leave out --agency")
    if personal_data and role != COMMITTEE:
        raise AccountError("--personal-data is granted to a committee account only")
    if any(unicodedata.category(char)[0] == "C" for char in name):
        raise AccountError("the name may not hold control or direction characters")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_CHARS} characters")
    try:
        user = await StaffUser.create(email=email, name=name.strip(), role=role,
                                      agency_code=agency_code if role in AGENCY_ROLES else None,
                                      password_hash=hash_password(password),
                                      personal_data=personal_data)
    except IntegrityError:
        raise AccountError(f"an account for {email} already exists") from None
    await security.record(actor, security.ACCOUNT_CREATED, account=user.id, role=user.role,
                          agency=user.agency_code, personal_data=personal_data)
    return user


async def set_active(email: str, active: bool, actor: Actor = OPERATOR) -> StaffUser:
    """Disable (or enable) an account; disabling ends all its sessions at once."""
    user = await StaffUser.get_or_none(email=normalize_email(email))
    if user is None:
        raise AccountError(f"no account for {normalize_email(email)}")
    async with in_transaction() as connection:
        await StaffUser.filter(id=user.id).using_db(connection).update(active=active)
        if not active:
            await StaffSession.filter(user_id=user.id).using_db(connection).update(revoked=True)
        await append_event(connection, case=None, actor=actor,
                           action=security.ACCOUNT_ENABLED if active else security.ACCOUNT_DISABLED,
                           after={"account": user.id})
    user.active = active
    return user
