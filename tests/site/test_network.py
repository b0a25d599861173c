"""The page "Draw a digit" in Chromium: drawing, keyboard, numbers, speed, layout.

``tests/test_network_js.py`` checks the page's arithmetic (``tinycnn.js``)
against ``TinyCNN.forward`` on every held-out digit without a build. Here
the built page is driven as a reader would: drawing with a mouse and a
finger, picking and editing a digit with the keyboard, reading a cell's
arithmetic, each time checking the numbers the page computes against
convdemo. The update time is measured under Chromium's CPU throttling (a
mid-range phone is about four times slower than this machine's cores), and
the page is checked with axe in both colour schemes and at phone width.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from convdemo.cnn import TinyCNN

from .conftest import Build

pytestmark = [pytest.mark.site, pytest.mark.browser]

PAGE = "network/"
# A mid-range phone's CPU, relative to a desktop core (Lighthouse's setting).
THROTTLING = 4
UPDATE_BUDGET_MS = 16.0
# Strokes drawn at most to time the updates; the fastest counts.
STROKES = 3


@pytest.fixture(scope="module")
def model(build: Build) -> TinyCNN:
    """The weights the built page computes with."""
    return TinyCNN.load(build.site / "assets/network/data/tiny-cnn.json")


@pytest.fixture(scope="module")
def held_out(build: Build) -> dict[str, Any]:
    """The held-out digits the page offers."""
    path = build.site / "assets/network/data/digits.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _open(browser: Any, server: str, **options: Any) -> tuple[Any, Any]:
    """Open the page in a new context; wait until the network has loaded."""
    context = browser.new_context(**options)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server + PAGE, wait_until="load")
    page.wait_for_selector("#convdemo-network[data-status='ready']")
    assert errors == []
    return context, page


def _ink(page: Any) -> np.ndarray:
    """The 8 × 8 ink counts the page computes with."""
    text = page.get_attribute("#convdemo-network", "data-ink")
    return np.array([float(v) for v in text.split(",")]).reshape(8, 8)


def _answer(page: Any) -> int:
    return int(page.get_attribute("#convdemo-network", "data-answer"))


def _draw(page: Any, points: list[tuple[float, float]]) -> None:
    """Drag the mouse through points given as fractions of the drawing area."""
    box = page.locator(".cdn-pad").bounding_box()
    xy = [
        (box["x"] + u * box["width"], box["y"] + v * box["height"]) for u, v in points
    ]
    page.mouse.move(*xy[0])
    page.mouse.down()
    for x, y in xy[1:]:
        page.mouse.move(x, y, steps=4)
    page.mouse.up()


def test_first_held_out_digit_is_shown_and_predicted(
    browser: Any, server: str, model: TinyCNN, held_out: dict[str, Any]
) -> None:
    """On load the page shows held-out digit 1 with the library's answer."""
    context, page = _open(browser, server)
    first = np.array([ord(c) - 97 for c in held_out["digits"][0]]).reshape(8, 8)
    assert np.array_equal(_ink(page), first)
    assert _answer(page) == int(model.predict(first)[0])
    context.close()


def test_drawing_reduces_by_sum_pooling_and_predicts(
    browser: Any, server: str, model: TinyCNN
) -> None:
    """A stroke becomes whole 4 × 4 block counts; the answer is the library's."""
    context, page = _open(browser, server)
    page.click("text=Clear")
    _draw(page, [(0.5, 0.15), (0.5, 0.5), (0.52, 0.85)])
    page.wait_for_timeout(100)
    ink = _ink(page)
    assert ink.max() <= 16
    assert np.array_equal(ink, np.round(ink))
    assert ink.sum() > 20
    # A vertical stroke down the middle inks the middle columns only.
    assert ink[:, :2].sum() == 0
    assert ink[:, 6:].sum() == 0
    assert _answer(page) == int(model.predict(ink)[0])
    shown = page.inner_text(".cdn-bar-best .cdn-bar-value")
    probability = model.predict_proba(ink)[0].max()
    assert shown == f"{100 * probability:.1f} %"
    context.close()


def test_touch_draws_too(browser: Any, server: str) -> None:
    """A tap with a finger inks cells."""
    context, page = _open(browser, server, has_touch=True)
    page.click("text=Clear")
    assert _ink(page).sum() == 0
    box = page.locator(".cdn-pad").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(100)
    assert _ink(page).sum() > 0
    context.close()


