"""The Playground page: exported data, numbers, read-out, bad input, a11y, layout.

The browser tests drive the built site in Debian's Chromium through
Playwright. They compare what the page computes with ``convdemo`` to within
1e-9, check the per-pixel read-out, the handling of bad kernels and bad
files, axe's verdict, the layout at phone and desktop width in both colour
schemes, and that loading the playground moves nothing on the page.
"""

from __future__ import annotations

import html.parser
import io
import itertools
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image
from project_files import ROOT, load_hook

from convdemo.images import grid_image, isometric_image, load_image, to_uint8
from convdemo.kernels import KERNELS
from convdemo.ops import correlate2d, sliding_windows

from ..browser_tools import (
    PLAYGROUND_CASES,
    TOLERANCE,
    PlaygroundCase,
    assert_close,
    control_settings,
    expected_output,
)
from .conftest import Build
from .crawl import Crawl

PREFIX = "#convdemo-playground"


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    """The build hook that exports the playground's data."""
    return load_hook("playground_data")


# --------------------------------------------------------------- no browser


def test_export_is_deterministic(hook: ModuleType) -> None:
    """Two exports give the same bytes, and every expected file is there."""
    first = hook.export()
    assert first == hook.export()
    assert set(first) == {
        "manifest.json",
        "kernels.json",
        "grid.png",
        "isometric.png",
        "photo.png",
    }


def test_exported_kernels_are_the_registry(hook: ModuleType) -> None:
    """kernels.json lists KERNELS in order, with the exact float64 values."""
    exported = json.loads(hook.export()["kernels.json"])
    assert [k["name"] for k in exported] == list(KERNELS)
    for entry in exported:
        kernel = KERNELS[entry["name"]]
        assert entry["title"] == kernel.title
        assert entry["description"] == kernel.description
        values = np.array(entry["values"], dtype=np.float64)
        assert np.array_equal(values, kernel.values)
        assert entry["weights"] == kernel.weights.tolist()
        assert entry["divisor"] == kernel.divisor
        assert np.array_equal(np.array(entry["weights"]) / entry["divisor"], values)


def test_exported_manifest_holds_the_library_limits(hook: ModuleType) -> None:
    """The grey weights and pixel limit come from the library, not the scripts."""
    from convdemo.images import LUMA_THOUSANDTHS, MAX_PIXELS

    manifest = json.loads(hook.export()["manifest.json"])
    assert manifest["grey"] == list(LUMA_THOUSANDTHS)
    assert manifest["limits"]["maxPixels"] == MAX_PIXELS
    assert manifest["limits"]["uploadMaxSide"] == hook.UPLOAD_MAX_SIDE
    assert manifest["limits"]["maxBytes"] == hook.UPLOAD_MAX_BYTES
    scripts = ROOT / "docs" / "assets" / "playground"
    for name in ("core.js", "playground.js"):
        text = (scripts / name).read_text(encoding="utf-8")
        # No copy of the weights, the pixel limit or a fraction-guessing loop.
        assert not re.search(r"\b(587|50 \* 1000 \* 1000|1024)\b", text), name


def test_exported_images_are_the_library_pixels(hook: ModuleType) -> None:
    """The PNGs decode to the library's images as documented in the hook."""
    files = hook.export()
    manifest = json.loads(files["manifest.json"])

    def decoded(name: str) -> np.ndarray:
        with Image.open(io.BytesIO(files[f"{name}.png"])) as picture:
            assert picture.mode == "L"
            return np.asarray(picture)

    grid = decoded("grid")
    assert np.array_equal(grid / 255.0, grid_image())
    assert np.array_equal(decoded("isometric"), to_uint8(isometric_image()))
    photo = decoded("photo")
    assert max(photo.shape) <= hook.PHOTO_MAX_SIDE
    assert np.array_equal(photo, hook.playground_images()[2]["pixels"])
    exact = {image["name"]: image["exact"] for image in manifest["images"]}
    assert exact == {"grid": True, "isometric": False, "photo": False}
    # The top-left corner, as large as the largest kernel, for the first
    # read-out.
    side = max(kernel.values.shape[0] for kernel in KERNELS.values())
    for image in manifest["images"]:
        pixels = decoded(image["name"])
        assert image["corner"] == pixels[:side, :side].tolist()
    assert all(len(files[f"{n}.png"]) < 100_000 for n in exact)


def test_exported_colormap_is_the_figures(hook: ModuleType) -> None:
    """The LUT holds the diverging colormap's 8-bit colours."""
    import matplotlib

    from convdemo.style import DIVERGING

    colormap = json.loads(hook.export()["manifest.json"])["colormap"]
    cmap = matplotlib.colormaps[DIVERGING]
    expected = cmap(np.arange(cmap.N), bytes=True)[:, :3].ravel().tolist()
    assert colormap["lut"] == expected


class _Container(html.parser.HTMLParser):
    """Finds the playground's container and keeps its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if dict(attrs).get("id") == PREFIX[1:]:
            self.found.append(dict(attrs))


def test_page_attribute_is_sorted_escaped_json(hook: ModuleType) -> None:
    """The attribute holds both files' data, keys sorted, safe in HTML."""
    files = hook.export()
    attribute = hook.page_attribute(files["manifest.json"], files["kernels.json"])
    assert attribute == hook.page_attribute(
        files["manifest.json"], files["kernels.json"]
    )
    assert attribute.startswith('data-playground="')
    assert attribute.endswith('"')
    assert not re.search(r'[<>"]', attribute[len('data-playground="') : -1])
    parser = _Container()
    parser.feed(f'<div id="{PREFIX[1:]}" {attribute}></div>')
    text = parser.found[0]["data-playground"]
    assert text is not None
    data = json.loads(text)
    assert data == {
        "kernels": json.loads(files["kernels.json"]),
        "manifest": json.loads(files["manifest.json"]),
    }
    assert text == json.dumps(
        data, ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )


