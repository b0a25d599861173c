"""The built API reference, its links with the gallery, downloads and previews.

Every public name has an entry with its id; the gallery's code links to
existing entries and every entry with examples lists them; the "download
all examples" archives hold every script and notebook with fixed time
stamps; every page has its link-preview tags and the card is convdemo's;
and one downloaded notebook runs in a fresh virtual environment that has
nothing but its first cell to install convdemo (from a wheel built here).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import numpy as np
import pytest
from PIL import Image
from project_files import ROOT, load_hook

import convdemo
from convdemo import _card

from .conftest import GALLERIES, GALLERY_SCRIPTS, Build

pytestmark = pytest.mark.site


class _Page(HTMLParser):
    """Collect a page's ids, links and meta tags."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (class, href)
        self.meta: dict[str, str] = {}
        self.icons: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append((values.get("class", ""), values["href"]))
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta[key] = values.get("content", "")
        if tag == "link" and values.get("rel") == "icon":
            self.icons.append(values.get("href", ""))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _reference_ids(build: Build) -> set[str]:
    ids: set[str] = set()
    for html in (build.site / "reference").rglob("index.html"):
        ids |= _parse(html).ids
    return ids


def test_every_public_name_has_an_entry(build: Build) -> None:
    """Each name of convdemo.__all__ is an anchor of a built reference page."""
    ids = _reference_ids(build)
    missing = [n for n in convdemo.__all__ if f"convdemo.{n}" not in ids]
    assert missing == []


