"""The gallery's downloads and link previews, without a build.

The notebooks' first cell and the reproducible archives
(``hooks/notebooks.py``), the animations in notebooks
(``convdemo.notebook``), and the card, favicon and page descriptions of
link previews (``convdemo._card``, ``hooks/social.py``).
"""

from __future__ import annotations

import io
import os
import tomllib
import zipfile
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import matplotlib.pyplot as plt
import pytest
from PIL import Image
from project_files import ROOT, load_hook

from convdemo import _card
from convdemo.animate import animate_pooling
from convdemo.notebook import _player, enable_notebook_animations
from convdemo.style import set_alt_text

notebooks = load_hook("notebooks")
social = load_hook("social")


def test_first_cell_installs_from_the_configured_repository() -> None:
    """The cell names pyproject's Source URL once; the player comes after the magic."""
    source = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"][
        "Source"
    ]
    assert notebooks.repository_url(ROOT / "pyproject.toml") == source
    cell = notebooks.first_cell(source)
    assert cell.count(source) == 1
    assert f'"convdemo @ git+{source}"' in cell
    lines = cell.splitlines()
    # Selecting the inline backend resets how figures are shown, so the
    # animations' player is registered after it, last.
    assert lines[-1] == "convdemo.enable_notebook_animations();"
    assert "%matplotlib inline" in lines
    # The install comes before anything that imports convdemo or Matplotlib.
    assert (
        cell.index("pip")
        < cell.index("%matplotlib")
        < cell.index("import convdemo")
        < cell.index("enable_notebook_animations")
    )


def test_first_cell_honours_the_override(tmp_path: Path) -> None:
    """Without convdemo, the cell installs CONVDEMO_REQUIREMENT instead."""
    cell = notebooks.first_cell("https://example.org/x")
    code = cell.replace("%matplotlib inline", "")
    calls: list[list[str]] = []
    namespace: dict[str, Any] = {}
    fake_util = SimpleNamespace(find_spec=lambda name: None)
    fake_run = lambda argv, check: calls.append(argv)  # noqa: E731
    code = code.replace("import importlib.util", "import importlib")
    code = code.replace("importlib.util.find_spec", "find_spec")
    code = code.replace("subprocess.run(", "run(")
    code = code.replace("import convdemo\n", "").replace(
        "convdemo.enable_notebook_animations();", ""
    )
    namespace.update(find_spec=fake_util.find_spec, run=fake_run)
    os.environ["CONVDEMO_REQUIREMENT"] = str(tmp_path / "x.whl")
    try:
        exec(compile(code, "first-cell", "exec"), namespace)
    finally:
        del os.environ["CONVDEMO_REQUIREMENT"]
    assert calls[0][-1] == str(tmp_path / "x.whl")
    assert calls[0][1:4] == ["-m", "pip", "install"]


def _zip(path: Path, names: list[str], date: tuple[int, ...]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=date)
            archive.writestr(info, f"content of {name}")


def test_archives_are_rewritten_reproducibly(tmp_path: Path) -> None:
    """Order and time stamps of the members no longer change the bytes."""
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    _zip(first, ["2/b.py", "1/a.py"], (2024, 5, 6, 7, 8, 10))
    _zip(second, ["1/a.py", "2/b.py"], (2026, 1, 2, 3, 4, 6))
    assert first.read_bytes() != second.read_bytes()
    for path in (first, second):
        notebooks.reproducible_zip(path)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == ["1/a.py", "2/b.py"]
        assert archive.read("2/b.py") == b"content of 2/b.py"
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_no_ipython_no_change() -> None:
    """Outside IPython, enabling notebook animations does nothing."""
    assert enable_notebook_animations() is False


def test_animated_figure_shows_as_a_player() -> None:
    """A figure with an animation has an HTML player; a still figure has none."""
    anim = animate_pooling([[1.0, 2.0], [3.0, 4.0]], 2)
    fig = plt.gcf()
    set_alt_text(fig, "Pooling, one window", name="pool-test", animation=anim)
    html = _player(fig)
    assert html is not None
    assert "<script" in html
    assert "Animation" in html
    still = plt.figure()
    assert _player(still) is None
    plt.close("all")


def test_player_registered_with_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under IPython, figures get the player as their HTML representation."""
    registered: dict[Any, Any] = {}
    formatter = SimpleNamespace(for_type=lambda kind, f: registered.update({kind: f}))
    shell = SimpleNamespace(
        display_formatter=SimpleNamespace(formatters={"text/html": formatter})
    )
    fake = ModuleType("IPython")
    fake.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "IPython", fake)
    assert enable_notebook_animations() is True
    from matplotlib.figure import Figure

    assert registered == {Figure: _player}


def test_card_is_the_preview_size_and_reproducible() -> None:
    """1200 × 630 pixels, no text chunk, the same bytes twice."""
    data = _card.card_png("convdemo", "Convolution and pooling, drawn.")
    assert data == _card.card_png("convdemo", "Convolution and pooling, drawn.")
    with Image.open(io.BytesIO(data)) as card:
        assert card.size == _card.CARD_SIZE == (1200, 630)
        assert card.format == "PNG"
        assert not {"Software", "Creation Time", "date:create"} & set(card.info)
    assert data != _card.card_png("other", "Convolution and pooling, drawn.")


def test_card_output_is_computed() -> None:
    """The card's output cells are convdemo's correlation of its input."""
    from convdemo.ops import correlate2d

    expected = correlate2d(_card._IMAGE, _card._KERNEL)
    fig = _card.draw_card("t", "d")
    texts = [t.get_text() for t in fig.axes[0].texts]
    numbers = [t.replace("−", "-") for t in texts if t.lstrip("−").isdigit()]
    output = [f"{v:g}" for v in expected.ravel()]
    assert numbers[-len(output) :] == output
    plt.close("all")


def test_favicon_is_a_small_transparent_square() -> None:
    """The favicon is FAVICON_SIZE square, with transparent corners."""
    with Image.open(io.BytesIO(_card.favicon_png())) as icon:
        assert icon.size == (_card.FAVICON_SIZE, _card.FAVICON_SIZE)
        rgba = icon.convert("RGBA")
        assert rgba.getpixel((0, 0))[3] == 0
        assert rgba.getpixel((24, 24))[3] == 255
    assert _card.favicon_png() == _card.favicon_png()


def test_description_is_the_first_real_paragraph() -> None:
    """Short paragraphs are skipped, markup dropped, long text shortened."""
    html = (
        '<div class="admonition"><p>Download the code</p></div>'
        "<p>The <code>pad</code> function adds &amp; fills the border of an "
        "image.</p><p>Second.</p>"
    )
    assert (
        social.describe(html) == "The pad function adds & fills the border of an image."
    )
    assert social.describe("<p>short</p>") == ""