@pytest.mark.site
def test_built_site_holds_the_exported_data(build: Build, hook: ModuleType) -> None:
    """The build wrote the hook's files, byte for byte, next to the page."""
    data = build.site / "assets" / "playground" / "data"
    assert data.is_dir(), "hooks/playground_data.py is not listed in mkdocs.yml"
    for name, content in hook.export().items():
        assert (data / name).read_bytes() == content
    page = (build.site / "playground" / "index.html").read_text(encoding="utf-8")
    for asset in ("playground.css", "core.js", "playground.js"):
        assert f"../assets/playground/{asset}" in page
        assert (build.site / "assets" / "playground" / asset).is_file()
    assert (build.site / "assets" / "playground" / "worker.js").is_file()
    # The container carries the manifest and the kernels for the first paint,
    # before the script that reads them.
    parser = _Container()
    parser.feed(page)
    assert len(parser.found) == 1
    files = hook.export()
    assert parser.found[0]["data-playground"] is not None
    assert json.loads(parser.found[0]["data-playground"]) == {
        "kernels": json.loads(files["kernels.json"]),
        "manifest": json.loads(files["manifest.json"]),
    }
    assert page.index(f'id="{PREFIX[1:]}"') < page.index("playground/playground.js")


# ------------------------------------------------------------------ browser


def in_browser(test: Any) -> Any:
    """Mark a test as needing Chromium and the built site."""
    return pytest.mark.site(pytest.mark.browser(test))


class Session:
    """A page on the playground and the errors its console reported."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url
        self.errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self) -> None:
        self.page.goto(self.url)
        self.idle()

    def idle(self) -> str:
        """Wait until nothing is loading or computing; return the status."""
        self.page.wait_for_function("() => window.convdemoPlayground !== undefined")
        status: str = self.page.evaluate("() => window.convdemoPlayground.whenIdle()")
        return status

    def configure(
        self,
        *,
        image: str = "grid",
        preset: str = "vertical",
        padding: str = "valid",
        border: str = "zeros",
        stride: int = 1,
        flip: bool = False,
        pool: str = "none",
        dilation: int = 1,
    ) -> None:
        """Set every control through the page's own widgets."""
        page = self.page
        page.select_option(f"{PREFIX}-image", image)
        page.select_option(f"{PREFIX}-preset", preset)
        page.select_option(f"{PREFIX}-padding", padding)
        page.select_option(f"{PREFIX}-border", border)
        page.select_option(f"{PREFIX}-stride", str(stride))
        page.select_option(f"{PREFIX}-dilation", str(dilation))
        page.select_option(f"{PREFIX}-pool", pool)
        page.set_checked(f"{PREFIX}-flip", flip)
        assert self.idle() == "ready"

    def output(self) -> dict[str, Any]:
        result: dict[str, Any] = self.page.evaluate(
            "() => window.convdemoPlayground.getOutput()"
        )
        return result

    def remember_output(self) -> None:
        """Keep a copy of the current output inside the page."""
        self.page.evaluate(
            "() => { window.__remembered = JSON.stringify("
            "window.convdemoPlayground.getOutput()); }"
        )

    def output_is_remembered(self) -> bool:
        """Tell whether the output (values, settings, kernel) is still the kept one."""
        same: bool = self.page.evaluate(
            "() => JSON.stringify(window.convdemoPlayground.getOutput()) "
            "=== window.__remembered"
        )
        return same

    def output_array(self) -> np.ndarray:
        return np.array(self.output()["data"], dtype=np.float64)


@pytest.fixture(scope="module")
def playground_url(site_url: str, build: Build) -> str:
    """The Playground's address on the local server, under the site's prefix."""
    assert (build.site / "playground" / "index.html").is_file()
    return site_url + "playground/"