def test_reference_pages_are_searchable(build: Build) -> None:
    """The search index holds the reference's entries."""
    index = json.loads((build.site / "search/search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert "reference/convolution/#convdemo.correlate2d" in locations
    assert "reference/style/#convdemo.set_alt_text" in locations


def test_reference_signatures_and_types(build: Build) -> None:
    """An entry shows its signature with annotations and its parameter types."""
    text = (build.site / "reference/convolution/index.html").read_text()
    entry = text[text.index('id="convdemo.correlate2d"') :][:20_000]
    assert "doc-signature" in entry
    assert "dilation" in entry
    assert "ArrayLike" in entry
    assert "Parameters:" in entry


def test_gallery_code_links_to_existing_entries(build: Build) -> None:
    """Every API link in an example page's code reaches an existing entry."""
    ids = _reference_ids(build)
    seen = set()
    for html in (build.site / "generated/gallery").rglob("index.html"):
        for cls, href in _parse(html).links:
            if "convdemo-api" not in cls:
                continue
            url = urljoin(html.relative_to(build.site).as_posix(), href)
            path, fragment = urlsplit(url).path, urlsplit(url).fragment
            assert (build.site / path / "index.html").is_file(), (html, href)
            assert fragment in ids, (html, href)
            seen.add(fragment)
    assert {
        "convdemo.correlate2d",
        "convdemo.show_filter",
        "convdemo.get_kernel",
    } <= seen


def test_example_page_links_its_names(build: Build) -> None:
    """The step-by-step example links each convdemo name it imports."""
    page = "generated/gallery/1_story/plot_03_convolution_step_by_step/index.html"
    targets = {
        urlsplit(href).fragment
        for cls, href in _parse(build.site / page).links
        if "convdemo-api" in cls
    }
    assert {
        "convdemo.animate_correlation",
        "convdemo.correlate2d",
        "convdemo.sliding_windows",
        "convdemo.show_step",
        "convdemo.format_step",
        "convdemo.set_alt_text",
    } <= targets


def test_entries_list_the_examples_using_them(build: Build) -> None:
    """correlate2d's entry lists the examples whose code calls it, as links."""
    text = (build.site / "reference/convolution/index.html").read_text()
    start = text.index('id="convdemo.correlate2d"')
    block = text[start : text.index('id="convdemo.convolve2d"')]
    listed = block[block.index("Examples using <code>correlate2d</code>") :]
    users = [
        s
        for s in GALLERY_SCRIPTS
        # In the code, not only in a comment.
        if re.search(r"^[^#\n]*\bcorrelate2d\b", s.read_text(encoding="utf-8"), re.M)
    ]
    assert users
    for script in users:
        assert f"{script.parent.name}/{script.stem}/" in listed, script.name


@pytest.mark.parametrize("gallery", GALLERIES, ids=[g.name for g in GALLERIES])
def test_archives_hold_every_example(build: Build, gallery: Path) -> None:
    """A gallery's two archives hold its scripts or notebooks, with a fixed time
    stamp, and both its index and the gallery's entry page link them."""
    folder = build.site / "generated/gallery" / gallery.name
    index = (folder / "index.html").read_text()
    entry = (folder.parent / "index.html").read_text()
    for suffix, extension in (("python", ".py"), ("jupyter", ".ipynb")):
        name = f"{gallery.name}_{suffix}.zip"
        assert f'href="{name}"' in index
        assert f'href="{gallery.name}/{name}"' in entry
        with zipfile.ZipFile(folder / name) as archive:
            names = archive.namelist()
            assert names == sorted(names)
            assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            expected = {
                f"{s.stem}{extension}" for s in GALLERY_SCRIPTS if s.parent == gallery
            }
            assert set(names) == expected
            for member in names:
                assert archive.read(member) == (folder / member).read_bytes()


def test_every_page_has_link_preview_tags(build: Build, pages: list[Path]) -> None:
    """og: and twitter: tags, absolute URLs from site_url, on every page."""
    site_url = "https://convdemo.github.io/convdemo/"
    problems = []
    for html in pages:
        meta = _parse(html).meta
        relative = html.relative_to(build.site).as_posix()
        expected_url = site_url + relative.removesuffix("index.html")
        checks = {
            "og:type": meta.get("og:type") == "website",
            "og:title": bool(meta.get("og:title")),
            "og:description": len(meta.get("og:description", "")) > 20,
            "og:url": meta.get("og:url") == expected_url,
            "og:image": meta.get("og:image") == site_url + "assets/images/card.png",
            "twitter:card": meta.get("twitter:card") == "summary_large_image",
            "twitter:image": meta.get("twitter:image") == meta.get("og:image"),
            "description": meta.get("description") == meta.get("og:description"),
        }
        problems += [f"{relative}: {k}" for k, ok in checks.items() if not ok]
    assert problems == []


def test_card_and_favicon_are_convdemos(build: Build) -> None:
    """The card is 1200 × 630 and drawn by convdemo; the favicon replaces Material's."""
    card = (build.site / "assets/images/card.png").read_bytes()
    with Image.open(io.BytesIO(card)) as image:
        assert image.size == (1200, 630)
    social = load_hook("social")
    import yaml

    class _Loader(yaml.SafeLoader):
        """mkdocs.yml's tags (!ENV, !!python/name) read as nothing."""

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    tagline = social._tagline(config)
    # The site's PNGs may be re-encoded after the build: compare pixels.
    drawn = _card.card_png(config["site_name"], tagline)
    with Image.open(io.BytesIO(card)) as built, Image.open(io.BytesIO(drawn)) as own:
        assert np.array_equal(
            np.asarray(built.convert("RGB")), np.asarray(own.convert("RGB"))
        )
    favicon = build.site / "assets/images/favicon.png"
    with (
        Image.open(favicon) as built,
        Image.open(io.BytesIO(_card.favicon_png())) as own,
    ):
        assert np.array_equal(
            np.asarray(built.convert("RGBA")), np.asarray(own.convert("RGBA"))
        )
    home = _parse(build.site / "index.html")
    assert home.icons == ["assets/images/favicon.png"]


# ------------------------------------------------- a notebook, in a fresh venv

# A notebook, and the archive of its gallery's notebooks it is taken from.
NOTEBOOK = "plot_03_convolution_step_by_step.ipynb"
ARCHIVE = "generated/gallery/1_story/1_story_jupyter.zip"

_EXECUTE = """\
import sys
import nbformat
from nbclient import NotebookClient

notebook = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(
    notebook, kernel_name="fresh", timeout=600,
    resources={"metadata": {"path": sys.argv[2]}},
).execute()
nbformat.write(notebook, sys.argv[3])
"""


def _locked_versions() -> str:
    """requirements/all.txt as plain `name==version` constraints."""
    pins = re.findall(
        r"^([A-Za-z0-9][\w.-]*)==(\S+)",
        (ROOT / "requirements/all.txt").read_text(),
        re.M,
    )
    return "".join(f"{name}=={version}\n" for name, version in pins)


@pytest.mark.slow
def test_downloaded_notebook_runs_in_a_fresh_environment(
    build: Build, tmp_path: Path
) -> None:
    """A fresh venv with a Jupyter kernel only: the first cell installs convdemo.

    The cell installs what CONVDEMO_REQUIREMENT names, here a wheel of this
    project built by the test, in place of the repository (no network but
    the package index, for NumPy, Matplotlib and Pillow at the locked
    versions). The animation of the notebook plays: its output is the
    JavaScript player.
    """
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "site", "generated", "build", "dist", "*.egg-info",
            "__pycache__", ".*_cache", ".hypothesis", "node_modules",
        ),
    )  # fmt: skip
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(wheels),
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("convdemo-*.whl")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(_locked_versions())
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MPLBACKEND")}
    env["PIP_CONSTRAINT"] = str(constraints)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "ipykernel"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]

    def outside(code: str) -> str:
        """Run `code` in the fresh Python, from outside the checkout.

        `python -c` looks in the working directory first, where the
        repository's own convdemo/ would shadow the installed one.
        """
        run = subprocess.run(
            [str(python), "-c", code],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        return run.stdout.strip()

    before = outside("import importlib.util as u; print(u.find_spec('convdemo'))")
    assert before == "None", "the fresh environment already has convdemo"
    jupyter = tmp_path / "jupyter"
    spec = jupyter / "kernels" / "fresh"
    spec.mkdir(parents=True)
    kernel = {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh",
        "language": "python",
    }
    (spec / "kernel.json").write_text(json.dumps(kernel))
    work = tmp_path / "work"
    work.mkdir()
    with zipfile.ZipFile(build.site / ARCHIVE) as zipped:
        zipped.extract(NOTEBOOK, work)
    notebook = work / NOTEBOOK
    executed = work / "executed.ipynb"
    env.update(
        JUPYTER_PATH=str(jupyter),
        JUPYTER_PLATFORM_DIRS="1",
        CONVDEMO_REQUIREMENT=str(wheel),
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _EXECUTE, str(notebook),
         str(notebook.parent), str(executed)],
        env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    where = outside("import convdemo; print(convdemo.__file__)")
    assert Path(where).is_relative_to(venv)
    cells = json.loads(executed.read_text())["cells"]
    outputs = [o for c in cells if c["cell_type"] == "code" for o in c["outputs"]]
    html = [
        "".join(o["data"]["text/html"])
        for o in outputs
        if "text/html" in o.get("data", {})
    ]
    assert any("Animation" in h and "<script" in h for h in html), "no animation player"
    assert any("image/png" in o.get("data", {}) for o in outputs)
