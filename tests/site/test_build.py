"""The built site: strict build, links, images, alt text, privacy, maths.

Also the gallery scripts (standalone, under Agg) and the notebooks the build
produces (nbclient). Page budgets are in ``test_budgets.py``, the gallery
cache (what a rebuild re-runs) in ``test_stale_cache.py``.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import (
    GALLERY_SCRIPTS,
    ROOT,
    Build,
    executed_examples,
    load_script,
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


def test_every_gallery_page_has_a_figure(build: Build) -> None:
    """Each example page shows at least one image made by its script."""
    empty = []
    for page in example_pages(build):
        stem = page.parent.name
        figures = [
            img
            for img in parse(page).all("img")
            if f"/images/mkd_glr_{stem}_" in img.get("src", "")
        ]
        if not figures:
            empty.append(rel(build, page))
    assert GALLERY_SCRIPTS, "no gallery scripts found"
    assert empty == []


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


# Running every script twice (as a script, as a notebook) dominates the time
# of this file: the runs go to a pool of child processes, one per core, as
# soon as a test asks for them; each test waits for its own run.
_WORKERS = max(2, os.cpu_count() or 1)
_SCRIPT_IDS = [s.relative_to(ROOT / "gallery").as_posix() for s in GALLERY_SCRIPTS]


def _run(
    argv: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="session")
def pool() -> Iterator[ThreadPoolExecutor]:
    """A pool that runs child processes side by side."""
    with ThreadPoolExecutor(max_workers=_WORKERS) as executor:
        yield executor


@pytest.fixture(scope="session")
def standalone_runs(
    pool: ThreadPoolExecutor, tmp_path_factory: pytest.TempPathFactory
) -> dict[Path, Future[subprocess.CompletedProcess[str]]]:
    """Start every gallery script with plain python, from a copy of its folder."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(ROOT)}
    runs = {}
    for script in GALLERY_SCRIPTS:
        # A copy, so that files a script writes stay out of the working tree.
        folder = tmp_path_factory.mktemp("standalone") / script.parent.name
        shutil.copytree(script.parent, folder)
        runs[script] = pool.submit(_run, [sys.executable, script.name], folder, env)
    return runs


@pytest.mark.parametrize("script", GALLERY_SCRIPTS, ids=_SCRIPT_IDS)
def test_gallery_script_runs_standalone(
    script: Path, standalone_runs: dict[Path, Future[subprocess.CompletedProcess[str]]]
) -> None:
    """The script runs with plain python under Agg, from its own folder."""
    done = standalone_runs[script].result()
    assert done.returncode == 0, done.stderr[-4000:]
    assert "Traceback" not in done.stderr, done.stderr[-4000:]


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
    """Start every notebook of the site in nbclient, in a fresh python3 kernel."""
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
    for script in GALLERY_SCRIPTS:
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
        runs[script] = pool.submit(_run, argv, work, env)
    return runs


@pytest.mark.parametrize("script", GALLERY_SCRIPTS, ids=_SCRIPT_IDS)
def test_notebook_runs_top_to_bottom(
    script: Path, notebook_runs: dict[Path, Future[subprocess.CompletedProcess[str]]]
) -> None:
    """The .ipynb the build offers for download executes without error."""
    done = notebook_runs[script].result()
    assert done.returncode == 0, done.stderr[-4000:]


# The build hooks on their own, without a build.


@pytest.fixture(scope="module")
def maths_hook() -> ModuleType:
    """hooks/maths.py, imported as a module."""
    return load_script(ROOT / "hooks" / "maths.py", "convdemo_hook_maths")


@pytest.fixture(scope="module")
def cache_hook() -> ModuleType:
    """hooks/gallery_cache.py, imported as a module."""
    return load_script(ROOT / "hooks" / "gallery_cache.py", "convdemo_hook_cache")


class _Page:
    class file:  # noqa: N801 - mimics mkdocs' Page.file
        src_uri = "test.md"