@pytest.fixture(scope="module")
def session(browser: Any, playground_url: str) -> Iterator[Session]:
    """One page on the playground, shared by the tests that only read it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    s = Session(context.new_page(), playground_url)
    s.open()
    yield s
    context.close()


@pytest.fixture
def pg(session: Session) -> Iterator[Session]:
    """The shared page; the test fails if it logged a console error."""
    before = len(session.errors)
    yield session
    assert session.errors[before:] == []


# Through the page's own controls: every padding, border, stride, flip and
# pooling choice at least once, a 3 × 3 and a 5 × 5 preset. The arithmetic
# itself is compared with convdemo on every case, without building the site,
# in tests/test_core_js.py.
CASES = [PLAYGROUND_CASES[i] for i in (0, 3, 4, 5, 6, 10)]


@in_browser
def test_grid_input_is_the_library_image(pg: Session) -> None:
    """The page computes on grid_image() itself, bit for bit."""
    pg.configure(image="grid")
    data = pg.page.evaluate("() => window.convdemoPlayground.getInput()")
    assert data["shape"] == [300, 300]
    assert np.array_equal(np.array(data["data"]), grid_image())


@in_browser
@pytest.mark.parametrize("case", CASES, ids=PlaygroundCase.id)
def test_output_matches_convdemo(pg: Session, case: PlaygroundCase) -> None:
    """The page's output on the grid equals convdemo's to within 1e-9."""
    settings = case.settings()
    pg.configure(image="grid", preset=case.preset, **settings)
    expected = expected_output(grid_image(), KERNELS[case.preset].values, **settings)
    assert_close(pg.output_array(), expected)
    shape = pg.page.get_attribute(PREFIX, "data-shape")
    assert shape == f"{expected.shape[0]},{expected.shape[1]}"
    caption = pg.page.text_content(f"{PREFIX}-shape") or ""
    assert f"{expected.shape[0]} × {expected.shape[1]}" in caption


@in_browser
@pytest.mark.parametrize("image", ["isometric", "photo"])
def test_other_images_match_their_exported_pixels(
    pg: Session, hook: ModuleType, image: str
) -> None:
    """The drawing and the photo compute on the exported 8-bit pixels."""
    pixels = {i["name"]: i["pixels"] for i in hook.playground_images()}[image]
    settings = {
        "padding": "same",
        "border": "reflect",
        "stride": 1,
        "flip": False,
        "pool": "max",
    }
    pg.configure(image=image, preset="sobel_y", **settings)
    given = pg.page.evaluate("() => window.convdemoPlayground.getInput()")
    assert np.array_equal(np.array(given["data"]), pixels / 255.0)
    expected = expected_output(pixels / 255.0, KERNELS["sobel_y"].values, **settings)
    assert_close(pg.output_array(), expected)


@in_browser
def test_typed_kernel_with_fractions(pg: Session) -> None:
    """Cells accept fractions and decimals; the output follows each edit."""
    pg.configure(preset="box_blur", padding="same", border="replicate")
    kernel = np.array([[1 / 9, -0.5, 1 / 9], [2.25, -1, 1 / 9], [0, 1e-3, -3 / 4]])
    texts = [["1/9", "-0.5", "1/9"], ["2.25", "−1", " 1/9 "], ["0", "1e-3", "-3/4"]]
    for u, v in itertools.product(range(3), range(3)):
        pg.page.fill(f"{PREFIX}-k{u}-{v}", texts[u][v])
    assert pg.idle() == "ready"
    assert pg.page.input_value(f"{PREFIX}-preset") == "custom"
    expected = correlate2d(grid_image(), kernel, padding="same", border="replicate")
    assert_close(pg.output_array(), expected)


@in_browser
def test_resizing_keeps_the_centre(pg: Session) -> None:
    """3 × 3 → 5 × 5 embeds the kernel in zeros: the output does not change."""
    pg.configure(preset="sobel_x", padding="same")
    before = pg.output_array()
    pg.page.check(f"{PREFIX}-size-5")
    assert pg.idle() == "ready"
    assert pg.page.locator(".cdp-cell").count() == 25
    assert pg.page.input_value(f"{PREFIX}-k2-1") == "2"
    assert_close(pg.output_array(), before)
    pg.page.check(f"{PREFIX}-size-3")
    assert pg.idle() == "ready"
    assert pg.page.locator(".cdp-cell").count() == 9


@in_browser
def test_invalid_kernel_cell_keeps_the_last_output(pg: Session) -> None:
    """A bad cell is marked and named; the last valid output stays."""
    pg.configure(preset="vertical", padding="same")
    pg.remember_output()
    cell = f"{PREFIX}-k1-1"
    error = f"{PREFIX}-kernel-error"
    for text, reason in [
        ("abc", "“abc” is not a number"),
        ("", "is empty"),
        ("1/0", "“1/0” divides by zero"),
        ("1..2", "“1..2” is not a number"),
    ]:
        pg.page.fill(cell, text)
        assert pg.idle() == "ready"
        assert pg.page.get_attribute(cell, "aria-invalid") == "true"
        assert pg.page.get_attribute(cell, "aria-describedby") == error[1:]
        message = pg.page.text_content(error) or ""
        assert f"row 2, column 2: {reason}" in message
        assert "last valid kernel" in message
        assert pg.page.is_visible(error)
        assert pg.page.get_attribute(PREFIX, "data-kernel-valid") == "false"
        assert pg.output_is_remembered()
    pg.page.fill(cell, "4")
    assert pg.idle() == "ready"
    assert pg.page.get_attribute(cell, "aria-invalid") is None
    assert not pg.page.is_visible(error)
    kernel = KERNELS["vertical"].values.copy()
    kernel[1, 1] = 4
    assert_close(pg.output_array(), correlate2d(grid_image(), kernel, padding="same"))


def _step(image: np.ndarray, kernel: np.ndarray, index: tuple[int, int], **kw: Any):
    """convdemo's Step for output cell `index`."""
    steps = list(sliding_windows(image, kernel, **kw))
    width = max(s.position[1] for s in steps) + 1
    step = steps[index[0] * width + index[1]]
    assert step.position == index
    return step


def _numbers(pg: Session, selector: str) -> np.ndarray:
    texts = pg.page.locator(selector).all_text_contents()
    return np.array([float(t.replace("−", "-")) for t in texts])


