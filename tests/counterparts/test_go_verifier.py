"""Intake's audit log, checked by a counterpart that shares none of its code: `logverify`
(tests/counterparts/logverify/main.go), written against Go's golang.org/x/mod/sumdb/note (C2SP
signed notes, as Go's checksum database signs them) and golang.org/x/mod/sumdb/tlog (RFC 6962 /
RFC 9162 Merkle proofs). What Intake serves — the key, checkpoints, a citizen's proof.json,
inclusion and consistency proofs — must be accepted; each kind of forgery must be rejected.

The Go program is built once per session, offline, in GOPATH mode (GO111MODULE=off) against the
x/mod sources Debian's golang-golang-x-mod-dev installs under /usr/share/gocode (or any GOPATH
holding golang.org/x/mod). Without `go` or those sources the tests are skipped, loudly; with
CI=true set, they fail instead.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from tests.conftest import IN_CI
from tests.helpers import post_report
from workflows.audit.notes import Signer
from workflows.audit.sequencer import run_sequencer

SOURCE = Path(__file__).parent / "logverify"
X_MOD = Path("src/golang.org/x/mod/sumdb")
NO_GO = ("NO GO TOOLCHAIN OR golang.org/x/mod SOURCES: install golang-go and "
         "golang-golang-x-mod-dev (or put golang.org/x/mod in a GOPATH) to check the audit log "
         "with Go's sumdb/note and sumdb/tlog")


def _gopath_with_x_mod(go: str) -> Path | None:
    """A GOPATH entry holding golang.org/x/mod's note and tlog sources."""
    candidates = [Path("/usr/share/gocode")]
    try:
        reported = subprocess.run([go, "env", "GOPATH"], capture_output=True, text=True,
                                  timeout=60, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        reported = ""
    candidates += [Path(entry) for entry in reported.split(os.pathsep) if entry]
    for root in candidates:
        if ((root / X_MOD / "note" / "note.go").is_file()
                and (root / X_MOD / "tlog" / "tlog.go").is_file()):
            return root
    return None


@pytest.fixture(scope="session")
def logverify(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Go verifier, built offline into a temporary folder."""
    go = shutil.which("go")
    gopath = _gopath_with_x_mod(go) if go else None
    if go is None or gopath is None:
        if IN_CI:
            pytest.fail(f"{NO_GO} (CI=true: nothing may be skipped)")
        pytest.skip(NO_GO)
    build = tmp_path_factory.mktemp("logverify")
    binary = build / "logverify"
    environment = {
        **os.environ,
        "GO111MODULE": "off",  # GOPATH mode: no go.mod, no module download
        "GOPATH": os.pathsep.join([str(gopath), str(build / "gopath")]),
        "GOCACHE": str(build / "cache"),
        "GOFLAGS": "",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "CGO_ENABLED": "0",
    }
    result = subprocess.run([go, "build", "-o", str(binary), "."], cwd=SOURCE, env=environment,
                            capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        pytest.fail(f"go build of {SOURCE} failed:\n{result.stdout}{result.stderr}")
    return binary


def _run(binary: Path, args: list[str | Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                          timeout=60)


def accepts(binary: Path, *args: str | Path) -> str:
    result = _run(binary, list(args))
    assert result.returncode == 0, (
        f"the Go verifier REJECTED what Intake produced: logverify {' '.join(map(str, args))}\n"
        f"{result.stdout}{result.stderr}")
    assert "REJECTED" not in result.stderr
    return result.stdout


def rejects(binary: Path, *args: str | Path, because: str) -> None:
    result = _run(binary, list(args))
    assert result.returncode == 1, (
        f"the Go verifier ACCEPTED a forgery: logverify {' '.join(map(str, args))}\n"
        f"{result.stdout}{result.stderr}")
    assert result.stderr.startswith("REJECTED: "), result.stderr
    assert because in result.stderr, result.stderr


async def filed(client: httpx.AsyncClient) -> str:
    response = await post_report(client)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/receipt/"), location
    return location.removeprefix("/receipt/")


async def integrate(client: httpx.AsyncClient, signer: Signer) -> str:
    """Every event in the log and its head signed; the latest checkpoint."""
    await run_sequencer(signer, force=True, wait=True)
    response = await client.get("/audit/checkpoint")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def fetched(client: httpx.AsyncClient, url: str) -> Any:
    response = await client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text}"
    return response.json()


def tree_size(note: str) -> int:
    return int(note.split("\n")[1])


class Files:
    """Documents written to a folder for the Go program to read."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir()

    def text(self, name: str, content: str) -> Path:
        path = self.folder / name
        path.write_bytes(content.encode("utf-8"))
        return path

    def json(self, name: str, content: Any) -> Path:
        return self.text(name, json.dumps(content))


async def test_go_verifies_the_audit_log_intake_publishes(
        client: httpx.AsyncClient, app: Starlette, logverify: Path, tmp_path: Path) -> None:
    signer: Signer = app.state.intake.signer
    files = Files(tmp_path / "published")

    codes = [await filed(client) for _ in range(3)]
    old_note = await integrate(client, signer)
    receipts = {code: await fetched(client, f"/track/{code}/proof.json") for code in codes}
    for _ in range(4):
        codes.append(await filed(client))
    new_note = await integrate(client, signer)
    old_size, new_size = tree_size(old_note), tree_size(new_note)
    assert 3 <= old_size < new_size

    vkey = (await client.get("/audit/key")).text
    key = files.text("key.txt", vkey)
    old = files.text("old.checkpoint", old_note)
    new = files.text("new.checkpoint", new_note)
    receipt = {code: files.json(f"{code}-proof.json", body) for code, body in receipts.items()}
    # Every leaf's inclusion in the new tree, and every older size's consistency with it.
    inclusions = [files.json(f"inclusion-{index}.json", await fetched(
        client, f"/audit/proof/inclusion?index={index}&size={new_size}"))
        for index in range(new_size)]
    consistencies = [files.json(f"consistency-{size}.json", await fetched(
        client, f"/audit/proof/consistency?from={size}&to={new_size}"))
        for size in range(1, new_size + 1)]
    signed_consistency = consistencies[old_size - 1]

    # What Intake produced is accepted.
    checked = accepts(logverify, "checkpoint", "-key", f"@{key}", old, new)
    assert f"tree size {old_size}," in checked and f"tree size {new_size}," in checked
    for code, path in receipt.items():
        checked = accepts(logverify, "receipt", "-key", vkey.strip(), "-case", code, path)
        assert f'"case":"{code}"' in checked
    first, second = codes[0], codes[1]
    first_index = receipts[first]["leaf_index"]
    accepts(logverify, "inclusion", "-key", f"@{key}", "-receipt", receipt[first], new,
            inclusions[first_index])
    accepts(logverify, "inclusion", "-key", f"@{key}", new, *inclusions)
    accepts(logverify, "consistency", "-key", f"@{key}", "-old", old, new, signed_consistency)
    accepts(logverify, "consistency", "-key", f"@{key}", new, *consistencies)
    # Another key's signature (a witness's cosignature, say) is ignored, as C2SP requires.
    witness = Signer.generate("witness.example/w1").sign(new_note.split("\n\n")[0] + "\n")
    cosigned = files.text("cosigned.checkpoint", new_note + witness.split("\n\n")[1])
    accepts(logverify, "checkpoint", "-key", f"@{key}", cosigned)

    # A changed byte of the entry.
    forged = dict(receipts[first])
    entry = bytearray(base64.b64decode(forged["entry"]))
    entry[len(entry) // 2] ^= 0x01
    forged["entry"] = base64.b64encode(bytes(entry)).decode()
    rejects(logverify, "receipt", "-key", f"@{key}", files.json("entry.json", forged),
            because="the inclusion proof does not lead from leaf")

    # A proof for another index: the other leaf's position and path with this leaf's entry...
    other = receipts[second]
    assert other["leaf_index"] != first_index and other["tree_size"] == receipts[first]["tree_size"]
    forged = {**receipts[first], "leaf_index": other["leaf_index"], "inclusion": other["inclusion"]}
    rejects(logverify, "receipt", "-key", f"@{key}", files.json("index.json", forged),
            because="the inclusion proof does not lead from leaf")
    # ... or this leaf's position with the other's path; the receipt for another case; and an
    # inclusion proof of another leaf offered for this receipt's.
    forged = {**receipts[first], "inclusion": other["inclusion"]}
    rejects(logverify, "receipt", "-key", f"@{key}", files.json("path.json", forged),
            because="the inclusion proof does not lead from leaf")
    rejects(logverify, "receipt", "-key", f"@{key}", "-case", first, receipt[second],
            because=f"not {first}")
    rejects(logverify, "inclusion", "-key", f"@{key}", "-receipt", receipt[first], new,
            inclusions[other["leaf_index"]], because="is not the receipt's leaf")

    # A checkpoint whose size line was edited, alone or inside a receipt.
    lines = old_note.split("\n")
    edited_note = "\n".join([lines[0], str(old_size + 1), *lines[2:]])
    edited = files.text("edited.checkpoint", edited_note)
    rejects(logverify, "checkpoint", "-key", f"@{key}", edited, because="the note was altered")
    forged = {**receipts[first], "checkpoint": edited_note, "tree_size": old_size + 1}
    rejects(logverify, "receipt", "-key", f"@{key}", files.json("size.json", forged),
            because="the note was altered")

    # A checkpoint verified against a different key: same name, or another name.
    for stranger in (Signer.generate(signer.name), Signer.generate("another.example/log")):
        other_key = stranger.verifier.vkey
        rejects(logverify, "checkpoint", "-key", other_key, "-origin", signer.name, new,
                because=f"not signed by the key {stranger.name}+{stranger.verifier.hash:08x}")
        rejects(logverify, "receipt", "-key", other_key, "-origin", signer.name, receipt[first],
                because="not signed by the key")
    # A key whose hash does not match it.
    name, key_hash, encoded = vkey.strip().split("+", 2)
    wrong = f"{name}+{int(key_hash, 16) ^ 1:08x}+{encoded}"
    rejects(logverify, "checkpoint", "-key", wrong, new, because="the verifier key")

    # Consistency: the checkpoints swapped, a changed proof hash, a proof from another size.
    rejects(logverify, "consistency", "-key", f"@{key}", "-old", new, old, signed_consistency,
            because="not to the signed checkpoint's size")
    forged = dict(json.loads(signed_consistency.read_text()))
    assert forged["consistency"], "a proof from a smaller tree has hashes"
    digest = bytearray(base64.b64decode(forged["consistency"][0]))
    digest[0] ^= 0x01
    forged["consistency"] = [base64.b64encode(bytes(digest)).decode(),
                             *forged["consistency"][1:]]
    rejects(logverify, "consistency", "-key", f"@{key}", "-old", old, new,
            files.json("consistency-forged.json", forged), because="is not shown to be a prefix")
    rejects(logverify, "consistency", "-key", f"@{key}", "-old", old, new,
            consistencies[old_size - 2], because="not from the older signed checkpoint")
    forged = dict(json.loads(consistencies[old_size - 2].read_text()))
    forged["from_root_hash"] = base64.b64encode(signer.verifier.public).decode()  # 32 bytes
    rejects(logverify, "consistency", "-key", f"@{key}", new,
            files.json("consistency-root.json", forged), because="is not shown to be a prefix")
