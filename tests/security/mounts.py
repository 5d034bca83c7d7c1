"""Real disk faults for tests, made with mount as root: a small tmpfs to fill, a file made
read-only by a read-only bind mount (which root cannot write either, unlike a chmod)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import IN_CI

PAGE = 4096  # what tmpfs hands out at a time


def as_root() -> list[str]:
    """The prefix that runs mount and umount as root: none for root, sudo without a password."""
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"],
                                               capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    reason = "NOT ROOT AND NO SUDO: the disk-fault tests mount a tmpfs or a read-only file"
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing may be skipped)")
    pytest.skip(reason)


@contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """`folder` on a tmpfs of `size` (mount's notation: 256k, 4m) while the block lasts."""
    root = as_root()
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([*root, "mount", "-t", "tmpfs", "-o", f"size={size},mode=1777", "tmpfs",
                    str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run([*root, "umount", str(folder)], check=True)


def fill(folder: Path, pages_left: int = 0) -> Path:
    """Fill the disk of `folder` to the last byte (a real ENOSPC), then free `pages_left`
    pages; returns the filler, whose removal frees the disk."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        with pytest.raises(OSError) as full:
            while True:
                os.write(handle, b"\0" * PAGE)
        assert full.value.errno == errno.ENOSPC
        os.ftruncate(handle, os.fstat(handle).st_size - pages_left * PAGE)
    finally:
        os.close(handle)
    return filler


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or a folder) read-only for everyone, root included, while the block
    lasts. Whoever opened it before keeps writing: only what opens it inside sees it so."""
    root = as_root()
    subprocess.run([*root, "mount", "--bind", str(path), str(path)], check=True)
    try:
        subprocess.run([*root, "mount", "-o", "remount,bind,ro", str(path)], check=True)
        yield
    finally:
        # Lazily: a connection opened inside may still hold it; it reads the same file.
        subprocess.run([*root, "umount", "--lazy", str(path)], check=True)