def _go_to(pg: Session, row: int, col: int) -> None:
    """Move the output's focus to (row, col) with the keyboard only."""
    pg.page.focus(f"{PREFIX}-output")
    pg.page.keyboard.press("Control+Home")
    for _ in range(row // 10):
        pg.page.keyboard.press("Shift+ArrowDown")
    for _ in range(row % 10):
        pg.page.keyboard.press("ArrowDown")
    for _ in range(col // 10):
        pg.page.keyboard.press("Shift+ArrowRight")
    for _ in range(col % 10):
        pg.page.keyboard.press("ArrowRight")


@in_browser
def test_keyboard_readout_shows_window_products_and_sum(pg: Session) -> None:
    """Arrow keys pick a pixel; its window, products and sum are shown and read."""
    settings = {"padding": "same", "border": "reflect", "stride": 2, "flip": True}
    pg.configure(preset="sobel_x", pool="none", **settings)
    index = (0, 13)
    _go_to(pg, *index)
    step = _step(
        grid_image(),
        KERNELS["sobel_x"].values,
        index,
        padding="same",
        border="reflect",
        stride=2,
        flip=True,
    )
    readout = pg.page.evaluate("() => window.convdemoPlayground.getReadout()")
    assert readout["index"] == list(index)
    conv = readout["conv"]
    assert np.array_equal(np.array(conv["window"]), step.window)
    assert np.array_equal(np.array(conv["products"]), step.products)
    assert np.array_equal(np.array(conv["valid"]), step.valid)
    assert abs(conv["sum"] - step.value) <= TOLERANCE
    assert conv["sum"] == readout["value"] == pg.output()["data"][0][13]
    # The same numbers as text, rounded to 4 decimals.
    assert np.allclose(_numbers(pg, ".cdp-mat-in .cdp-num"), step.window.ravel())
    flipped = np.flip(KERNELS["sobel_x"].values)
    assert np.allclose(_numbers(pg, ".cdp-mat-k .cdp-num"), flipped.ravel())
    assert np.allclose(_numbers(pg, ".cdp-mat-out .cdp-num"), step.products.ravel())
    assert np.isclose(_numbers(pg, ".cdp-sum-value")[0], step.value, atol=5e-5)
    # The top row of the window is padding (reflected), drawn dashed.
    assert pg.page.locator(".cdp-mat-in .cdp-pad").count() == 3
    title = pg.page.text_content(f"{PREFIX}-readout-title") or ""
    assert "row 0, column 13" in title
    # The live region repeats it for screen readers.
    pg.page.wait_for_function(
        f"() => document.querySelector('{PREFIX}-live').textContent"
        ".startsWith('Row 0, column 13')"
    )
    live = pg.page.text_content(f"{PREFIX}-live") or ""
    assert "Window:" in live
    assert "Products:" in live
    assert re.search(r"Sum: [−\d.]+\.$", live)
    assert pg.page.get_attribute(f"{PREFIX}-live", "aria-live") == "polite"


@in_browser
def test_pooled_readout_names_the_pooled_cells(pg: Session) -> None:
    """With max pooling the read-out lists the four values and the chosen one."""
    pg.configure(preset="vertical", padding="valid", pool="max")
    index = (4, 7)
    _go_to(pg, *index)
    conv = correlate2d(grid_image(), KERNELS["vertical"].values)
    block = conv[8:10, 14:16]
    readout = pg.page.evaluate("() => window.convdemoPlayground.getReadout()")
    values = np.array(readout["pool"]["values"])
    assert float(np.max(np.abs(values - block.ravel()))) <= TOLERANCE
    pick = int(np.argmax(values))
    assert readout["pool"]["pick"] == pick
    assert readout["value"] == values[pick] == readout["conv"]["sum"]
    assert abs(readout["value"] - block.max()) <= TOLERANCE
    assert readout["conv"]["index"] == [8 + pick // 2, 14 + pick % 2]
    text = pg.page.text_content(".cdp-readout") or ""
    assert "It is the maximum of the 2 × 2 convolution outputs" in text


@in_browser
def test_hover_shows_the_pixel_under_the_pointer(pg: Session) -> None:
    """Moving the mouse over an output pixel shows that pixel's arithmetic."""
    pg.configure(preset="horizontal", padding="valid", stride=2)
    size = 149  # (300 - 3) // 2 + 1: about 2 CSS pixels per output pixel
    pg.page.locator(f"{PREFIX}-output").scroll_into_view_if_needed()
    box = pg.page.locator(f"{PREFIX}-output").bounding_box()
    assert box is not None
    row, col = 28, 61
    # Mouse events carry whole CSS pixels: aim at the pixel's centre, rounded.
    x = round(box["x"] + (col + 0.5) * box["width"] / size)
    y = round(box["y"] + (row + 0.5) * box["height"] / size)
    assert int((x - box["x"]) / box["width"] * size) == col
    assert int((y - box["y"]) / box["height"] * size) == row
    pg.page.mouse.move(x, y)
    pg.page.wait_for_function(
        f"() => document.querySelector('.cdp-readout').dataset.index === '{row},{col}'"
    )
    step = _step(grid_image(), KERNELS["horizontal"].values, (row, col), stride=2)
    readout = pg.page.evaluate("() => window.convdemoPlayground.getReadout()")
    assert np.array_equal(np.array(readout["conv"]["window"]), step.window)
    assert readout["value"] == pg.output()["data"][row][col]
    assert abs(readout["conv"]["sum"] - step.value) <= TOLERANCE
    pg.page.mouse.move(0, 0)


def _png(path: Path, pixels: np.ndarray) -> Path:
    """Save uint8 pixels, (H, W) grey or (H, W, 4) RGBA, as a PNG file."""
    Image.fromarray(pixels).save(path)
    return path


@in_browser
def test_own_image_is_read_locally(pg: Session, tmp_path: Path) -> None:
    """An uploaded colour PNG is turned grey like load_image and computed."""
    rng = np.random.default_rng(0)
    rgba = rng.integers(0, 256, size=(7, 6, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    rgba[0, 0, 3] = 0
    path = _png(tmp_path / "tiny.png", rgba)
    pg.configure(preset="gaussian_blur_5x5", padding="same", border="reflect")
    pg.page.set_input_files(f"{PREFIX}-file", str(path))
    assert pg.idle() == "ready"
    assert pg.page.input_value(f"{PREFIX}-image") == "upload"
    image = load_image(path)
    given = np.array(
        pg.page.evaluate("() => window.convdemoPlayground.getInput()")["data"]
    )
    assert float(np.max(np.abs(given - image))) <= TOLERANCE
    # A 7 × 6 image with a 5 × 5 kernel reflects more than one pixel deep.
    kernel = KERNELS["gaussian_blur_5x5"].values
    for border in ("reflect", "wrap", "replicate", "zeros"):
        pg.page.select_option(f"{PREFIX}-border", border)
        assert pg.idle() == "ready"
        expected = correlate2d(image, kernel, padding="same", border=border)
        assert_close(pg.output_array(), expected)


@in_browser
def test_large_own_image_is_downscaled(pg: Session, tmp_path: Path) -> None:
    """A 1024 × 768 image becomes 512 × 384 before computing, and says so."""
    pixels = (np.indices((768, 1024)).sum(axis=0) % 256).astype(np.uint8)
    path = _png(tmp_path / "big.png", pixels)
    pg.configure(preset="vertical")
    pg.page.set_input_files(f"{PREFIX}-file", str(path))
    assert pg.idle() == "ready"
    message = pg.page.text_content(f"{PREFIX}-file-msg") or ""
    assert "1024 × 768 px, downscaled to 512 × 384" in message
    assert pg.output()["shape"] == [382, 510]
    # Big enough to be computed off the page's thread.
    update = pg.page.evaluate("() => window.convdemoPlayground.getLastUpdate()")
    assert update["where"] == "worker"
    pg.page.select_option(f"{PREFIX}-image", "grid")
    assert pg.idle() == "ready"
    update = pg.page.evaluate("() => window.convdemoPlayground.getLastUpdate()")
    assert update["where"] == "page"


@in_browser
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.png", b"not an image at all", "could not be read as an image"),
        ("empty.jpg", b"", "could not be read as an image"),
        ("huge.png", None, "too large (9000 × 6000 pixels)"),
    ],
)
def test_bad_own_image_gets_a_message(
    pg: Session, tmp_path: Path, name: str, content: bytes | None, reason: str
) -> None:
    """An unreadable or huge file is refused with a message; nothing else changes."""
    path = tmp_path / name
    if content is None:
        Image.new("1", (9000, 6000)).save(path)
    else:
        path.write_bytes(content)
    pg.configure(image="grid", preset="sobel_y")
    pg.remember_output()
    pg.page.set_input_files(f"{PREFIX}-file", str(path))
    assert pg.idle() == "ready"
    message = pg.page.text_content(f"{PREFIX}-file-msg") or ""
    assert f"Could not use {name}: " in message
    assert reason in message
    assert "The previous image stays." in message
    assert pg.page.input_value(f"{PREFIX}-image") == "grid"
    assert pg.output_is_remembered()


def _follow_system(pg: Session, scheme: str) -> None:
    """Set the system's scheme; wait until the page follows it."""
    pg.page.emulate_media(color_scheme=scheme)
    pg.page.wait_for_function(
        "(s) => document.body.dataset.mdColorScheme === s", arg=SCHEMES[scheme]
    )


@in_browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(pg: Session, scheme: str) -> None:
    """axe finds nothing serious or critical in the playground, in use.

    The site's own axe test covers every page as loaded; this one checks the
    playground with a read-out, pooling and an invalid kernel cell on screen.
    """
    from axe_playwright_python.sync_playwright import Axe

    pg.configure(preset="sobel_x", padding="same", border="reflect", pool="max")
    pg.page.fill(f"{PREFIX}-k0-0", "x")
    _go_to(pg, 2, 2)
    _follow_system(pg, scheme)
    try:
        results = Axe().run(pg.page, context=PREFIX)
    finally:
        _follow_system(pg, "light")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@in_browser
def test_every_control_has_a_label(pg: Session) -> None:
    """Each input and select has an accessible name."""
    unnamed = pg.page.evaluate(
        """() => [...document.querySelectorAll(
              '#convdemo-playground input, #convdemo-playground select')]
            .filter(el => !(el.labels && el.labels.length) &&
                          !el.getAttribute('aria-label'))
            .map(el => el.id)"""
    )
    assert unnamed == []


SCHEMES = {"light": "default", "dark": "slate"}

# Every layout shift of the page from its start (buffered), with what moved.
LAYOUT_SHIFTS = """
window.__layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__layoutShifts.push({
      value: entry.value,
      time: entry.startTime,
      sources: entry.sources.map((source) => source.node
        ? source.node.nodeName + "#" + (source.node.id || "") + "." +
          (source.node.className || "")
        : "(removed)"),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# Phone widths and their device pixel ratios (Lighthouse's phone is 412 wide).
PHONES = {375: 2.0, 412: 1.75}
WIDTHS = (375, 412, 1280)
# Elements of the playground that stick out of the screen.
_OUTSIDE = """() => [...document.querySelectorAll('#convdemo-playground *')]
  .filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.left < -0.5 || r.right > innerWidth + 0.5);
  })
  .map(el => el.tagName + '.' + el.className)"""


@pytest.fixture(scope="module")
def first_loads(
    browser: Any, playground_url: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[int, str], dict[str, Any]]:
    """Open the playground afresh at each width, light and dark, once.

    Phones are emulated as phones (touch, their pixel ratio). For each load:
    its status once idle, its layout shifts until then, the scheme shown,
    then, with a pixel's read-out open, the page's horizontal overflow and
    the playground's elements outside the screen (and a screenshot), and
    the console errors.
    """
    shots = tmp_path_factory.getbasetemp() / "playground-screenshots"
    shots.mkdir(exist_ok=True)
    found = {}
    for width, scheme in itertools.product(WIDTHS, SCHEMES):
        phone = width in PHONES
        context = browser.new_context(
            viewport={"width": width, "height": 823 if phone else 900},
            color_scheme=scheme,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=PHONES.get(width, 1),
        )
        context.add_init_script(LAYOUT_SHIFTS)
        s = Session(context.new_page(), playground_url)
        s.open()
        page = s.page
        load: dict[str, Any] = {"status": page.get_attribute(PREFIX, "data-status")}
        # A shift is reported after the frame that makes it.
        page.evaluate(
            "() => new Promise((done) => requestAnimationFrame("
            "() => requestAnimationFrame(done)))"
        )
        load["shifts"] = page.evaluate("window.__layoutShifts")
        load["scheme"] = page.get_attribute("body", "data-md-color-scheme")
        _go_to(s, 3, 3)
        load["overflow"] = page.evaluate(
            "document.documentElement.scrollWidth - innerWidth"
        )
        load["outside"] = page.evaluate(_OUTSIDE)
        page.screenshot(
            path=str(shots / f"playground-{width}-{scheme}.png"), full_page=True
        )
        load["errors"] = list(s.errors)
        found[width, scheme] = load
        context.close()
    return found


@in_browser
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_layout_fits_the_screen(
    first_loads: dict[tuple[int, str], dict[str, Any]], width: int, scheme: str
) -> None:
    """At 375 and 1280 px, light and dark: no horizontal overflow; screenshots."""
    load = first_loads[width, scheme]
    assert load["scheme"] == SCHEMES[scheme]
    assert load["overflow"] <= 0
    assert load["outside"] == []
    assert load["errors"] == []


@in_browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_loading_moves_nothing(
    first_loads: dict[tuple[int, str], dict[str, Any]], width: int, scheme: str
) -> None:
    """From the first paint until the playground is ready, nothing moves.

    The interface is built while the page is parsed, its canvases and
    read-out at their final size, so the image and the first output only fill
    space that was there: the page's cumulative layout shift stays < 0.01.
    """
    load = first_loads[width, scheme]
    assert load["status"] == "ready"
    shifts = load["shifts"]
    assert sum(shift["value"] for shift in shifts) < 0.01, shifts
    assert load["errors"] == []


def _boxes(page: Any) -> dict[str, list[float]]:
    """Where the playground's parts and the text after it are, on the page."""
    boxes: dict[str, list[float]] = page.evaluate(
        """() => {
          const found = {};
          const selectors = ['#convdemo-playground', '.cdp-kernel',
            '.cdp-frame', '.cdp-canvas', '.cdp-legend', '.cdp-readout',
            '.cdp-area-options', '.cdp-area-input', '#the-controls'];
          for (const selector of selectors) {
            document.querySelectorAll(selector).forEach((el, n) => {
              const r = el.getBoundingClientRect();
              found[selector + ' ' + n] = [r.left + scrollX, r.top + scrollY,
                r.width, r.height];
            });
          }
          return found;
        }"""
    )
    return boxes


