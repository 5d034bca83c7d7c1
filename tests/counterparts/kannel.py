"""A real SMS gateway for the tests: Debian's Kannel (bearerbox + smsbox) run from the
kannel.conf the README gives, on free ports, with the fake SMSC of `kannel-extras` in place of
an operator. The fake SMSC prints every message it receives; `messages()` reads them.

No Kannel here: the tests that need it are skipped, loudly; with CI=true they fail instead."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.live import free_port

README = Path(__file__).resolve().parents[2] / "README.md"
FAKESMSC = Path("/usr/lib/kannel/test/fakesmsc")
CONF_START = "# kannel.conf for Intake"
# Kannel's ports in the README's conf, each given a free one here.
PORT_KEYS = ("admin-port", "smsbox-port", "port", "sendsms-port")
_GOT = re.compile(r"Got message \d+: <(\S+) (\S+) (?:udh (\S+) )?(text|ucs-2|data) ?(.*)>$")


@dataclass(frozen=True)
class Sms:
    sender: str
    to: str
    text: str


def readme_conf() -> str:
    """The kannel.conf block of the README, as an operator would copy it."""
    text = README.read_text(encoding="utf-8")
    start = text.index(CONF_START)
    return text[start:text.index("```", start)]


def _bytes(body: str) -> bytes:
    """A body the fake SMSC printed URL-encoded ("+" for a space)."""
    return urllib.parse.unquote_to_bytes(body.replace("+", " "))


def _text(coding: str, data: bytes) -> str:
    """UCS-2 is UTF-16-BE (its ASCII letters have a zero byte); a split GSM text comes as
    8-bit data of its plain characters."""
    if coding == "ucs-2" or b"\x00" in data:
        return data.decode("utf-16-be")
    return data.decode("ascii")


class Kannel:
    """bearerbox, smsbox and the fake SMSC, in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ports = {key: free_port() for key in PORT_KEYS}
        conf = readme_conf()
        for key, port in self.ports.items():
            conf = re.sub(rf"^{key} = \d+$", f"{key} = {port}", conf, flags=re.MULTILINE)
        self.conf = folder / "kannel.conf"
        self.conf.write_text(conf, encoding="utf-8")
        values = dict(re.findall(r"^(username|password) = (\S+)$", conf, re.MULTILINE))
        self.sendsms_url = (f"http://127.0.0.1:{self.ports['sendsms-port']}/cgi-bin/sendsms?"
                            f"username={values['username']}&password={values['password']}")
        self.received_log = folder / "fakesmsc.log"
        self._processes: dict[str, subprocess.Popen] = {}

    def start(self) -> None:
        self._start("bearerbox", ["bearerbox", str(self.conf)])
        self._wait_for_port(self.ports["smsbox-port"])
        self._start("smsbox", ["smsbox", str(self.conf)])
        self._start("fakesmsc", ["sh", "-c", f"tail -f /dev/null | {FAKESMSC} -H 127.0.0.1 "
                                 f"-r {self.ports['port']} -i 0.1 -m 0"],
                    output=self.received_log.open("a", encoding="utf-8"))
        self._wait_for_port(self.ports["sendsms-port"])

    def stop_smsbox(self) -> None:
        """The HTTP interface gone (as when smsbox is restarted): sendsms is refused."""
        self._stop("smsbox")

    def start_smsbox(self) -> None:
        self._start("smsbox", ["smsbox", str(self.conf)])
        self._wait_for_port(self.ports["sendsms-port"])

    def stop(self) -> None:
        for name in list(self._processes):
            self._stop(name)

    def messages(self) -> list[Sms]:
        """Every SMS the fake SMSC received, in order, a split one joined from its parts (by
        the reference and part number of its concatenation header)."""
        if not self.received_log.exists():
            return []
        found: list[Sms] = []
        parts: dict[tuple[str, int], dict[int, bytes]] = {}
        for line in self.received_log.read_text(encoding="utf-8", errors="replace").splitlines():
            matched = _GOT.search(line)
            if not matched:
                continue
            sender, to, udh, coding, body = matched.groups()
            if coding == "text" and not udh:
                found.append(Sms(sender, to, body))
                continue
            if not udh:
                found.append(Sms(sender, to, _text(coding, _bytes(body))))
                continue
            header = _bytes(udh)  # 05 00 03 reference total number
            reference, total, number = header[3], header[4], header[5]
            pieces = parts.setdefault((to, reference), {})
            pieces[number] = _bytes(body)
            if len(pieces) == total:
                data = b"".join(pieces[n] for n in sorted(pieces))
                found.append(Sms(sender, to, _text(coding, data)))
                del parts[(to, reference)]
        return found

    def wait_for(self, count: int, seconds: float = 30) -> list[Sms]:
        """Once at least `count` SMS arrived (fails after `seconds`)."""
        deadline = time.monotonic() + seconds
        while len(messages := self.messages()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"the SMSC received {len(messages)} SMS, not {count}: "
                                     f"{messages}")
            time.sleep(0.1)
        return messages

    def _start(self, name: str, command: list[str], output=None) -> None:
        log = output or (self.folder / f"{name}.log").open("a", encoding="utf-8")
        self._processes[name] = subprocess.Popen(command, cwd=self.folder, stdout=log,
                                                 stderr=subprocess.STDOUT, start_new_session=True)

    def _stop(self, name: str) -> None:
        process = self._processes.pop(name)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def _wait_for_port(self, port: int, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"Kannel did not open port {port}; see {self.folder}")


def kannel_missing() -> str:
    if shutil.which("bearerbox") and shutil.which("smsbox") and FAKESMSC.exists():
        return ""
    return ("NO KANNEL: apt-get install kannel kannel-extras to run the SMS gateway tests "
            "(bearerbox, smsbox, /usr/lib/kannel/test/fakesmsc)")


@pytest.fixture
def kannel(tmp_path: Path) -> Iterator[Kannel]:
    missing = kannel_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"{missing} (CI=true: nothing may be skipped)")
        pytest.skip(missing)
    folder = tmp_path / "kannel"
    folder.mkdir()
    gateway = Kannel(folder)
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()
