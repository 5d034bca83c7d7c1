"""A language's gettext catalogue, compiled from its .po with Babel. Compiling takes about
80 ms, at every start of the server and of each `intake` command, so the result is kept beside
the .po, named by a digest of its text (`messages.<digest>.mo`): an edited catalogue is
compiled again, never read stale; a kept file that cannot be read (cut short by a crash) is
compiled again and replaced; where the folder is read-only, it is compiled each time."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from babel.support import Translations


def catalogue(po_path: Path, language: str) -> Translations:
    try:
        return Translations(fp=io.BytesIO(compiled_catalogue(po_path, language)))
    except Exception:  # noqa: BLE001 - whatever a damaged kept file raises; the .po decides
        return Translations(fp=io.BytesIO(compiled_catalogue(po_path, language, reuse=False)))


def compiled_catalogue(po_path: Path, language: str, reuse: bool = True) -> bytes:
    """The catalogue in gettext's binary form: the kept compilation of this very text if any
    (`reuse`), else compiled and kept."""
    source = po_path.read_bytes()
    kept = po_path.with_name(f"{po_path.stem}.{hashlib.sha256(source).hexdigest()[:16]}.mo")
    if reuse:
        try:
            return kept.read_bytes()
        except OSError:
            pass
    from babel.messages.mofile import write_mo  # only when compiling
    from babel.messages.pofile import read_po

    compiled = io.BytesIO()
    write_mo(compiled, read_po(io.BytesIO(source), locale=language))
    _keep(kept, compiled.getvalue())
    return compiled.getvalue()


def _keep(target: Path, content: bytes) -> None:
    """Written whole, on disk before it takes the name, or not at all (workers starting
    together each write their own copy, one replaces the other); readable by whichever
    account runs the service; the catalogue's other compilations and any copy a killed
    process left half-written removed."""
    stem = target.name.split(".")[0]
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f"{stem}.",
                                             suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
        for other in (*target.parent.glob(f"{stem}.*.mo"),
                      *target.parent.glob(f"{stem}.*.mo.tmp")):
            if other != target:
                other.unlink(missing_ok=True)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
