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


# --- Page checks shared by the resident and admin page tests --------------------------------------------

# English words that must not reach a resident or staff member (the Indonesian pages never need them).
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "your",
        "you",
        "with",
        "has",
        "have",
        "been",
        "was",
        "please",
        "paid",
        "pending",
        "failed",
        "expired",
        "removed",
        "resident",
        "delta",
        "elapsed",
        "above",
        "remaining",
        "quota",
        "package",
        "packages",
        "device",
        "devices",
        "history",
        "payment",
        "order",
        "usage",
        "save",
        "delete",
        "search",
        "add",
        "change",
        "home",
        "view",
        "site",
        "today",
        "yesterday",
        "none",
        "true",
        "false",
        "buy",
        "log",
        "logout",
        "login",
        "back",
        "next",
        "previous",
        "page",
        "of",
        "left",
        "used",
        "days",
        "day",
        "hours",
        "minutes",
        "seconds",
        "account",
        "accounts",
        "unknown",
        "time",
        "amount",
        "what",
    ]
)
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# Within one line and cell: a tab and the heading below it, or two table cells, may share a word.
DOUBLED_WORD = re.compile(r"\b(\w{2,}) +\1\b", re.I)

_LAYOUT_SCRIPT = """
([heading, navs]) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    problems.push(`horizontal overflow: ${doc.scrollWidth}px wide in ${window.innerWidth}px`);
  }
  for (const el of document.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (style.overflowX === 'auto' || style.overflowX === 'scroll') {
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        const what = `${el.tagName.toLowerCase()}#${el.id}.${el.className}`;
        problems.push(`cut off: ${what} scrolls ${el.scrollWidth}px in ${el.clientWidth}px`);
      }
    }
  }
  const textRects = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  };
  const overlaps = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
                             Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const leaves = [...document.body.querySelectorAll('*')].filter(el => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') return false;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    return own || ['IMG', 'SVG', 'svg', 'INPUT', 'BUTTON', 'SELECT', 'TEXTAREA'].includes(el.tagName);
  });
  const check = (selector, what) => {
    for (const target of document.querySelectorAll(selector)) {
      const rects = what === 'heading' ? textRects(target) : [target.getBoundingClientRect()];
      for (const el of leaves) {
        if (target.contains(el) || el.contains(target)) continue;
        const box = el.getBoundingClientRect();
        if (rects.some(r => overlaps(r, box))) {
          const text = (el.innerText || el.value || '').trim().slice(0, 30);
          problems.push(`${el.tagName.toLowerCase()} "${text}" overlaps the ${what}`);
        }
      }
    }
  };
  if (heading) check(heading, 'heading');
  for (const nav of navs) check(nav, 'navigation');
  return problems;
}
"""


def layout_problems(page, *, heading: str = "h1", navs: tuple[str, ...] = ()) -> list[str]:
    """Horizontal overflow of the page, scrolling boxes that cut content off, and anything drawn over the
    heading's text or over a navigation bar."""
    return page.evaluate(_LAYOUT_SCRIPT, [heading, list(navs)])


def language_problems(text: str) -> list[str]:
    """English words from the list, and doubled words ("paket Paket"), in a page's visible text."""
    english = sorted({w for w in WORD.findall(text) if w.lower() in ENGLISH_WORDS})
    doubled = [m.group(0) for m in DOUBLED_WORD.finditer(text) if not m.group(1).isdigit()]
    return [f"English: {w}" for w in english] + [f"doubled: {d}" for d in doubled]


def accessibility_problems(page) -> list[str]:
    """axe-core (from the axe-playwright-python package, no download) violations of impact serious or
    critical: contrast, labels, names of buttons and links."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def sign_in(context, base_url: str, user) -> None:
    """Give a browser context the session of `user` (made by Django's test client, no login form)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base_url}])
