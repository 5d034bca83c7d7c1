"""The audit log's public face, at fixed URLs anyone (a witness, a journalist, a script) may
poll: the latest signed checkpoint, their history, the verifier key, and proofs between
positions and sizes. Only hashes leave: never an entry, which may hold staff text."""

from __future__ import annotations

import base64
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from intake.context import app_context
from workflows.audit import tree
from workflows.audit.heads import signed_head
from workflows.audit.models import LogCheckpoint
from workflows.audit.sequencer import checkpoints_after, signed_now

# Anyone may fetch these from anywhere; a checkpoint is fresh for a few seconds only.
LOG_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"}
HISTORY_PAGE = 500
NUMBER = re.compile(r"[0-9]{1,18}")


class BadQuery(ValueError):
    pass


def _b64(digest: bytes) -> str:
    return base64.b64encode(digest).decode()


def _number(request: Request, name: str, default: int | None = None) -> int:
    """A query parameter in plain digits; BadQuery says what is wrong with it."""
    value = request.query_params.get(name)
    if value is None and default is not None:
        return default
    if value is None or not NUMBER.fullmatch(value):
        raise BadQuery(f"{name} must be a whole number from 0 (at most 18 digits)")
    return int(value)


def _answer(body: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status_code, headers=LOG_HEADERS)


def _refused(problem: Exception) -> JSONResponse:
    status = 404 if isinstance(problem, tree.NotInTree) else 400
    return _answer({"error": str(problem)}, status)


def _described(checkpoint: LogCheckpoint) -> dict[str, Any]:
    return {"tree_size": checkpoint.size, "root_hash": _b64(bytes(checkpoint.root)),
            "signed_at": checkpoint.signed_at.isoformat(), "checkpoint": checkpoint.note}


async def checkpoint(request: Request) -> Response:
    """The latest signed checkpoint, as a C2SP signed note (text/plain): the last good head,
    whatever rows were written beside it, while the sequencer refuses to sign a fork."""
    context = app_context(request)
    latest = await signed_head(context.signer.verifier)
    if latest is None:  # a new installation: sign the (empty) log's first head now
        latest = await signed_now(context.signer, clock_skew=context.settings.audit_clock_skew)
    return PlainTextResponse(latest.note, headers=LOG_HEADERS)


async def checkpoints(request: Request) -> Response:
    """Every checkpoint signed, oldest first, HISTORY_PAGE at a time from `?after=SIZE`."""
    try:
        after = _number(request, "after", default=-1)
    except BadQuery as problem:
        return _refused(problem)
    page = await checkpoints_after(after, HISTORY_PAGE)
    body: dict[str, Any] = {"checkpoints": [_described(item) for item in page]}
    if len(page) == HISTORY_PAGE:
        body["next"] = f"{request.url.path}?after={page[-1].size}"
    return _answer(body)


async def key(request: Request) -> Response:
    """The verifier key, `name+keyhash+base64key`, as Go's sumdb/note reads it."""
    return PlainTextResponse(app_context(request).signer.verifier.vkey + "\n",
                             headers=LOG_HEADERS)


async def inclusion(request: Request) -> Response:
    try:
        index, size = _number(request, "index"), _number(request, "size")
        path = await tree.inclusion_proof(index, size)
        leaf, root = await tree.leaf_at(index), await tree.root_at(size)
    except (BadQuery, tree.NotInTree) as problem:
        return _refused(problem)
    return _answer({"leaf_index": index, "tree_size": size, "leaf_hash": _b64(leaf),
                    "root_hash": _b64(root), "inclusion": [_b64(digest) for digest in path]})


async def consistency(request: Request) -> Response:
    try:
        old, new = _number(request, "from"), _number(request, "to")
        path = await tree.consistency_proof(old, new)
        old_root, new_root = await tree.root_at(old), await tree.root_at(new)
    except (BadQuery, tree.NotInTree) as problem:
        return _refused(problem)
    return _answer({"from": old, "to": new, "from_root_hash": _b64(old_root),
                    "to_root_hash": _b64(new_root),
                    "consistency": [_b64(digest) for digest in path]})
