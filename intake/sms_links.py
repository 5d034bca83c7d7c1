"""The address each SMS gives the gateway for its delivery reports (Kannel's dlr-url): the
`sms_delivery` route with a token naming the message, signed with the service's secret, so
that only whoever was handed the URL — the gateway — can report on that message. Kannel puts
the report's type where `%d` stands."""

from __future__ import annotations

from collections.abc import Callable

from itsdangerous import BadSignature, Signer
from starlette.routing import BaseRoute, Router

DELIVERY_SALT = "intake.sms-delivery"
ROUTE = "sms_delivery"


def delivery_token(secret_key: str, message_id: int) -> str:
    return Signer(secret_key, salt=DELIVERY_SALT).sign(str(message_id).encode()).decode()


def read_delivery_token(secret_key: str, token: str) -> int | None:
    try:
        value = Signer(secret_key, salt=DELIVERY_SALT).unsign(token.encode()).decode()
    except (BadSignature, UnicodeError):
        return None
    return int(value) if value.isdigit() and len(value) <= 9 else None


def delivery_urls(routes: list[BaseRoute], base_url: str,
                  secret_key: str) -> Callable[[int], str]:
    pattern = str(Router(routes=routes).url_path_for(ROUTE, token="{token}"))
    base = base_url.rstrip("/")

    def delivery_url(message_id: int) -> str:
        token = delivery_token(secret_key, message_id)
        return f"{base}{pattern.replace('{token}', token)}?type=%d"

    return delivery_url
