"""How the site tests and benchmarks launch Chromium (``scripts/site_tools.py``)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .browser_tools import chromium, site_tools

pytestmark = pytest.mark.browser

# The switch as chrome://version lists it: --disable-features="A,B,C".
_DISABLED = re.compile(r'--disable-features="?([^"\s]*)')


def disabled_features(browser: Any) -> set[str]:
    """Return the features `browser` runs with turned off, as chrome://version says."""
    page = browser.new_page()
    page.goto("chrome://version/?show-variations-cmd")
    found = _DISABLED.search(page.inner_text("#variations-cmd"))
    page.close()
    return set(found.group(1).split(",")) if found else set()


def test_playwright_defaults_are_all_listed() -> None:
    """PLAYWRIGHT_DISABLED_FEATURES names every feature Playwright turns off itself."""
    ours = [a for a in site_tools.CHROMIUM_ARGS if a.startswith("--disable-features=")]
    assert len(ours) == 1
    with chromium() as browser:
        # The same launch without our switch: Playwright's list alone.
        playwright_only = browser.browser_type.launch(
            executable_path=site_tools.CHROMIUM,
            args=[a for a in site_tools.CHROMIUM_ARGS if a not in ours],
        )
        try:
            defaults = disabled_features(playwright_only)
        finally:
            playwright_only.close()
    assert defaults, "chrome://version lists no disabled feature"
    assert defaults <= set(site_tools.PLAYWRIGHT_DISABLED_FEATURES)


def test_launch_keeps_playwright_defaults_and_opens_no_hidden_page() -> None:
    """Ours turns off Playwright's features and the pop-ups: a window is one page."""
    wanted = {*site_tools.PLAYWRIGHT_DISABLED_FEATURES, *site_tools.UNUSED_FEATURES}
    with chromium() as browser:
        assert disabled_features(browser) >= wanted
        context = browser.new_context()
        context.new_page().goto("about:blank")
        targets = browser.new_browser_cdp_session().send("Target.getTargets")
        context.close()
    kinds = sorted(t["type"] for t in targets["targetInfos"])
    assert kinds == ["page"], targets["targetInfos"]