@in_browser
@pytest.mark.parametrize("width", [412, 1280])
def test_interface_is_in_place_before_any_data_arrives(
    browser: Any, playground_url: str, width: int
) -> None:
    """Controls, canvases and read-out exist at their final size before any of
    the playground's data files has arrived; what arrives then moves nothing.
    """
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    held: list[Any] = []
    page.route("**/assets/playground/data/**", lambda route: held.append(route))
    s = Session(page, playground_url)
    page.goto(playground_url, wait_until="load")
    deadline = time.monotonic() + 20
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert held, "the playground requested none of its data"
    assert page.get_attribute(PREFIX, "data-status") in ("loading", "busy")
    for control in (
        "image",
        "file",
        "preset",
        "size-5",
        "k0-0",
        "k2-2",
        "flip",
        "padding",
        "border",
        "stride",
        "pool",
        "output",
    ):
        assert page.locator(f"{PREFIX}-{control}").count() == 1, control
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.cdp-canvas')]"
        ".map((c) => [c.width, c.height])"
    )
    assert sizes == [[300, 300], [298, 298]]
    captions = page.locator(".cdp-view > figcaption").all_text_contents()
    assert captions == ["Input: 300 × 300", "Output: 298 × 298"]
    title = page.text_content(f"{PREFIX}-readout-title") or ""
    assert title.startswith("Output pixel at row 0, column 0 = ")
    before = _boxes(page)
    # Only the image came from the network; the rest was in the page.
    assert [r.request.url.rsplit("/", 1)[1] for r in held] == ["grid.png"]
    for route in held:
        route.continue_()
    page.unroute("**/assets/playground/data/**")
    assert s.idle() == "ready"
    assert _boxes(page) == before
    expected = correlate2d(grid_image(), KERNELS["vertical"].values)
    assert_close(s.output_array(), expected)
    readout = page.evaluate("() => window.convdemoPlayground.getReadout()")
    assert readout["value"] == expected[0, 0]
    assert page.text_content(f"{PREFIX}-readout-title") == title
    assert s.errors == []
    context.close()


