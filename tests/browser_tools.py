"""What the browser tests outside ``tests/site`` share: project scripts, Chromium.

``tests/test_core_js.py``, ``tests/test_network_js.py`` and
``tests/test_crawl.py`` drive Debian's Chromium without building the site;
``tests/site/test_playground.py`` and ``tests/test_core_js.py`` compare the
playground with the same reference.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np
import pytest
from project_files import load_tool

from convdemo.ops import convolve2d, correlate2d, pool2d

# How close the playground's numbers must be to convdemo's.
TOLERANCE = 1e-9


# Float64 arrays travel between Python and a page as base64 of their bytes:
# exact, and fast for a 300 × 300 image. A page test adds this script before
# its own helpers, which call window.float64Base64.encode and .decode.
FLOAT64_BASE64_JS = """
window.float64Base64 = {
  decode(text) {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    return new Float64Array(bytes.buffer);
  },
  encode(array) {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    let text = "";
    for (let at = 0; at < bytes.length; at += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(at, at + 0x8000));
    }
    return btoa(text);
  },
};
"""


# The playground's controls as the page starts: each setting a test makes is
# these with some changed (:func:`control_settings`).
CONTROL_DEFAULTS: dict[str, Any] = {
    "padding": "valid",
    "border": "zeros",
    "stride": 1,
    "flip": False,
    "pool": "none",
    "dilation": 1,
}


def control_settings(**chosen: Any) -> dict[str, Any]:
    """One setting of the playground's controls: the defaults with `chosen` changed.

    As core.js, :func:`expected_output` and the page's ``configure`` take it.
    """
    unknown = set(chosen) - set(CONTROL_DEFAULTS)
    if unknown:
        raise TypeError(f"not a control of the playground: {sorted(unknown)}")
    return {**CONTROL_DEFAULTS, **chosen}


class PlaygroundCase(NamedTuple):
    """A preset kernel under one choice of padding, border, stride, flip, pool."""

    preset: str
    padding: str
    border: str
    stride: int
    flip: bool
    pool: str

    def settings(self) -> dict[str, Any]:
        """The case's controls (:func:`control_settings`), without the preset."""
        controls = self._asdict()
        del controls["preset"]
        return control_settings(**controls)

    def id(self) -> str:
        """The case's name in a test's id: its values joined by "-"."""
        return "-".join(str(value) for value in self)


# Playground settings whose output is compared with convdemo's: every padding,
# border, stride, flip and pooling choice, 3 × 3 and 5 × 5 presets. All of them
# on a blank page with core.js (tests/test_core_js.py); some through the
# built page's own controls (tests/site/test_playground.py).
PLAYGROUND_CASES = [
    PlaygroundCase(*case)
    for case in [
        ("vertical", "valid", "zeros", 1, False, "none"),
        ("horizontal", "same", "zeros", 1, False, "none"),
        ("identity", "valid", "zeros", 1, False, "none"),
        ("sobel_x", "same", "reflect", 1, True, "none"),
        ("edges", "same", "replicate", 2, False, "max"),
        ("oblique", "same", "wrap", 2, True, "avg"),
        ("emboss", "valid", "zeros", 2, True, "min"),
        ("gaussian_blur", "same", "reflect", 1, False, "max"),
        ("box_blur", "same", "zeros", 2, False, "avg"),
        ("scharr_y", "valid", "zeros", 1, False, "min"),
        ("gaussian_blur_5x5", "same", "wrap", 1, True, "none"),
        ("gaussian_blur_5x5", "same", "reflect", 2, False, "max"),
    ]
]


def to_base64(array: np.ndarray) -> str:
    """Return an array's float64 bytes as base64, for window.float64Base64.decode."""
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f8").tobytes()).decode()


def from_base64(text: str) -> np.ndarray:
    """Return the 1-D float64 array that window.float64Base64.encode wrote."""
    return np.frombuffer(base64.b64decode(text), dtype="<f8")


site_tools = load_tool("site_tools")


def require_chromium() -> None:
    """Skip when Debian's Chromium is missing, with a loud reason; fail in CI."""
    if site_tools.chromium_found():
        return
    message = (
        f"BROWSER TESTS NOT RUN: no Chromium at {site_tools.CHROMIUM}. Install "
        "Debian's `chromium` package (apt-get install chromium) or set CHROMIUM."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium(*extra_args: str) -> Iterator[Any]:
    """Launch Debian's Chromium headless; skip (fail in CI) when it is missing."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=site_tools.CHROMIUM,
            args=[*site_tools.CHROMIUM_ARGS, *extra_args],
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def script_page(*scripts: str, namespace: str) -> Iterator[Any]:
    """Open a blank page with `scripts` run in order; check ``window.<namespace>``.

    :data:`FLOAT64_BASE64_JS` runs first, so the scripts can use it.
    """
    with chromium() as browser:
        page = browser.new_page()
        page.goto("about:blank")
        for script in (FLOAT64_BASE64_JS, *scripts):
            page.add_script_tag(content=script)
        assert page.evaluate(f"typeof window.{namespace}") == "object"
        yield page


def expected_output(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    padding: str,
    border: str,
    stride: int,
    flip: bool,
    pool: str,
    dilation: int = 1,
) -> np.ndarray:
    """What convdemo computes for one setting of the playground's controls."""
    operation = convolve2d if flip else correlate2d
    out = operation(
        image, kernel, padding=padding, border=border, stride=stride, dilation=dilation
    )
    if pool != "none":
        out = pool2d(out, 2, mode=pool)
    return out


def assert_close(actual: Any, expected: np.ndarray) -> None:
    """Assert that the playground's output is convdemo's to within TOLERANCE."""
    assert isinstance(actual, np.ndarray), actual
    assert actual.shape == expected.shape
    assert float(np.max(np.abs(actual - expected), initial=0.0)) <= TOLERANCE
