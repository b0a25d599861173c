"""The built site: strict build, links, images, alt text, privacy, maths.

Also the gallery scripts (standalone, under Agg) and the notebooks the build
produces: every notebook holds its script's code, and a sample runs in
nbclient. Page budgets are in ``test_budgets.py``, the gallery cache (what a
rebuild re-runs) in ``test_stale_cache.py``, the build hooks on their own in
``tests/test_hooks.py``.
"""

from __future__ import annotations

import ast
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from project_files import ROOT, load_hook

from convdemo.publish import PublishedFigure, read_manifest

from .conftest import (
    FIGURES,
    GALLERIES,
    GALLERY_SCRIPTS,
    Build,
    Standalone,
    executed_examples,
    run,
)

pytestmark = pytest.mark.site


class Page(HTMLParser):
    """The parts of an HTML page these tests look at."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.ids.add(a[key])

    def all(self, tag: str) -> list[dict[str, str]]:
        """Return the attributes of every `tag` element."""
        return [a for t, a in self.tags if t == tag]


_parsed: dict[Path, Page] = {}


def parse(path: Path) -> Page:
    """Parse a built page once per session."""
    if path not in _parsed:
        _parsed[path] = Page(path.read_text(encoding="utf-8"))
    return _parsed[path]


def srcset_urls(srcset: str) -> list[str]:
    """Return the URLs of a ``srcset`` attribute."""
    return [part.split()[0] for part in srcset.split(",") if part.strip()]


def is_external(url: str) -> bool:
    """Tell whether a URL leaves the site (a scheme or a network location)."""
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith("//")


def target_of(site: Path, page: Path, url: str) -> Path:
    """Return the file a relative URL on `page` points to."""
    path = unquote(urlsplit(url).path)
    if not path:
        return page
    rel = posixpath.normpath(
        posixpath.join(page.parent.relative_to(site).as_posix(), path)
    )
    target = site / rel
    if rel == "." or target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def rel(build: Build, page: Path) -> str:
    """Return a page's path inside the site, for messages."""
    return page.relative_to(build.site).as_posix()


# Requesting the standalone runs first starts them before the build, so that
# they use the second core while mkdocs builds on the first.
@pytest.mark.usefixtures("standalone_runs")
def test_strict_build_has_no_warnings(build: Build) -> None:
    """The strict build logs no warning and runs every gallery script."""
    warnings = [line for line in build.log.splitlines() if "WARNING" in line]
    assert warnings == []
    ran, skipped = executed_examples(build.log)
    assert (ran, skipped) == (len(GALLERY_SCRIPTS), 0)


def test_every_nav_page_and_example_is_built(build: Build) -> None:
    """Every docs page and every gallery script has its HTML page."""
    expected = [
        md.relative_to(ROOT / "docs").with_suffix("")
        for md in (ROOT / "docs").rglob("*.md")
        if "generated" not in md.parts
    ]
    expected += [
        Path("generated/gallery") / script.parent.name / script.stem
        for script in GALLERY_SCRIPTS
    ]
    missing = []
    for item in expected:
        folder = item.parent if item.name == "index" else item
        if not (build.site / folder / "index.html").is_file():
            missing.append(item.as_posix())
    assert missing == []
    assert (build.site / "generated/gallery/index.html").is_file()
    for gallery in GALLERIES:
        assert (
            build.site / "generated/gallery" / gallery.name / "index.html"
        ).is_file()


def test_each_gallery_index_shows_its_own_examples_only(build: Build) -> None:
    """A gallery's index links a thumbnail of each of its scripts, and no other;
    the entry page links each gallery's index and shows no thumbnail."""
    folder = build.site / "generated/gallery"
    entry = parse(folder / "index.html")
    links = {a.get("href", "") for a in entry.all("a")}
    assert {f"{g.name}/" for g in GALLERIES} <= links
    assert not any("/thumb/" in img.get("src", "") for img in entry.all("img"))
    for gallery in GALLERIES:
        page = parse(folder / gallery.name / "index.html")
        thumbs = [
            img["src"] for img in page.all("img") if "/thumb/" in img.get("src", "")
        ]
        assert sorted(thumbs) == sorted(
            f"images/thumb/mkd_glr_{s.stem}_thumb.png"
            for s in GALLERY_SCRIPTS
            if s.parent == gallery
        )


