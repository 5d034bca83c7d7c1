"""Signing in to the back office. Each attempt is counted per account and per address before
the password is checked (workflows.access.limits), and an unknown account is answered exactly
like a wrong password."""

from __future__ import annotations

from workflows.access.accounts import normalize_email
from workflows.access.limits import (
    SIGN_IN_PER_ACCOUNT,
    SIGN_IN_PER_ADDRESS,
    LockedOut,
    forgive,
    reserve_attempt,
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


async def authenticate(email: str, password: str, address: str) -> StaffUser:
    """The active user with this email and password, or SignInRefused. Says nothing about
    whether the account exists."""
    email = normalize_email(email)
    user = await StaffUser.get_or_none(email=email)
    # The trail names the account if there is one, never what was typed for one that is not.
    who = Actor("staff", str(user.id)) if user else Actor("visitor")
    try:
        await reserve_attempt(SIGN_IN_PER_ADDRESS, address)
        await reserve_attempt(SIGN_IN_PER_ACCOUNT, email)
    except LockedOut as locked:
        await security.record(who, security.SIGN_IN_REFUSED, address=address, locked=True)
        raise SignInRefused(locked.problem, locked=True) from None
    right = await password_matches(user.password_hash if user else None, password)
    if not right or user is None or not user.active:
        await security.record(who, security.SIGN_IN_REFUSED, address=address, locked=False)
        raise SignInRefused(Problem(WRONG))
    await security.record(who, security.SIGNED_IN, address=address)
    await forgive(SIGN_IN_PER_ACCOUNT, email, all_of_them=True)
    await forgive(SIGN_IN_PER_ADDRESS, address)
    if new_hash := await rehashed(user.password_hash, password):
        user.password_hash = new_hash
        await user.save(update_fields=["password_hash"])
    return user
