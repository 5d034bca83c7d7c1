"""Links to the service's pages, built from its routes: the mail templates' one source of
URLs (workflows.mail.links.Links), so a renamed route cannot leave a dead link in a mail."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from itsdangerous import BadSignature, Signer, URLSafeTimedSerializer
from starlette.routing import BaseRoute, Router

# A reporter may answer an outcome from the mail's link for this long (a review can be asked
# only within the service level's window: workflows.cases.feedback).
FEEDBACK_LINK_DAYS = 90
FEEDBACK_SALT = "intake.feedback"
EXPLANATION_SALT = "intake.explanation"
FOLLOW_SALT = "intake.follow"
BRAND_INQUIRY_SALT = "intake.brand_inquiry"
BRAND_SIGN_IN_SALT = "intake.brand_sign_in"
UNFOLLOW_SALT = "intake.unfollow"
REPORTER_LINK_SALT = "intake.reporter-link"


class RouteLinks:
    def __init__(self, routes: list[BaseRoute], base_url: str, secret_key: str) -> None:
        self.router = Router(routes=routes)
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key
        self._paths: dict[tuple[str, tuple[str, ...]], str] = {}

    def _url(self, name: str, query: dict[str, str] | None = None, **params: str) -> str:
        return f"{self.base_url}{self._path(name, params)}" + (
            f"?{urlencode(query)}" if query else "")

    def _path(self, name: str, params: dict[str, str]) -> str:
        """The router's `url_path_for`, each route's path pattern looked up once: the lookup
        raises and catches an exception for every route it passes, which was a third of the
        time rendering an agency alert took. Values are checked as the routes' `str`
        convertor checks them."""
        key = (name, tuple(params))
        pattern = self._paths.get(key)
        if pattern is None:
            pattern = str(self.router.url_path_for(name, **{param: f"{{{param}}}"
                                                            for param in params}))
            self._paths[key] = pattern
        for param, value in params.items():
            if not value or "/" in value:
                raise ValueError(f"{param!r} of a link to {name!r} must be one path segment")
            pattern = pattern.replace(f"{{{param}}}", value)
        return pattern

    def home(self) -> str:
        return self._url("home")

    def staff_case(self, tracking_code: str) -> str:
        return self._url("case", code=tracking_code)

    def public_case(self, tracking_code: str) -> str:
        return self._url("track", {"code": tracking_code})

    def reporter_page(self, tracking_code: str, epoch: int) -> str:
        return self._url("reporter_link", token=reporter_token(self.secret_key, tracking_code,
                                                               epoch))

    def feedback(self, tracking_code: str, resolved_at: dt.datetime, satisfied: bool) -> str:
        return self._url("feedback_form", token=feedback_token(self.secret_key, tracking_code,
                                                                resolved_at, satisfied))

    def explanation(self, request_id: int, nonce: str) -> str:
        return self._url("explanation_form",
                         token=explanation_token(self.secret_key, request_id, nonce))

    def brand_inquiry(self, inquiry_id: int, nonce: str) -> str:
        return self._url("brand_inquiry_form", token=record_token(
            self.secret_key, BRAND_INQUIRY_SALT, inquiry_id, nonce))

    def brand_sign_in(self, owner_id: int, nonce: str) -> str:
        return self._url("brand_sign_in_link", token=record_token(
            self.secret_key, BRAND_SIGN_IN_SALT, owner_id, nonce))

    def brand_pages(self) -> str:
        return self._url("brand_sign_in_form")

    def follow(self, follower_id: int, nonce: str) -> str:
        return self._url("follow_form", token=record_token(self.secret_key, FOLLOW_SALT,
                                                           follower_id, nonce))

    def unfollow(self, follower_id: int, nonce: str) -> str:
        return self._url("unfollow_form", token=record_token(self.secret_key, UNFOLLOW_SALT,
                                                             follower_id, nonce))

    def statistics(self, period_label: str) -> str:
        return self._url("stats", {"period": period_label})

    def log_checkpoint(self) -> str:
        return self._url("log_checkpoint")

    def log_key(self) -> str:
        return self._url("log_key")

    def log_proof(self, tracking_code: str) -> str:
        return self._url("log_proof", code=tracking_code)


def feedback_token(secret_key: str, tracking_code: str, resolved_at: dt.datetime,
                   satisfied: bool) -> str:
    return URLSafeTimedSerializer(secret_key, salt=FEEDBACK_SALT).dumps(
        [tracking_code, resolved_at.astimezone(dt.UTC).isoformat(), satisfied])


def read_feedback_token(secret_key: str, token: str) -> tuple[str, dt.datetime, bool] | None:
    try:
        code, resolved_at, satisfied = URLSafeTimedSerializer(secret_key, salt=FEEDBACK_SALT).loads(
            token, max_age=FEEDBACK_LINK_DAYS * 86400)
        return str(code), dt.datetime.fromisoformat(resolved_at), bool(satisfied)
    except (BadSignature, ValueError, TypeError):
        return None


def reporter_token(secret_key: str, tracking_code: str, epoch: int) -> str:
    """The reporter's link: the code and their epoch, signed — short, for an SMS (about 40
    characters). How long it works is the case's to say (workflows.cases.reporter)."""
    return Signer(secret_key, salt=REPORTER_LINK_SALT).sign(
        f"{tracking_code}.{epoch}".encode()).decode()


def read_reporter_token(secret_key: str, token: str) -> tuple[str, int] | None:
    try:
        value = Signer(secret_key, salt=REPORTER_LINK_SALT).unsign(token.encode()).decode()
    except (BadSignature, UnicodeError):
        return None
    code, _, epoch = value.partition(".")
    return (code, int(epoch)) if epoch.isdigit() and len(epoch) <= 9 else None


def record_token(secret_key: str, salt: str, record_id: int, nonce: str) -> str:
    """A link's token naming one row and the random value kept with it. No age limit here:
    the row itself (a deadline, a use) ends the link."""
    return URLSafeTimedSerializer(secret_key, salt=salt).dumps([record_id, nonce])


def read_record_token(secret_key: str, salt: str, token: str) -> tuple[int, str] | None:
    try:
        record_id, nonce = URLSafeTimedSerializer(secret_key, salt=salt).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(record_id, int) or isinstance(record_id, bool) or not isinstance(
            nonce, str):
        return None
    return record_id, nonce


def explanation_token(secret_key: str, request_id: int, nonce: str) -> str:
    return record_token(secret_key, EXPLANATION_SALT, request_id, nonce)


def read_explanation_token(secret_key: str, token: str) -> tuple[int, str] | None:
    return read_record_token(secret_key, EXPLANATION_SALT, token)
