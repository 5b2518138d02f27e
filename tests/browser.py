"""What the browser tests share: Debian's chromium (never a downloaded build), where screenshots
go, the marks that skip them without it, and logging in as staff (password, then the second
factor from the authenticator `UserFactory` gave). The browser itself is the `chromium` fixture
(tests/conftest.py); each test module's `site` fixture is a live server on the seeded database."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import totp_code

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "correct horse battery staple"  # tests/factories.UserFactory
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = {"serious", "critical"}

# Playwright's sync API runs an event loop in this thread; the ORM calls around it stay synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# pytestmark = BROWSER in each browser test module.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"Debian's chromium is not installed at {CHROMIUM}"),
]


def log_in(page, site, username) -> str:
    """Log in through the login page, give the second factor when asked, and land on My work;
    says which it took ("second factor given" or "password only")."""
    from django.contrib.auth import get_user_model

    page.goto(site + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/staff/$|/two-factor/"))
    asked = "/two-factor/" in page.url  # editors and administrators always are
    if asked:
        page.get_by_label("Code").fill(totp_code(get_user_model().objects.get(username=username)))
        page.get_by_role("button", name="Verify").click()
    page.wait_for_url(re.compile(r"/staff/$"))
    return "second factor given" if asked else "password only"


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (axe is vendored in tests/vendor/,
    MPL-2.0; the page's context must bypass the CSP to inject it)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [node["target"] for node in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def no_sideways_scroll(page):
    """The page fits its viewport's width (a pixel of rounding allowed)."""
    width = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert width <= 1, f"{page.url} scrolls sideways by {width}px"
