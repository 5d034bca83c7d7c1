"""Signing in to the back office. Each attempt is counted per account and per address before
the password is checked (workflows.access.lockouts), and an unknown account is answered exactly
like a wrong password."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

from workflows.access.accounts import normalize_email
from workflows.access.limits import network
from workflows.access.lockouts import (
    SIGN_IN_PER_ACCOUNT,
    SIGN_IN_PER_ACCOUNT_AND_ADDRESS,
    SIGN_IN_PER_ADDRESS,
    LockedOut,
    forgive,
    reserve_attempts,
)
from workflows.access.models import StaffUser
from workflows.access.passwords import password_matches, rehashed
from workflows.audit import security
from workflows.audit.log import Actor
from workflows.i18n.messages import N_, Problem

WRONG = N_("The email or the password is not right.")


class SignInRefused(Exception):
    """Not signed in; `problem` says why, `locked` whether it is a lockout (429)."""

    def __init__(self, problem: Problem, locked: bool = False) -> None:
        super().__init__(problem.message)
        self.problem = problem
        self.locked = locked


def account_subject(email: str, secret_key: str) -> str:
    """What an account's counters are kept under: a keyed digest, so that whatever was typed
    as an email (a password, by mistake) is never stored."""
    return hmac.new(secret_key.encode(), email.encode(), hashlib.sha256).hexdigest()[:32]


async def authenticate(email: str, password: str, address: str, secret_key: str,
                       known_device: bool = False) -> StaffUser:
    """The active user with this email and password, or SignInRefused. Says nothing about
    whether the account exists. A `known_device` (a browser this account signed in from
    before) is not held by the account-wide limit: guessing elsewhere cannot lock its owner
    out."""
    email = normalize_email(email)
    if any(unicodedata.category(char)[0] == "C" for char in email) or len(email) > 254:
        email = ""  # no account has it: answered like a wrong password, no query with it
    user = await StaffUser.get_or_none(email=email) if email else None
    account, place = account_subject(email, secret_key), network(address)
    # The trail names the account if there is one, never what was typed for one that is not.
    who = Actor("staff", str(user.id)) if user else Actor("visitor")
    try:
        await reserve_attempts([(SIGN_IN_PER_ACCOUNT_AND_ADDRESS, f"{account}:{place}"),
                                (SIGN_IN_PER_ADDRESS, place),
                                *([] if known_device else [(SIGN_IN_PER_ACCOUNT, account)])])
    except LockedOut as locked:
        await security.record(who, security.SIGN_IN_REFUSED, address=address, locked=True)
        raise SignInRefused(locked.problem, locked=True) from None
    right = await password_matches(user.password_hash if user else None, password)
    if not right or user is None or not user.active:
        await security.record(who, security.SIGN_IN_REFUSED, address=address, locked=False)
        raise SignInRefused(Problem(WRONG))
    await security.record(who, security.SIGNED_IN, address=address)
    await forgive(SIGN_IN_PER_ACCOUNT_AND_ADDRESS, f"{account}:{place}", all_of_them=True)
    await forgive(SIGN_IN_PER_ADDRESS, place)
    if not known_device:
        await forgive(SIGN_IN_PER_ACCOUNT, account)
    if new_hash := await rehashed(user.password_hash, password):
        user.password_hash = new_hash
        await user.save(update_fields=["password_hash"])
    return user
