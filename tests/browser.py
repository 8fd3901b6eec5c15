"""A real browser for the review page: Debian's Chromium, driven by Playwright, against the app
served by uvicorn on loopback (``tests.helpers.serve``).

Chromium is a system package (``apt-get install chromium``; README, "Tests"). Where it is missing
the browser tests are skipped with that command, except under CI (``CI`` set), where a missing
browser is a failure: CI installs it.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def system_program(name: str, package: str) -> str:
    """The path of a program from a Debian package the suite's browser and queue tests use. Missing,
    the test is skipped with the install command, except under CI (``CI`` set), which installs it."""
    path = shutil.which(name)
    if path:
        return path
    message = f'{name} is not installed (apt-get install -y {package}; README, "Tests")'
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str:
    return os.environ.get("NEWSFACTS_TEST_CHROMIUM") or system_program("chromium", "chromium")


@pytest.fixture
def browser():
    """A headless Chromium for one test. Playwright's sync API keeps an event loop running in this
    thread, so fixtures that run one of their own (``asyncio.run``) must come before it."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
