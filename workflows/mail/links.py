"""Where a mail's links point. The web layer knows its routes and implements this (see
intake/links.py); the domain only asks for a case's pages by name."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Links(Protocol):
    def home(self) -> str:
        """The service's address: what a reader checks a mail's links against."""
        ...

    def staff_case(self, tracking_code: str) -> str:
        """The case in the back office (agency alerts, digests, staff notices)."""
        ...

    def public_case(self, tracking_code: str) -> str:
        """The case's public status, for its reporter and anyone with the code."""
        ...

    def reporter_page(self, tracking_code: str, epoch: int) -> str:
        """The reporter's own page, opened without the PIN (signed; it ends 30 days after
        the case is settled, and when the reporter leaves the page: their epoch). Every
        message to the reporter carries it."""
        ...

    def feedback(self, tracking_code: str, resolved_at: dt.datetime, satisfied: bool) -> str:
        """The reporter's answer on one outcome, from the resolution notice (no PIN needed:
        the link itself is signed)."""
        ...

    def explanation(self, request_id: int, nonce: str) -> str:
        """A business's single-use page to answer a request for an explanation (signed; it
        works until the request's deadline)."""
        ...

    def brand_inquiry(self, inquiry_id: int, nonce: str) -> str:
        """A brand owner's page to give its opinion on a case's goods (signed; once, until
        the deadline)."""
        ...

    def brand_sign_in(self, owner_id: int, nonce: str) -> str:
        """The page that signs a verified brand owner in (signed; once, for a short while)."""
        ...

    def brand_pages(self) -> str:
        """Where a brand owner asks for a sign-in link and registers."""
        ...

    def follow(self, follower_id: int, nonce: str) -> str:
        """The page where an address confirms following a case (signed)."""
        ...

    def unfollow(self, follower_id: int, nonce: str) -> str:
        """The page that stops a follower's mail (signed; in every mail they get)."""
        ...

    def statistics(self, period_label: str) -> str:
        """The statistics page of a period, in the back office."""
        ...

    def log_checkpoint(self) -> str:
        """The audit log's latest signed checkpoint; its key and proofs are beside it."""
        ...

    def log_key(self) -> str:
        """The audit log's verifier key."""
        ...

    def log_proof(self, tracking_code: str) -> str:
        """The proof that the case's filing is in the audit log."""
        ...