@in_browser
def test_without_the_page_data_it_fetches_the_files(
    browser: Any, playground_url: str
) -> None:
    """A page whose container lacks the data falls back to the JSON files."""
    context = browser.new_context()
    page = context.new_page()
    stripped: list[bool] = []

    def strip(route: Any) -> None:
        response = route.fetch()
        text = response.text()
        body = re.sub(r' data-playground="[^"]*"', "", text)
        stripped.append(body != text)
        route.fulfill(response=response, body=body)

    page.route(playground_url, strip)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    s = Session(page, playground_url)
    s.open()
    assert stripped == [True]
    assert any(url.endswith("/data/manifest.json") for url in requested)
    assert any(url.endswith("/data/kernels.json") for url in requested)
    s.configure(preset="sobel_x", padding="same", border="reflect")
    kernel = KERNELS["sobel_x"].values
    expected = correlate2d(grid_image(), kernel, padding="same", border="reflect")
    assert_close(s.output_array(), expected)
    assert s.errors == []
    context.close()


@in_browser
def test_starts_without_material_script(browser: Any, playground_url: str) -> None:
    """With no ``document$`` at all (Material's bundle blocked), it still starts.

    The playground's boot code must not depend on instant navigation.
    """
    context = browser.new_context()
    page = context.new_page()
    page.route("**/assets/javascripts/bundle.*.js", lambda route: route.abort())
    s = Session(page, playground_url)
    s.open()
    assert page.evaluate("() => window.document$ === undefined")
    page.select_option(f"{PREFIX}-preset", "horizontal")
    assert s.idle() == "ready"
    expected = correlate2d(grid_image(), KERNELS["horizontal"].values)
    assert_close(s.output_array(), expected)
    # The blocked bundle, and the page's own use of document$, are reported.
    others = [e for e in s.errors if "ERR_FAILED" not in e and "document$" not in e]
    assert others == []
    context.close()


@in_browser
@pytest.mark.parametrize(
    ("motion", "duration"), [("reduce", "0s"), ("no-preference", "0.06s")]
)
def test_motion_follows_the_preference(pg: Session, motion: str, duration: str) -> None:
    """The pointer boxes glide only when the reader does not ask for less motion."""
    pg.page.emulate_media(reduced_motion=motion)
    try:
        _go_to(pg, 1, 1)
        styles = [
            pg.page.eval_on_selector(
                box, "el => getComputedStyle(el).transitionDuration"
            )
            for box in (".cdp-box", ".cdp-box-out")
        ]
    finally:
        pg.page.emulate_media(reduced_motion="no-preference")
    assert [style.split(",")[0].strip() for style in styles] == [duration] * 2