def test_images_resolve(build: Build, pages: list[Path]) -> None:
    """Every img/source src and srcset points to a file of the site."""
    broken = []
    for page in pages:
        doc = parse(page)
        for attrs in doc.all("img") + doc.all("source"):
            urls = srcset_urls(attrs.get("srcset", ""))
            if attrs.get("src"):
                urls.append(attrs["src"])
            for url in urls:
                if url.startswith("data:"):
                    continue
                if is_external(url) or not target_of(build.site, page, url).is_file():
                    broken.append(f"{rel(build, page)}: {url}")
    assert broken == []


def test_internal_links_and_anchors_resolve(build: Build, pages: list[Path]) -> None:
    """Every internal href (links, stylesheets, scripts) and #anchor resolves."""
    broken = []
    for page in pages:
        doc = parse(page)
        refs = [a.get("href", "") for a in doc.all("a") + doc.all("link")]
        refs += [s["src"] for s in doc.all("script") if s.get("src")]
        for url in refs:
            if not url or is_external(url) or url.startswith(("mailto:", "data:")):
                continue
            target = target_of(build.site, page, url)
            if not target.is_file():
                broken.append(f"{rel(build, page)}: {url} (no such file)")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if (
                fragment
                and target.suffix == ".html"
                and fragment not in parse(target).ids
            ):
                broken.append(f"{rel(build, page)}: {url} (no such anchor)")
    assert broken == []


def example_pages(build: Build) -> list[Path]:
    """Return the built page of every gallery script."""
    return [
        build.site / "generated/gallery" / s.parent.name / s.stem / "index.html"
        for s in GALLERY_SCRIPTS
    ]


@pytest.fixture(scope="module")
def figures(build: Build) -> dict[str, PublishedFigure]:
    """The manifest of the named figures the build wrote."""
    found = read_manifest(build.root / FIGURES)
    assert found, "the build published no figure"
    return found


def _figure_of(site: Path, page: Path, url: str) -> str | None:
    """Return the name of the published figure a URL on `page` shows."""
    target = target_of(site, page, url)
    if target.parent != site / FIGURES.relative_to("docs"):
        return None
    return target.name.removesuffix(".webp").removesuffix(".png").removesuffix("_2x")


def test_every_gallery_page_shows_its_own_figures(
    build: Build, figures: dict[str, PublishedFigure]
) -> None:
    """Each example page shows every figure its script made, and no other."""
    wrong = {}
    for script, page in zip(GALLERY_SCRIPTS, example_pages(build), strict=True):
        source = script.relative_to(ROOT).as_posix()
        made = sorted(n for n, f in figures.items() if f.source == source)
        shown = [
            _figure_of(build.site, page, img.get("src", ""))
            for img in parse(page).all("img")
        ]
        if not made or sorted(n for n in shown if n) != made:
            wrong[source] = (made, shown)
    assert wrong == {}


def test_figures_carry_their_scripts_alt_text(
    build: Build, pages: list[Path], figures: dict[str, PublishedFigure]
) -> None:
    """Every image of a published figure, on any page, has the script's alt text."""
    wrong, seen = [], set()
    for page in pages:
        for img in parse(page).all("img"):
            name = _figure_of(build.site, page, img.get("src", ""))
            if name is None:
                continue
            seen.add(name)
            if img.get("alt") != figures[name].alt:
                wrong.append(f"{rel(build, page)}: {name}")
    assert wrong == []
    assert seen == set(figures)


def test_docs_embed_figures_by_name_only() -> None:
    """No page of docs/ names a gallery image file or repeats its alt text."""
    found = [
        f"{md.relative_to(ROOT)}: {line.strip()[:80]}"
        for md in (ROOT / "docs").rglob("*.md")
        if "generated" not in md.relative_to(ROOT / "docs").parts
        for line in md.read_text(encoding="utf-8").splitlines()
        if re.search(r"mkd_glr|generated/(gallery/\w+/)?images/", line)
    ]
    assert found == []