def test_maths_hook_turns_escaped_tex_into_mathml(maths_hook: ModuleType) -> None:
    """Inline and display TeX become <math>; HTML entities are unescaped first."""
    html = (
        '<p><span class="arithmatex">\\(a &lt; b\\)</span></p>\n'
        '<div class="arithmatex">\\[\\frac{n}{s}\\]</div>'
    )
    out = maths_hook.on_page_content(html, page=_Page())
    assert "\\(" not in out
    assert "\\[" not in out
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in out
    assert 'display="block"><mrow><mfrac>' in out.replace("\n", "")
    assert "<mo>&#x0003C;</mo>" in out
    assert "&lt;" not in out


def test_maths_hook_names_the_page_on_bad_tex(maths_hook: ModuleType) -> None:
    """A formula latex2mathml cannot read fails with the page's name."""
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match=r"test\.md"):
        maths_hook.on_page_content(
            '<span class="arithmatex">\\(x^\\)</span>', page=_Page()
        )


def test_cache_hook_clears_checksums_only_when_the_fingerprint_changes(
    cache_hook: ModuleType, tmp_path: Path
) -> None:
    """Same library: cache kept; changed library or options: checksums deleted."""
    (tmp_path / "convdemo").mkdir()
    module = tmp_path / "convdemo" / "ops.py"
    module.write_text("x = 1\n", encoding="utf-8")
    gallery = tmp_path / "docs/generated/gallery/1_story"
    gallery.mkdir(parents=True)

    def checksums() -> int:
        for name in ("plot_01.py.md5", "plot_02.py.md5"):
            (gallery / name).write_text("0", encoding="utf-8")
        return cache_hook.invalidate_stale_gallery(
            tmp_path, [Path("docs/generated/gallery")], "srcset=2x"
        )

    assert checksums() == 2  # first build: no fingerprint yet
    assert checksums() == 0
    module.write_text("x = 2\n", encoding="utf-8")
    assert checksums() == 2
    assert checksums() == 0
    assert (
        cache_hook.invalidate_stale_gallery(
            tmp_path, [Path("docs/generated/gallery")], "srcset=3x"
        )
        == 2
    )


def test_nav_hook_drops_only_empty_sections() -> None:
    """The empty top-level gallery section goes; pages and full sections stay."""
    hook = load_script(ROOT / "hooks" / "gallery_tidy.py", "convdemo_hook_tidy")
    nav = [
        {"Home": "index.md"},
        {
            "Gallery": [
                {"Gallery": "generated/gallery/index.md"},
                {"Gallery": []},
                {"Story": [{"One": "generated/gallery/1_story/plot_01.md"}]},
            ]
        },
    ]
    assert hook.without_empty_sections(nav) == [
        {"Home": "index.md"},
        {
            "Gallery": [
                {"Gallery": "generated/gallery/index.md"},
                {"Story": [{"One": "generated/gallery/1_story/plot_01.md"}]},
            ]
        },
    ]


def test_tidy_hook_unlinks_only_the_unused_gallery_stylesheets() -> None:
    """mkdocs-gallery's Binder, dataframe and HTML-repr sheets are unlinked."""
    hook = load_script(ROOT / "hooks" / "gallery_tidy.py", "convdemo_hook_tidy")
    config = {
        "extra_css": [
            "assets/stylesheets/extra.css",
            "sg_gallery.css",
            "sg_gallery-binder.css",
            "sg_gallery-dataframe.css",
            "sg_gallery-rendered-html.css",
        ]
    }
    assert hook.on_config(config)["extra_css"] == [
        "assets/stylesheets/extra.css",
        "sg_gallery.css",
    ]


@pytest.fixture(scope="module")
def figures_hook() -> ModuleType:
    """hooks/chapter_figures.py, imported as a module."""
    return load_script(ROOT / "hooks" / "chapter_figures.py", "convdemo_hook_figures")