@in_browser
def test_works_without_the_worker(browser: Any, playground_url: str) -> None:
    """If the worker cannot start, the page computes the same on its own thread."""
    context = browser.new_context()
    page = context.new_page()
    page.route("**/worker.js", lambda route: route.fulfill(status=404, body=""))
    s = Session(page, playground_url)
    s.open()
    s.configure(preset="gaussian_blur_5x5", padding="same", border="wrap")
    update = page.evaluate("() => window.convdemoPlayground.getLastUpdate()")
    assert update["where"] == "page"
    kernel = KERNELS["gaussian_blur_5x5"].values
    expected = correlate2d(grid_image(), kernel, padding="same", border="wrap")
    assert_close(s.output_array(), expected)
    # Only the refused worker script may be reported.
    assert all("404" in error for error in s.errors), s.errors
    context.close()


@in_browser
def test_page_weight_within_budget(
    build: Build, crawl: Crawl, report: ModuleType
) -> None:
    """The page and everything it loads, data and worker included, ≤ 1.5 MB.

    As a first visit on the phone; every byte came from the test server.
    """
    visit = crawl.visits["light"]["playground/"]
    paths = [t.path for t in visit.transfers]
    assert visit.other_hosts == []
    assert any(path.endswith("/worker.js") for path in paths)
    assert any(path.endswith("/data/grid.png") for path in paths)
    assert visit.file_bytes(build.site) <= report.BUDGET_BYTES


@in_browser
def test_leaving_and_coming_back_starts_it_once(
    browser: Any, playground_url: str
) -> None:
    """Arriving through a site link, leaving and coming back: one working page."""
    context = browser.new_context()
    s = Session(context.new_page(), playground_url.replace("playground/", ""))
    page = s.page
    page.goto(s.url)
    for _ in range(2):
        page.locator("a[href$='playground/']:visible").first.click()
        # Once started, the playground writes its settings into the query.
        page.wait_for_url(lambda url: urlsplit(url).path.endswith("/playground/"))
        s.idle()
        assert page.locator(".cdp-layout").count() == 1
        assert page.locator(f"{PREFIX}-output").count() == 1
        page.select_option(f"{PREFIX}-preset", "horizontal")
        assert s.idle() == "ready"
        expected = correlate2d(grid_image(), KERNELS["horizontal"].values)
        assert_close(s.output_array(), expected)
        page.locator("a[href$='about/']:visible").first.click()
        page.wait_for_url("**/about/")
    assert s.errors == []
    context.close()


# ------------------------------------------- dilation, links, code, downloads


@in_browser
@pytest.mark.parametrize(
    ("preset", "settings"),
    [
        ("sobel_x", control_settings(padding="same", border="reflect", dilation=2)),
        ("vertical", control_settings(dilation=3, stride=2, flip=True, pool="max")),
        (
            "gaussian_blur_5x5",
            control_settings(padding="same", border="wrap", dilation=2),
        ),
    ],
)
def test_dilation_matches_convdemo(
    pg: Session, preset: str, settings: dict[str, Any]
) -> None:
    """With taps 2 or 3 pixels apart the page equals convdemo to within 1e-9."""
    pg.configure(image="grid", preset=preset, **settings)
    expected = expected_output(grid_image(), KERNELS[preset].values, **settings)
    assert_close(pg.output_array(), expected)
    _go_to(pg, 5, 7)
    readout = pg.page.evaluate("() => window.convdemoPlayground.getReadout()")
    if settings["pool"] == "none":
        step = _step(
            grid_image(),
            KERNELS[preset].values,
            (5, 7),
            padding=settings["padding"],
            border=settings["border"],
            stride=settings["stride"],
            dilation=settings["dilation"],
            flip=settings["flip"],
        )
        assert np.array_equal(np.array(readout["conv"]["window"]), step.window)
        assert abs(readout["conv"]["sum"] - step.value) <= TOLERANCE


def _state(pg: Session) -> dict[str, str]:
    state: dict[str, str] = pg.page.evaluate(
        "() => window.convdemoPlayground.getState()"
    )
    return state


def _snippets(pg: Session) -> dict[str, str]:
    found: dict[str, str] = pg.page.evaluate(
        "() => window.convdemoPlayground.getSnippets()"
    )
    return found


@in_browser
def test_link_reproduces_what_the_sender_saw(
    browser: Any, pg: Session, playground_url: str
) -> None:
    """Every setting goes into the address; opening it shows the same output."""
    pg.configure(
        image="isometric",
        preset="sobel_y",
        padding="same",
        border="replicate",
        stride=2,
        dilation=2,
        flip=True,
        pool="avg",
    )
    pg.page.fill(f"{PREFIX}-k1-1", "1/3")
    assert pg.idle() == "ready"
    sent = _state(pg)
    assert sent["kernel"] == "1,2,1;0,1/3,0;-1,-2,-1"
    link = _snippets(pg)["link"]
    assert link.startswith(playground_url + "?")
    context = browser.new_context()
    other = Session(context.new_page(), link)
    other.open()
    assert _state(other) == sent
    assert other.output() == pg.output()
    assert other.page.text_content(f"{PREFIX}-state-msg") == ""
    assert other.errors == []
    context.close()


@in_browser
def test_invalid_link_settings_are_ignored_with_a_message(
    browser: Any, playground_url: str
) -> None:
    """Bad values keep their defaults and are named; the good ones apply."""
    context = browser.new_context()
    query = "?stride=7&kernel=1,2&pool=median&image=nope&dilation=2&flip=yes&x=1"
    s = Session(context.new_page(), playground_url + query)
    s.open()
    message = s.page.text_content(f"{PREFIX}-state-msg") or ""
    for key in ("stride", "kernel", "pool", "image", "flip"):
        assert f"`{key}`" in message, key
    assert "“7”" in message
    assert s.page.get_attribute(PREFIX, "data-state-problems") == "5"
    state = _state(s)
    assert state["dilation"] == "2"
    assert state["stride"] == "1"
    assert state["preset"] == "vertical"
    expected = correlate2d(grid_image(), KERNELS["vertical"].values, dilation=2)
    assert_close(s.output_array(), expected)
    assert s.errors == []
    context.close()


