"""Where evidence files live: a folder under the data dir (one machine, or a shared volume), or
an S3-compatible object store (several machines without a shared volume).

Files get random names and are only reachable through their attachment row. Both stores offer
the same five operations; writing many is all-or-nothing for the caller. A store that refuses
a write or a removal raises OSError (a full or read-only disk, a bucket that says no), which
the filing service turns into "nothing was stored, try again".
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the settings make a store for every `intake` command; checks import qpdf
    from workflows.evidence.checks import CheckedFile

CHUNK_BYTES = 64 * 1024
log = logging.getLogger("intake.evidence")


@dataclass(frozen=True)
class EvidenceFile:
    """A checked file already written to attachment storage."""

    storage_name: str
    original_name: str
    content_type: str
    size: int
    received_sha256: str
    stored_sha256: str


class EvidenceStore(ABC):
    @abstractmethod
    def write(self, storage_name: str, content: bytes, content_type: str) -> None:
        """Store the bytes under a new name, durably, or raise OSError."""

    @abstractmethod
    def delete(self, storage_name: str) -> None:
        """Remove the file, or raise OSError; a file already gone is not an error."""

    @abstractmethod
    def chunks(self, storage_name: str) -> Iterator[bytes]:
        """The file's bytes, a piece at a time: a download never sits whole in memory."""

    @abstractmethod
    def names_older_than(self, seconds: float) -> Iterator[str]:
        """Stored names last written more than `seconds` ago: a newer one may belong to a
        report that is being filed right now, by this worker or another."""

    def save(self, checked: CheckedFile) -> EvidenceFile:
        storage_name = f"{secrets.token_hex(16)}.{checked.extension}"
        self.write(storage_name, checked.content, checked.content_type)
        return EvidenceFile(
            storage_name=storage_name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            received_sha256=checked.received_sha256,
            stored_sha256=hashlib.sha256(checked.content).hexdigest(),
        )

    def save_all(self, files: list[CheckedFile]) -> list[EvidenceFile]:
        """Store every file or none: on a failure the ones already written are removed."""
        saved: list[EvidenceFile] = []
        try:
            for checked in files:
                saved.append(self.save(checked))
        except OSError:
            self.discard(saved)
            raise
        return saved

    def discard(self, files: list[EvidenceFile]) -> None:
        """Remove the files of a filing that failed, as many as the store lets. It never
        raises: the failure that brought us here is the one to report, and a file left behind
        has no row, so it is never served, and `intake attachments sweep` removes it."""
        for file in files:
            try:
                self.delete(file.storage_name)
            except OSError as refused:
                log.warning("could not remove %s, left for the sweep: %s", file.storage_name,
                            refused.strerror or refused)


def _checked_name(storage_name: str) -> str:
    if "/" in storage_name or "\\" in storage_name or storage_name.startswith("."):
        raise ValueError(f"not a storage name: {storage_name!r}")
    return storage_name


class LocalStore(EvidenceStore):
    """Files under `root/ab/<random>.<ext>`, written with O_EXCL and fsync'd."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, storage_name: str) -> Path:
        return self.root / storage_name[:2] / _checked_name(storage_name)

    def write(self, storage_name: str, content: bytes, content_type: str) -> None:
        path = self.path_of(storage_name)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            with contextlib.suppress(OSError):  # the write's own error is the one to tell
                path.unlink(missing_ok=True)
            raise

    def delete(self, storage_name: str) -> None:
        self.path_of(storage_name).unlink(missing_ok=True)

    def chunks(self, storage_name: str) -> Iterator[bytes]:
        with self.path_of(storage_name).open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk

    def names_older_than(self, seconds: float) -> Iterator[str]:
        cutoff = time.time() - seconds
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            if folder.is_dir():
                for path in folder.iterdir():
                    if path.is_file() and path.stat().st_mtime < cutoff:
                        yield path.name


class S3Store(EvidenceStore):
    """Objects `<prefix><random>.<ext>` in one bucket of any S3-compatible store (AWS, MinIO,
    Ceph, a cloud provider's). Credentials come from the usual AWS variables or files."""

    def __init__(self, bucket: str, prefix: str = "attachments/", endpoint_url: str = "") -> None:
        import boto3  # only installations that use S3 need it: pip install 'intake[s3]'

        self.bucket, self.prefix = bucket, prefix
        self.client: Any = boto3.client("s3", endpoint_url=endpoint_url or None)

    def _key(self, storage_name: str) -> str:
        return self.prefix + _checked_name(storage_name)

    def write(self, storage_name: str, content: bytes, content_type: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(storage_name), Body=content,
                                   ContentType=content_type)
        except (BotoCoreError, ClientError) as error:
            raise OSError(f"object store refused the file: {error}") from error

    def delete(self, storage_name: str) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(storage_name))
        except (BotoCoreError, ClientError) as error:
            raise OSError(f"object store refused the removal: {error}") from error

    def chunks(self, storage_name: str) -> Iterator[bytes]:
        answer = self.client.get_object(Bucket=self.bucket, Key=self._key(storage_name))
        yield from answer["Body"].iter_chunks(CHUNK_BYTES)

    def names_older_than(self, seconds: float) -> Iterator[str]:
        cutoff = time.time() - seconds
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                if item["LastModified"].timestamp() < cutoff:
                    yield item["Key"].removeprefix(self.prefix)
