"""Fixtures of the console's tests: cheap argon2 parameters, one Chromium for the run, and
screenshots where `CLOPOS_CONSOLE_SCREENSHOTS` asks for them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from clopos.core.operators import service as operators

CHROMIUM = os.environ.get("CLOPOS_CHROMIUM", "/usr/bin/chromium")
# Headless, and nothing that reaches for the network (the suite runs offline).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, but 8 MiB and one pass instead of 64 MiB and three: the suite makes
    and signs in dozens of operators (the production parameters have their own test)."""
    monkeypatch.setattr(
        operators, "_hasher", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    )
    operators._decoy.cache_clear()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the browser tests (Debian's package, driven by Playwright;
    they are one module, so one browser a run). Module-scoped, not session-scoped: while
    Playwright's sync API is open, its event loop counts as running in this thread, and a
    later test's `asyncio.run` would refuse to start.
    Missing, it skips the browser tests, unless CLOPOS_REQUIRE_BROWSER is set (CI sets it):
    then it fails them."""
    required = bool(os.environ.get("CLOPOS_REQUIRE_BROWSER"))
    problem = None
    if not Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is None:
        problem = f"Chromium is not installed ({CHROMIUM}; Debian: apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            problem = "playwright is not installed (the test extra)"
    if problem is not None:
        if required:
            pytest.fail(f"CLOPOS_REQUIRE_BROWSER is set but {problem}")
        pytest.skip(problem)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


class Screenshots:
    """Saves a page's picture as NAME.png in `CLOPOS_CONSOLE_SCREENSHOTS`, when it is set."""

    def __init__(self) -> None:
        target = os.environ.get("CLOPOS_CONSOLE_SCREENSHOTS")
        self.directory = Path(target) if target else None
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)

    def __call__(self, page: Any, name: str, *, full_page: bool = True) -> None:
        if self.directory is not None:
            page.screenshot(path=str(self.directory / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="session")
def screenshots() -> Screenshots:
    return Screenshots()