def _thumbnail(script: Path) -> str | None:
    match = re.search(
        r"^# mkdocs_gallery_thumbnail_path = (.+)$",
        script.read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    return None if match is None else ast.literal_eval(match.group(1))


def test_every_thumbnail_is_a_figure_of_its_script(
    figures: dict[str, PublishedFigure],
) -> None:
    """Each script picks its gallery thumbnail among its own named figures."""
    folder = FIGURES.relative_to("docs").as_posix()
    wrong = {}
    for script in GALLERY_SCRIPTS:
        source = script.relative_to(ROOT).as_posix()
        own = {
            f"{folder}/{f.stills[0][1]}" for f in figures.values() if f.source == source
        }
        if _thumbnail(script) not in own:
            wrong[source] = _thumbnail(script)
    assert wrong == {}


_FILENAME_LIKE = re.compile(
    r"\.(png|jpe?g|gif|webp|svg)\b|mkd[ _]glr|^plot[ _]\d|^(image|figure|img|plot)"
    r"\s*\d*$",
    re.IGNORECASE,
)


def test_every_image_has_descriptive_alt_text(build: Build, pages: list[Path]) -> None:
    """Every img has alt text of a few words that is not a file name."""
    bad = []
    for page in pages:
        for img in parse(page).all("img"):
            alt = img.get("alt", "").strip()
            if len(alt.split()) < 3 or _FILENAME_LIKE.search(alt):
                bad.append(f"{rel(build, page)}: {img.get('src')} alt={alt!r}")
    assert bad == []


_LOADING_ATTRS = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "link": ("href",),
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""")


def test_nothing_is_loaded_from_another_host(build: Build, pages: list[Path]) -> None:
    """No script, stylesheet, font, image or frame comes from outside the site."""
    leaks = []
    for page in pages:
        for tag, attrs in parse(page).tags:
            if tag == "link" and not set(attrs.get("rel", "").split()) & {
                "stylesheet",
                "icon",
                "preload",
                "modulepreload",
                "prefetch",
                "preconnect",
                "dns-prefetch",
                "manifest",
            }:
                continue
            for name in _LOADING_ATTRS.get(tag, ()):
                value = attrs.get(name, "")
                urls = srcset_urls(value) if name == "srcset" else [value]
                leaks += [
                    f"{rel(build, page)}: <{tag} {name}={url!r}>"
                    for url in urls
                    if url and not url.startswith("data:") and is_external(url)
                ]
    for css in build.site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in _CSS_URL.findall(text) + _CSS_IMPORT.findall(text):
            if not url.startswith("data:") and is_external(url):
                leaks.append(f"{css.relative_to(build.site)}: {url}")
    assert leaks == []


def test_scripts_leave_the_first_paint_alone(build: Build, pages: list[Path]) -> None:
    """Script files are deferred (in order) or at the end of <body>; none block <head>.

    Material's bundle and site.js are deferred, Material's first, so that the
    browser paints before they run. The head holds inline scripts only, one
    of which sets the classes Material's script would set on <html>.
    """
    for page in pages:
        text = page.read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        # The only scripts in <head> are inline ones.
        assert not re.search(r"<script[^>]* src=", head), rel(build, page)
        classes = 'document.documentElement.className = "js js-focus-visible"'
        assert f"<script>{classes}</script>" in head, rel(build, page)
        scripts = [a for a in parse(page).all("script") if "src" in a]
        files = [a["src"] for a in scripts]
        material = [src for src in files if "/bundle." in "/" + src]
        ours = [src for src in files if src.endswith("assets/javascripts/site.js")]
        assert len(material) == 1, rel(build, page)
        assert len(ours) == 1, rel(build, page)
        deferred = [a["src"] for a in scripts if "defer" in a]
        assert deferred == [material[0], ours[0]], rel(build, page)


def test_maths_is_mathml(build: Build, pages: list[Path]) -> None:
    """No TeX is left on any page: arithmatex's output became MathML."""
    leftovers = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r'class="arithmatex">(?!<math)(.{0,60})', text):
            leftovers.append(f"{rel(build, page)}: {match.group(1)}")
    assert leftovers == []


def test_downloads_exist_for_every_example(build: Build) -> None:
    """Each example page offers its .py and .ipynb, and both are in the site."""
    absent = []
    for script in GALLERY_SCRIPTS:
        folder = build.site / "generated/gallery" / script.parent.name
        for suffix in (".py", ".ipynb"):
            if not (folder / f"{script.stem}{suffix}").is_file():
                absent.append(f"{script.stem}{suffix}")
        links = {
            a.get("href", "")
            for a in parse(folder / script.stem / "index.html").all("a")
        }
        for suffix in (".py", ".ipynb"):
            if not any(h.endswith(f"{script.stem}{suffix}") for h in links):
                absent.append(f"link to {script.stem}{suffix}")
    assert absent == []


_SCRIPT_IDS = [s.relative_to(ROOT / "gallery").as_posix() for s in GALLERY_SCRIPTS]


@pytest.mark.parametrize("script", GALLERY_SCRIPTS, ids=_SCRIPT_IDS)
def test_gallery_script_runs_standalone(
    script: Path, standalone_runs: dict[Path, Standalone]
) -> None:
    """The script runs with plain python under Agg, from its own folder."""
    done = standalone_runs[script].done.result()
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr, done.stderr[-4000:]


