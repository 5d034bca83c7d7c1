"""Image and PDF work in a child process with a hard budget: Pillow parses headers and decodes,
and qpdf parses a PDF's objects, in Python and C that nothing can interrupt, and a crafted file
(millions of empty JPEG markers, a progressive JPEG repeating its scans thousands of times, a
PDF of a million objects or an object stream that inflates to gigabytes) holds it for seconds
or minutes and hundreds of megabytes. One short-lived process per request checks all its files
under a time limit and an address-space limit; past either it is killed and the request is
refused. The event loop and the other requests never wait on it. A request whose files need
no decoder nor parser (JPEGs whose metadata can be dropped losslessly) is checked without a
child."""

from __future__ import annotations

import multiprocessing
import resource
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from workflows.evidence.checks import (
    AttachmentRejected,
    CheckedFile,
    check_file,
    check_undecoded,
    image_pixels,
)

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["workflows.evidence.checks"])


@dataclass(frozen=True)
class Budget:
    max_file_bytes: int
    max_image_pixels: int
    max_request_pixels: int
    seconds: float
    memory_bytes: int


@dataclass(frozen=True)
class Refused:
    """Why the files were refused: a rejection code and its parameters, and which file."""

    code: str
    index: int = -1
    params: dict[str, Any] | None = None


def _check_all(files: list[tuple[str, bytes]], budget: Budget) -> list[CheckedFile] | Refused:
    pixels = sum(image_pixels(content, budget.max_image_pixels) for _, content in files)
    if pixels > budget.max_request_pixels:
        return Refused("request_pixels", params={"limit_mp": budget.max_request_pixels // 10**6})
    checked = []
    for index, (name, content) in enumerate(files):
        try:
            checked.append(check_file(name, content, budget.max_file_bytes,
                                      budget.max_image_pixels))
        except AttachmentRejected as rejection:
            return Refused(rejection.code, index, dict(rejection.params))
    return checked


def check_in_process(files: list[tuple[str, bytes]],
                     budget: Budget) -> list[CheckedFile] | Refused | None:
    """The files checked here and now when none needs a decoder nor a parser (JPEGs cleaned
    without decoding: `checks.check_undecoded`); None when one does (an image to re-encode, any
    PDF), and all go to a child."""
    checked = []
    for index, (name, content) in enumerate(files):
        try:
            file = check_undecoded(name, content, budget.max_file_bytes, budget.max_image_pixels)
        except AttachmentRejected as rejection:
            return Refused(rejection.code, index, dict(rejection.params))
        if file is None:
            return None
        checked.append(file)
    if sum(file.pixels for file in checked) > budget.max_request_pixels:
        return Refused("request_pixels", params={"limit_mp": budget.max_request_pixels // 10**6})
    return checked


def _child(connection: Connection, files: list[tuple[str, bytes]], budget: Budget) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (budget.memory_bytes, budget.memory_bytes))
    try:
        result: list[CheckedFile] | Refused = _check_all(files, budget)
    except MemoryError:
        result = Refused("too_costly")
    connection.send(result)
    connection.close()


def check_in_child(files: list[tuple[str, bytes]], budget: Budget) -> list[CheckedFile] | Refused:
    """Blocks the calling thread (run it in a worker thread) until the child answers, or kills
    the child when the budget's seconds are up."""
    receiving, sending = _CONTEXT.Pipe(duplex=False)
    child = _CONTEXT.Process(target=_child, args=(sending, files, budget), daemon=True)
    child.start()
    sending.close()
    try:
        if receiving.poll(budget.seconds):
            answer: list[CheckedFile] | Refused = receiving.recv()
            return answer
        return Refused("too_costly")
    except EOFError:  # the child died: out of memory, or a crash in a decoder
        return Refused("too_costly")
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join(5)
