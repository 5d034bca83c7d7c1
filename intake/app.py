"""`create_app(settings)`: routes, middleware, error pages and the database lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from tortoise.contrib.starlette import RegisterTortoise
from tortoise.exceptions import IntegrityError

from intake.access_log import SecretsOutOfAccessLog
from intake.backoffice.auth import SESSION_COOKIE
from intake.context import build_context
from intake.env_values import tile_origin
from intake.errors import database_busy, http_error, not_found, server_error
from intake.middleware.body_limit import BodyLimitMiddleware
from intake.middleware.csrf import CsrfCookieMiddleware
from intake.middleware.headers import SecurityHeadersMiddleware
from intake.middleware.language import LanguageMiddleware
from intake.routes import routes
from intake.settings import Settings
from intake.templating import create_templates
from workflows.audit.sequencer import check_signing_key
from workflows.db.background import Repeating
from workflows.db.config import ensure_database_dir, tortoise_config
from workflows.db.errors import DATABASE_UNAVAILABLE
from workflows.figures.freezer import MonthFreezer

log = logging.getLogger("intake")
STOP_GRACE_SECONDS = 5.0


def create_app(settings: Settings) -> Starlette:
    context = build_context(settings, routes, create_templates())
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(known, SecretsOutOfAccessLog) for known in access_log.filters):
        access_log.addFilter(SecretsOutOfAccessLog(routes))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ensure_database_dir(settings.database_url)
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            await check_signing_key(context.signer)
            loops: list[Repeating] = [context.sequencer, MonthFreezer(context.reference.calendar)]
            if settings.smtp.configured:
                loops.append(context.outbox_sender)
            else:
                log.warning("INTAKE_SMTP_HOST is not set: emails are queued in the outbox "
                            "and NOT sent until it is")
            if context.sms_sender is not None:
                loops.append(context.sms_sender)
            else:
                log.warning("INTAKE_SMS_URL is not set: SMS are queued in the outbox and NOT "
                            "sent until it is")
            tasks = {asyncio.create_task(loop.run_forever(), name=type(loop).__name__)
                     for loop in loops}
            try:
                yield
            finally:
                for loop in loops:
                    loop.stop()
                # A batch stuck on a silent mail server is cut short: its leases expire and
                # the messages are sent later, by this worker or another.
                _, still_running = await asyncio.wait(tasks, timeout=STOP_GRACE_SECONDS)
                for task in still_running:
                    task.cancel()
                    await asyncio.wait({task})

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeadersMiddleware, https=settings.https, image_origins=(
                (tile_origin(settings.map_tiles),) if settings.map_tiles else ())),
            Middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes),
            Middleware(LanguageMiddleware),
            Middleware(CsrfCookieMiddleware, secure=settings.https,
                       signed_in_cookie=SESSION_COOKIE),
        ],
        exception_handlers={404: not_found, HTTPException: http_error,
                            **{kind: database_busy for kind in DATABASE_UNAVAILABLE},
                            # A subclass of OperationalError, but a broken rule is a bug: 500.
                            IntegrityError: server_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.state.intake = context
    return app


def create_app_from_env() -> Starlette:
    """The factory uvicorn workers call: each reads the same environment."""
    return create_app(Settings.from_env())