def test_keyboard_picks_and_edits_a_digit(
    browser: Any, server: str, model: TinyCNN, held_out: dict[str, Any]
) -> None:
    """Picking digit 10 and pressing + on a pixel updates the ink and the answer."""
    context, page = _open(browser, server)
    page.select_option(".cdn-select", "9")
    digit = np.array([ord(c) - 97 for c in held_out["digits"][9]]).reshape(8, 8)
    assert np.array_equal(_ink(page), digit)
    page.focus(".cdn-area-input canvas[tabindex='0']")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    before = _ink(page)[1, 1]
    page.keyboard.press("+")
    expected = digit.copy()
    expected[1, 1] = min(16, before + 1)
    assert np.array_equal(_ink(page), expected)
    assert _answer(page) == int(model.predict(expected)[0])
    page.keyboard.press("0")
    assert _ink(page)[1, 1] == 0
    context.close()


def test_a_cell_tells_its_arithmetic(
    browser: Any, server: str, model: TinyCNN, held_out: dict[str, Any]
) -> None:
    """Arrow keys on layer 1 announce the cell's sum, bias and ReLU, as Python's."""
    context, page = _open(browser, server)
    first = np.array([ord(c) - 97 for c in held_out["digits"][0]]).reshape(8, 8)
    maps = model.forward(first)
    layer = page.locator(".cdn-area-layers canvas").first
    layer.focus()
    # The page starts on map 0, cell (3, 3) of layer 1; move right once.
    page.keyboard.press("ArrowRight")
    text = page.inner_text(".cdn-readout")
    assert "Layer 1, map 0, cell [3, 4]" in text
    value = maps["conv1"][3, 4, 0]
    assert f"{value:.3f}".replace("-", "−") in text
    assert page.get_attribute(".cdn-readout", "aria-live") == "polite"
    # Hovering a probability explains its logit.
    page.hover(".cdn-bar >> nth=3")
    assert f"{maps['logits'][3]:.3f}".replace("-", "−") in page.inner_text(
        ".cdn-readout"
    )
    context.close()


def _stroke_update_times(page: Any) -> list[float]:
    """Clear the pad, draw one stroke of 30 moves; return each update's time in ms."""
    page.click("text=Clear")
    box = page.locator(".cdn-pad").bounding_box()
    times = []
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    for k in range(30):
        page.mouse.move(box["x"] + 20 + 6 * k, box["y"] + 20 + 5 * k)
        page.wait_for_timeout(30)
        times.append(float(page.get_attribute("#convdemo-network", "data-update-ms")))
    page.mouse.up()
    return times


@pytest.mark.quiet
def test_updates_take_under_16_ms_on_a_throttled_cpu(browser: Any, server: str) -> None:
    """With the CPU slowed 4 times, 9 updates in 10 while drawing take under 16 ms.

    The best of up to STROKES strokes counts, as ``timeit`` takes the
    fastest run: another process on a shared machine only makes a stroke
    slower, so the fastest one is what the page itself costs.
    """
    context, page = _open(browser, server)
    session = context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLING})
    ninetieths = []
    for _ in range(STROKES):
        times = _stroke_update_times(page)
        ninetieths.append(statistics.quantiles(times, n=10)[-1])
        print(
            f"update at {THROTTLING}x: median {statistics.median(times):.1f} ms, "
            f"90th percentile {ninetieths[-1]:.1f} ms, max {max(times):.1f} ms"
        )
        if ninetieths[-1] < UPDATE_BUDGET_MS:
            break
    session.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    assert min(ninetieths) < UPDATE_BUDGET_MS, ninetieths
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_once_loaded(browser: Any, server: str, scheme: str) -> None:
    """axe-core finds no violation on the loaded page, in either scheme."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    context, page = _open(
        browser, server, color_scheme=scheme, viewport={"width": 1280, "height": 900}
    )
    page.evaluate(axe_module.Axe().axe_script)
    violations = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => [v.id, v.impact, v.nodes.length]))"
    )
    assert violations == []
    context.close()


def test_no_horizontal_overflow_on_a_phone(browser: Any, server: str) -> None:
    """At 375 px nothing is wider than the screen."""
    context, page = _open(browser, server, viewport={"width": 375, "height": 740})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    wide = page.evaluate(
        """() => Array.from(document.querySelectorAll('#convdemo-network *'))
             .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
             .map(e => e.tagName + '.' + e.className)"""
    )
    assert wide == []
    context.close()


def test_page_loads_nothing_from_another_host(browser: Any, server: str) -> None:
    """Every request of the page goes to the site itself."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + PAGE, wait_until="networkidle")
    page.wait_for_selector("#convdemo-network[data-status='ready']")
    assert requests
    assert all(r.startswith(server) or r.startswith("data:") for r in requests)
    context.close()


def test_built_page_has_no_inline_style_or_script(build: Build) -> None:
    """The page's own markup has no style attribute and no inline script of its own."""
    html = (build.site / "network" / "index.html").read_text(encoding="utf-8")
    start = html.index('id="convdemo-network"')
    end = html.index("</article>", start)
    assert "style=" not in html[start:end]
    assert "<script>" not in html[start:end]
    assert Path(build.site / "assets/network/tinycnn.js").is_file()
