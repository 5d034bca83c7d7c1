"""Who calls the API: a registered client, named by its `api_key` (a wrong key is a 403,
never a silent fall back to anonymous), or anyone, counted by address."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from intake.requester import client_address
from workflows.access.api_clients import KnownClient, client_for_key
from workflows.audit.log import Actor

OPEN311_ACTOR = Actor("citizen", "open311")


@dataclass(frozen=True)
class Caller:
    address: str
    client: KnownClient | None = None

    @property
    def subject(self) -> str:
        """What the caller's look-ups are counted against."""
        return self.client.subject if self.client else self.address

    @property
    def actor(self) -> Actor:
        """Who the audit trail says filed: the reporter through this client, or an app."""
        return Actor("client", str(self.client.id)) if self.client else OPEN311_ACTOR


class UnknownKey(Exception):
    """An api_key was given, and it is no active client's."""


API_KEY_HEADER = "x-api-key"
async def identify(request: Request, posted: list[str] | None = None) -> Caller:
    """The caller of a request whose api_key is in the query (kept out of the access log:
    intake.access_log), the X-Api-Key header, or `posted` (a form's). Two different keys name nobody."""
    address = client_address(request)
    given = {key for key in (*request.query_params.getlist("api_key"), *(posted or []),
                             request.headers.get(API_KEY_HEADER, "")) if key}
    if not given:
        return Caller(address)
    if len(given) > 1:
        raise UnknownKey()
    client = await client_for_key(given.pop())
    if client is None:
        raise UnknownKey()
    return Caller(address, client)
