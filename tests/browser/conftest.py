"""Real-browser tests: Debian's Chromium driven by Playwright against `intake serve` on a free
port, with axe-core (from the npm registry, pinned by its integrity hash) checking each page.

No Chromium or no axe-core: these tests are skipped, loudly; with CI=true, they fail instead.
Screenshots go to INTAKE_SCREENSHOT_DIR when set (the README's come from there), else to the
test's temporary folder."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import tarfile
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Locator, Page, async_playwright

from intake.settings import Settings
from tests.conftest import IN_CI, running_app
from tests.intake.conftest import ACCOUNTS, AGENCIES, PASSWORD
from tests.live import free_port, start_server
from workflows.access.accounts import create_user

AXE_VERSION = "4.14.1"
AXE_TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_INTEGRITY = ("sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuF"
                 "ooJpZe37OgudVGtQ==")
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "intake-tests"
# Chromium as the machine's notes advise: no sandbox as root, nothing that phones home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 900}


def _missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: nothing may be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = os.environ.get("INTAKE_CHROMIUM") or shutil.which("chromium")
    if not path:
        _missing("NO CHROMIUM: install Debian's chromium (apt-get install chromium) "
                 "or set INTAKE_CHROMIUM to run the browser tests")
    return str(path)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe.min.js from the npm registry's tarball, checked against its published integrity."""
    cached = CACHE / f"axe-core-{AXE_VERSION}.min.js"
    if not cached.exists():
        try:
            with urllib.request.urlopen(AXE_TARBALL, timeout=60) as answer:
                tarball = answer.read()
        except OSError as error:
            _missing(f"NO AXE-CORE: {AXE_TARBALL} could not be fetched ({error})")
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
        assert digest == AXE_INTEGRITY, "axe-core tarball does not match its integrity hash"
        with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
            member = archive.extractfile("package/axe.min.js")
            assert member is not None
            CACHE.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed: a parallel test worker never reads half a file.
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
            partial.write_bytes(member.read())
            partial.replace(cached)
    return cached.read_text(encoding="utf-8")


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("INTAKE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
async def site(settings: Settings) -> AsyncIterator[str]:
    """`intake serve` with the staff accounts of tests/intake, on this test's database."""
    async with running_app(settings):
        for email, role, agency in ACCOUNTS.values():
            await create_user(email, PASSWORD, role, agency, AGENCIES, name=_name(role, agency))
    port = free_port()
    server = start_server(settings, port)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


def _name(role: str, agency: str | None) -> str:
    return {"officer": "Trần Văn Bình", "lead": "Lê Thị Mai", "analyst": "Phạm Thu Trang",
            "admin": "Quản trị"}.get(role, "Nguyễn Văn An" if agency == "qltt" else "Đỗ Hữu Phúc")


# JavaScript errors of every page the current test opened. An exception raised inside a
# Playwright event handler is only logged, so errors are gathered here and checked at the end.
_page_errors: list[str] = []


@pytest.fixture
async def chrome(chromium: str) -> AsyncIterator[Browser]:
    _page_errors.clear()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()
    assert not _page_errors, f"JavaScript errors: {_page_errors}"


async def new_page(browser: Browser, base_url: str, viewport: dict[str, int] = DESK,
                   **options: Any) -> Page:
    """A fresh browser profile in Vietnamese, in Vietnam's time zone."""
    context = await browser.new_context(base_url=base_url, viewport=viewport, locale="vi-VN",
                                        timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True,
                                        **options)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    page.on("pageerror", lambda error: _page_errors.append(f"{page.url}: {error}"))
    return page


async def sign_in(page: Page, who: str) -> None:
    await page.goto("/staff/login")
    await page.get_by_label("Email").fill(ACCOUNTS[who][0])
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_load_state()


async def loaded_width(image: Locator) -> int:
    """The image's natural width once it has loaded (0 if it fails): a lazily loaded image
    starts loading only when it comes on screen, so it is scrolled there first."""
    await image.scroll_into_view_if_needed()
    width: int = await image.evaluate("""image => image.complete ? image.naturalWidth
        : new Promise(done => {
            image.addEventListener("load", () => done(image.naturalWidth));
            image.addEventListener("error", () => done(0));
        })""")
    return width


async def serious_violations(page: Page, axe_source: str) -> list[str]:
    """What axe-core finds of serious or critical impact on the page as it is now."""
    await page.evaluate(axe_source)
    results = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + "; ".join(node["target"][0] for node in violation["nodes"][:3])
            for violation in results if violation["impact"] in ("serious", "critical")]