def _code_of_notebook(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def test_every_notebook_holds_its_scripts_code(build: Build) -> None:
    """Each .ipynb holds the script's code, cell by cell, after the first cell.

    The first cell (hooks/notebooks.py) installs convdemo when it is missing,
    turns on the inline backend and has the animations play.

    So running the script (above) runs the notebook's code too; the sample
    below checks that the notebooks also run in a Jupyter kernel.
    """
    notebooks = load_hook("notebooks")
    first_cell = notebooks.first_cell(notebooks.repository_url(ROOT / "pyproject.toml"))
    wrong = []
    for script in GALLERY_SCRIPTS:
        folder = build.site / "generated/gallery" / script.parent.name
        cells = _code_of_notebook(folder / f"{script.stem}.ipynb")
        # The build leaves mkdocs-gallery's configuration comments out.
        text = re.sub(
            r"^# mkdocs_gallery_\w+ = .*\n",
            "",
            script.read_text(encoding="utf-8"),
            flags=re.M,
        )
        position = 0
        for cell in cells[1:]:
            position = text.find(cell.strip(), position)
            if position < 0:
                wrong.append(f"{script.name}: {cell.strip()[:60]!r}")
                break
        if cells[0].strip() != first_cell or len(cells) < 2:
            wrong.append(f"{script.name}: starts with {cells[0]!r}")
    assert wrong == []


# A notebook per sub-gallery, with an animation and a photograph between them.
NOTEBOOK_SAMPLE = [
    ROOT / "gallery/1_story/plot_03_convolution_step_by_step.py",
    ROOT / "gallery/2_beyond/plot_07_channels.py",
]

_EXECUTE = """\
import sys
import nbformat
from nbclient import NotebookClient

notebook = nbformat.read(sys.argv[1], as_version=4)
client = NotebookClient(
    notebook, kernel_name="python3", timeout=300,
    resources={"metadata": {"path": sys.argv[2]}},
)
client.execute()
"""


@pytest.fixture(scope="session")
def notebook_runs(
    build: Build, pool: ThreadPoolExecutor, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Future[subprocess.CompletedProcess[str]]]:
    """Start the sample notebooks of the site in nbclient, in a python3 kernel."""
    # A kernelspec for this interpreter, found through JUPYTER_PATH: nothing
    # is installed outside the test's temporary folder.
    jupyter = tmp_path_factory.mktemp("jupyter")
    spec = jupyter / "kernels" / "python3"
    spec.mkdir(parents=True)
    kernel = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3",
        "language": "python",
    }
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    env = {
        **os.environ,
        "JUPYTER_PATH": str(jupyter),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONPATH": str(build.root),
        "MPLBACKEND": "Agg",
    }
    runs = {}
    for script in NOTEBOOK_SAMPLE:
        name = f"{script.stem}.ipynb"
        notebook = build.site / "generated/gallery" / script.parent.name / name
        work = tmp_path_factory.mktemp("notebook")
        shutil.copy(notebook, work)
        # In a child process: the Jupyter stack's own deprecation warnings are
        # not this project's to fix, and pytest turns warnings into errors.
        argv = [
            sys.executable,
            "-W",
            "ignore",
            "-c",
            _EXECUTE,
            str(work / name),
            str(work),
        ]
        runs[script] = pool.submit(run, argv, work, env)
    return runs


@pytest.mark.parametrize(
    "script",
    NOTEBOOK_SAMPLE,
    ids=[s.relative_to(ROOT / "gallery").as_posix() for s in NOTEBOOK_SAMPLE],
)
def test_notebook_runs_top_to_bottom(
    script: Path, notebook_runs: dict[Path, Future[subprocess.CompletedProcess[str]]]
) -> None:
    """The .ipynb the build offers for download executes without error."""
    done = notebook_runs[script].result()
    assert done.returncode == 0, done.stderr[-4000:]


def test_built_figures_use_width_descriptors(build: Build) -> None:
    """Every built <img> with a 2x file lists it by width, with ``sizes``."""
    x_descriptors, checked = [], 0
    for html in build.site.rglob("*.html"):
        for tag in re.findall(r"<img\b[^>]*>", html.read_text(encoding="utf-8")):
            if "_2x.png" not in tag:
                continue
            checked += 1
            if not re.search(r'srcset="[^"]+ \d+w, [^"]+_2x\.png \d+w"', tag) or (
                " sizes=" not in tag
            ):
                x_descriptors.append(f"{html.relative_to(build.site)}: {tag[:120]}")
    assert checked > 50
    assert x_descriptors == []
