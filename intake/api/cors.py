"""Open311 answers may be read by any web page (citizens' web apps, maps): the API takes no
cookie, so an open CORS policy exposes nothing a request from a server would not get."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

open311_cors = [Middleware(
    CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
    allow_headers=["Accept-Language", "Idempotency-Key", "Content-Type"],
    expose_headers=["Retry-After", "Idempotent-Replayed"], max_age=86400)]
