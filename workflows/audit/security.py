"""Security events in the audit trail: who signed in or failed to, who signed out, who looked
at a case's personal data or downloaded its evidence, and who created, disabled or enabled an
account — with when and from where; and the audit log's own sequencer refusing to sign or
log what it was given (workflows.audit.heads). Never a password, and never what was typed as an
email for an account that does not exist (people type their password there by mistake)."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from workflows.audit.log import Actor, append_event
from workflows.cases.models import Case

SIGNED_IN, SIGN_IN_REFUSED, SIGNED_OUT = "signed_in", "sign_in_refused", "signed_out"
CASE_VIEWED, EVIDENCE_DOWNLOADED = "case_viewed", "evidence_downloaded"
EVIDENCE_VIEWED = "evidence_viewed"  # a photo shown on the case page: audited, not in its timeline
ACCOUNT_CREATED, ACCOUNT_DISABLED, ACCOUNT_ENABLED = (
    "account_created", "account_disabled", "account_enabled")
LOG_REFUSED = "log_refused"  # its reason names the fault: recorded once however often found


async def record(actor: Actor, action: str, *, address: str = "", case: Case | None = None,
                 **facts: Any) -> None:
    """One event, in its own transaction (nothing else changes with it)."""
    after = {**facts, **({"address": address} if address else {})}
    async with in_transaction() as connection:
        await append_event(connection, case=case, actor=actor, action=action, after=after)
