"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright (never a
downloaded browser), pages that cannot reach anything but this machine, and screenshots as artifacts."""

import os
import re
from pathlib import Path

# Playwright's sync API runs an event loop in the test's thread; the tests' ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LOCAL_ONLY = re.compile(r"^https?://(?!127\.0\.0\.1|localhost)")


def browser_launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def page_open(browser, *, width: int, height: int):
    """A fresh context (its own cookies) whose requests to anywhere but this machine are aborted."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    context.route(LOCAL_ONLY, lambda route: route.abort())
    return context.new_page()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