def _run_python(snippet: str) -> np.ndarray:
    """Run a "Copy as Python" snippet here; return its `output`."""
    import contextlib

    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(snippet, "snippet", "exec"), namespace)
    return np.asarray(namespace["output"])


@in_browser
@pytest.mark.parametrize(
    ("image", "preset", "settings"),
    [
        (
            "grid",
            "custom",
            control_settings(
                padding="same",
                border="wrap",
                stride=2,
                dilation=2,
                flip=True,
                pool="avg",
            ),
        ),
        (
            "photo",
            "sobel_y",
            control_settings(padding="same", border="reflect", pool="max"),
        ),
        ("isometric", "gaussian_blur_5x5", control_settings(dilation=3)),
    ],
)
def test_python_snippet_gives_the_pages_numbers(
    pg: Session, image: str, preset: str, settings: dict[str, Any]
) -> None:
    """The "Copy as Python" code, run here, computes the page's output."""
    pg.configure(
        image=image, preset="box_blur" if preset == "custom" else preset, **settings
    )
    if preset == "custom":
        pg.page.fill(f"{PREFIX}-k0-2", "-1/7")
        pg.page.fill(f"{PREFIX}-k2-0", "2.5e-3")
        assert pg.idle() == "ready"
    snippet = _snippets(pg)["python"]
    assert_close(_run_python(snippet), pg.output_array())


@in_browser
def test_command_line_snippet_gives_the_pages_numbers(
    pg: Session, tmp_path: Path
) -> None:
    """The "Copy as command line" command writes the page's output as colours."""
    import shlex
    import subprocess
    import sys

    from convdemo.cli import filtered_pixels

    pg.configure(
        image="grid",
        preset="box_blur",
        padding="same",
        border="reflect",
        stride=2,
        dilation=2,
    )
    pg.page.fill(f"{PREFIX}-k1-1", "-1")
    assert pg.idle() == "ready"
    lines = [
        line
        for line in _snippets(pg)["cli"].splitlines()
        if line and not line.startswith("#")
    ]
    assert len(lines) == 1
    argv = shlex.split(lines[0])
    assert argv[0] == "convdemo"
    done = subprocess.run(
        [sys.executable, "-m", "convdemo", *argv[1:]],
        cwd=tmp_path,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = np.asarray(Image.open(tmp_path / "output.png").convert("RGB"))
    page = pg.output_array()
    kernel = np.array(pg.output()["kernel"])
    assert np.array_equal(written, filtered_pixels(page, kernel, clip=False))


@in_browser
def test_command_line_snippet_says_it_has_no_pooling(pg: Session) -> None:
    """With pooling on, the command is the convolution, and says so."""
    pg.configure(preset="vertical", pool="max")
    cli = _snippets(pg)["cli"]
    assert "no pooling after a filter" in cli
    assert '--kernel="vertical"' in cli


@in_browser
def test_download_output_is_the_drawn_output(pg: Session, tmp_path: Path) -> None:
    """ "Download output" saves one pixel per output cell, in the page's colours."""
    import matplotlib

    from convdemo.style import DIVERGING

    pg.configure(preset="sobel_x", padding="same", stride=2)
    with pg.page.expect_download() as info:
        pg.page.click(f"{PREFIX}-download")
    path = tmp_path / "out.png"
    info.value.save_as(path)
    assert info.value.suggested_filename == "convdemo-output.png"
    output = pg.output_array()
    pixels = np.asarray(Image.open(path).convert("RGB"))
    assert pixels.shape[:2] == output.shape
    vmax = float(np.max(np.abs(output)))
    norm = matplotlib.colors.Normalize(-vmax, vmax)
    expected = matplotlib.colormaps[DIVERGING](norm(output), bytes=True)[..., :3]
    assert float(np.mean(np.any(pixels != expected, axis=-1))) < 1e-3


@in_browser
def test_infinite_output_keeps_the_last_good_one(pg: Session) -> None:
    """Every kernel cell 1e308: a message, and the previous output stays."""
    pg.configure(preset="vertical")
    # One cell of 1e308 still gives a finite output: the last good one.
    pg.page.fill(f"{PREFIX}-k0-0", "1e308")
    assert pg.idle() == "ready"
    pg.remember_output()
    for u, v in list(itertools.product(range(3), range(3)))[1:]:
        pg.page.fill(f"{PREFIX}-k{u}-{v}", "1e308")
    assert pg.idle() == "ready"
    message = pg.page.text_content(".cdp-views .cdp-error") or ""
    assert "not finite" in message
    assert "The previous output stays." in message
    assert pg.output_is_remembered()
    legend = pg.page.get_attribute(".cdp-legend", "aria-label") or ""
    assert "Infinity" not in legend
    pg.page.select_option(f"{PREFIX}-preset", "vertical")
    assert pg.idle() == "ready"
    assert pg.page.text_content(".cdp-views .cdp-error") == ""


@in_browser
def test_tiny_values_are_written_in_scientific_notation(pg: Session) -> None:
    """Identity with a centre of 0.00001: the read-out shows 1e−5, not 0."""
    pg.configure(preset="identity")
    pg.page.fill(f"{PREFIX}-k1-1", "0.00001")
    assert pg.idle() == "ready"
    _go_to(pg, 0, 0)
    kernel = pg.page.locator(".cdp-mat-k .cdp-num").all_text_contents()
    assert kernel[4] == "1e−5"
    total = pg.page.text_content(".cdp-sum-value") or ""
    assert re.fullmatch(r"[\d.]+e−\d+", total), total
    value = float(total.replace("−", "-"))
    assert value == pytest.approx(1e-5 * grid_image()[1, 1], rel=1e-3)
