"""Open311 answers may be read by any web page (citizens' web apps, maps): the API takes no
cookie, so an open CORS policy exposes nothing a request from a server would not get. A web
app may send its key as X-Api-Key and a retry's Idempotency-Key: the preflight allows both."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

open311_cors = [Middleware(
    CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST"],
    allow_headers=["Accept-Language", "Idempotency-Key", "Content-Type", "X-Api-Key"],
    expose_headers=["Retry-After", "Idempotent-Replayed"], max_age=86400)]
