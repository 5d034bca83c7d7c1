"""`create_app(settings)`: routes, middleware, error pages and the database lifespan."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise.contrib.starlette import RegisterTortoise
from tortoise.exceptions import IntegrityError

from intake.context import AppContext
from intake.middleware.body_limit import BodyLimitMiddleware
from intake.middleware.csrf import CsrfCookieMiddleware
from intake.middleware.headers import SecurityHeadersMiddleware
from intake.middleware.language import LanguageMiddleware
from intake.routes import routes
from intake.settings import Settings, store_for
from intake.submission import Submission
from intake.templating import create_templates, render
from workflows.db.config import ensure_database_dir, tortoise_config
from workflows.db.errors import DATABASE_UNAVAILABLE
from workflows.mail.notifications import Notifier
from workflows.mail.outbox import RetryPolicy
from workflows.mail.sender import OutboxSender
from workflows.mail.smtp import SmtpSender
from workflows.reference.loading import load_reference

log = logging.getLogger("intake")
SENDER_GRACE_SECONDS = 5.0


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/open311/")


async def not_found(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return JSONResponse([{"code": 404, "description": "not found"}], status_code=404)
    return render(request, "public/not_found.html", status_code=404)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return await not_found(request, exc)
    if _is_api(request):
        return JSONResponse([{"code": exc.status_code, "description": str(exc.detail)}],
                            status_code=exc.status_code)
    return render(request, "public/error.html", {"status": exc.status_code},
                  status_code=exc.status_code)


async def server_error(request: Request, exc: Exception) -> Response:
    # Logged by path only: the request may carry a reporter's personal data.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if _is_api(request):
        return JSONResponse([{"code": 500, "description": "internal error"}], status_code=500)
    return render(request, "public/error.html", {"status": 500}, status_code=500)


async def database_busy(request: Request, exc: Exception) -> Response:
    """The database refused or lost the work (locked too long, connection gone): nothing was
    stored, and a retry in a moment usually succeeds. Never a 500."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                type(exc).__name__)
    headers = {"Retry-After": "30"}
    if _is_api(request):
        return JSONResponse([{"code": 503, "description": "busy: nothing was stored, try again"}],
                            status_code=503, headers=headers)
    return render(request, "public/error.html", {"status": 503}, status_code=503, headers=headers)


def create_app(settings: Settings) -> Starlette:
    reference = load_reference(settings.config_dir)  # a broken config/ file stops the start here
    store = store_for(settings)
    notifier = Notifier(settings.base_url, reference)
    context = AppContext(
        settings=settings,
        reference=reference,
        templates=create_templates(),
        submission=Submission(settings, reference, store, notifier),
        outbox_sender=create_outbox_sender(settings, notifier),
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_database_dir(settings.database_url)
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            if not settings.smtp.configured:
                log.warning("INTAKE_SMTP_HOST is not set: emails are queued in the outbox "
                            "and NOT sent until it is")
                yield
                return
            sender_task = asyncio.create_task(context.outbox_sender.run_forever(),
                                              name="outbox-sender")
            try:
                yield
            finally:
                context.outbox_sender.stop()
                # A batch stuck on a silent mail server is cut short: its leases expire and
                # the messages are sent later, by this worker or another.
                _, still_running = await asyncio.wait({sender_task}, timeout=SENDER_GRACE_SECONDS)
                for task in still_running:
                    task.cancel()
                    await asyncio.wait({task})

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeadersMiddleware, https=settings.https),
            Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(LanguageMiddleware),
            Middleware(CsrfCookieMiddleware, secure=settings.https),
        ],
        exception_handlers={404: not_found, HTTPException: http_error,
                            **{kind: database_busy for kind in DATABASE_UNAVAILABLE},
                            # A subclass of OperationalError, but a broken rule is a bug: 500.
                            IntegrityError: server_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.intake = context
    return app


def create_outbox_sender(settings: Settings, notifier: Notifier) -> OutboxSender:
    return OutboxSender(
        SmtpSender(settings.smtp),
        RetryPolicy(max_attempts=settings.outbox_max_attempts,
                    first_delay=dt.timedelta(seconds=settings.outbox_first_retry_seconds)),
        notifier,
        digest_hour=settings.digest_hour,
        poll_seconds=settings.outbox_poll_seconds,
    )


def create_app_from_env() -> Starlette:
    """The factory uvicorn workers call: each reads the same environment."""
    return create_app(Settings.from_env())