def _gallery_images(docs: Path) -> Path:
    """Write a 1x/2x figure and an animation with its poster under `docs`."""
    from PIL import Image

    images = docs / "generated/gallery/1_story/images"
    images.mkdir(parents=True)
    for name, size in [
        ("mkd_glr_plot_01_a_001.png", (40, 30)),
        ("mkd_glr_plot_01_a_001_2x.png", (80, 60)),
        ("mkd_glr_plot_01_a_002.png", (20, 10)),
        ("mkd_glr_plot_01_a_002.webp", (20, 10)),
        ("mkd_glr_plot_01_a_003.png", (16, 12)),
    ]:
        Image.new("L", size, 255).save(images / name)
    return images


def test_figures_hook_gives_chapter_pngs_srcset_and_size(
    figures_hook: ModuleType, tmp_path: Path
) -> None:
    """A gallery PNG gets its 2x file as srcset (when it exists) and its size."""
    _gallery_images(tmp_path)
    src = "../../generated/gallery/1_story/images/mkd_glr_plot_01_a_00"
    html = (
        f'<p><img alt="A" src="{src}1.png" /></p>\n'
        f'<p><img alt="C" src="{src}3.png" /></p>\n'
        '<p><img alt="D" src="../../other.png" /></p>'
    )
    out = figures_hook.rewrite_images(html, "story/filters/", tmp_path)
    assert out.splitlines() == [
        f'<p><img alt="A" src="{src}1.png" srcset="{src}1.png 1x, {src}1_2x.png 2x" '
        'width="40" height="30"></p>',
        f'<p><img alt="C" src="{src}3.png" width="16" height="12"></p>',
        '<p><img alt="D" src="../../other.png" /></p>',
    ]


def test_figures_hook_gives_width_descriptors_and_sizes(
    figures_hook: ModuleType,
) -> None:
    """``a 1x, b 2x`` with a width W becomes ``a Ww, b 2Ww`` and a ``sizes``
    that never underestimates the slot; anything else is left alone."""
    one = '<img class="c" src="a.png" srcset="a.png 1x, a_2x.png 2x" width="747">'
    assert figures_hook.width_srcset(one) == (
        '<img class="c" src="a.png" srcset="a.png 747w, a_2x.png 1494w" '
        'sizes="(max-width: 779px) 100vw, 747px" width="747">'
    )
    unchanged = [
        '<img src="a.png" srcset="a.png 1x, a_2x.png 2x">',  # no width
        '<img src="a.png" srcset="a.png 1x" width="9">',  # no 2x file
        '<img src="a.png" srcset="a.png 9w, b.png 18w" sizes="9px" width="9">',
        '<source srcset="a.png 1x, a_2x.png 2x" media="(prefers-reduced-motion)">',
    ]
    for html in unchanged:
        assert figures_hook.width_srcset(html) == html
    # Idempotent: a second pass changes nothing.
    once = figures_hook.width_srcset(one)
    assert figures_hook.width_srcset(once) == once


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


def test_figures_hook_wraps_chapter_animations_like_the_gallery(
    figures_hook: ModuleType, tmp_path: Path
) -> None:
    """An animation becomes the pausable figure with its PNG still as poster."""
    _gallery_images(tmp_path)
    src = "generated/gallery/1_story/images/mkd_glr_plot_01_a_002"
    out = figures_hook.rewrite_images(
        f'<p><img alt="Moving" src="{src}.webp" /></p>', "", tmp_path
    )
    assert out == (
        '<figure class="convdemo-anim">\n<picture>\n'
        f'<source srcset="{src}.png 1x" media="(prefers-reduced-motion: reduce)">\n'
        f'<img class="convdemo-anim__img" src="{src}.webp" data-poster="{src}.png" '
        'width="20" height="10" alt="Moving" decoding="async">\n'
        "</picture>\n</figure>"
    )
    # Already in that markup: left as it is.
    assert figures_hook.rewrite_images(out, "", tmp_path) == out
