"""The MkDocs build hooks on their own, without a build."""

from __future__ import annotations

import io
import runpy
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from PIL import Image

from convdemo.publish import PublishedFigure, update_manifest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> Any:
    """Run hooks/<name>.py; return its functions and constants by name.

    As MkDocs does, with hooks/ on the import path while the hook loads.
    """
    sys.path.insert(0, str(ROOT / "hooks"))
    try:
        return SimpleNamespace(**runpy.run_path(str(ROOT / "hooks" / f"{name}.py")))
    finally:
        sys.path.remove(str(ROOT / "hooks"))


maths = _load("maths")
cache = _load("gallery_cache")
tidy = _load("gallery_tidy")
index = _load("gallery_index")
figures = _load("figures")
compress = _load("compress_pngs")
search = _load("search_index")
notebooks = _load("notebooks")
anchors = _load("anchors")


class _Plugins(dict):
    """A stand-in for MkDocs' plugins: by name, and the one running (none)."""

    _current_plugin = None


class _Config(dict):
    """A stand-in for MkDocs' config: items, plus the attributes hooks read."""

    def __init__(self, root: Path, gallery: dict[str, Any] | None = None) -> None:
        super().__init__(docs_dir=str(root / "docs"), site_dir=str(root / "site"))
        self.config_file_path = str(root / "mkdocs.yml")
        self.docs_dir = self["docs_dir"]
        self.site_dir = self["site_dir"]
        self.use_directory_urls = True
        self.plugins = _Plugins()
        if gallery is not None:
            self.plugins["gallery"] = SimpleNamespace(config=gallery)


def _page(src_uri: str, url: str) -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri), url=url)


# hooks/maths.py


def test_maths_hook_turns_escaped_tex_into_mathml() -> None:
    """Inline and display TeX become <math>; HTML entities are unescaped first."""
    html = (
        '<p><span class="arithmatex">\\(a &lt; b\\)</span></p>\n'
        '<div class="arithmatex">\\[\\frac{n}{s}\\]</div>'
    )
    out = maths.on_page_content(html, page=_page("test.md", "test/"))
    assert "\\(" not in out
    assert "\\[" not in out
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in out
    assert 'display="block"><mrow><mfrac>' in out.replace("\n", "")
    assert "<mo>&#x0003C;</mo>" in out
    assert "&lt;" not in out


def test_maths_hook_names_the_page_on_bad_tex() -> None:
    """A formula latex2mathml cannot read fails with the page's name."""
    with pytest.raises(PluginError, match=r"test\.md"):
        maths.on_page_content(
            '<span class="arithmatex">\\(x^\\)</span>', page=_page("test.md", "test/")
        )


# hooks/gallery_cache.py


def _project(tmp_path: Path) -> Path:
    (tmp_path / "convdemo").mkdir(parents=True)
    (tmp_path / "convdemo" / "ops.py").write_text("x = 1\n", encoding="utf-8")
    return tmp_path


def test_fingerprint_follows_the_library_and_the_options(tmp_path: Path) -> None:
    """An edit to convdemo/ or to the options changes the fingerprint."""
    root = _project(tmp_path)
    first = cache.fingerprint(root, "srcset=2x")
    assert cache.fingerprint(root, "srcset=2x") == first
    assert cache.fingerprint(root, "srcset=3x") != first
    (root / "convdemo" / "ops.py").write_text("x = 2\n", encoding="utf-8")
    assert cache.fingerprint(root, "srcset=2x") != first


def test_fingerprint_ignores_where_the_project_is(tmp_path: Path) -> None:
    """The same library in another folder has the same fingerprint."""
    one, two = _project(tmp_path / "one"), _project(tmp_path / "two")
    assert cache.fingerprint(one) == cache.fingerprint(two)


def _build_options(root: Path, **options: Any) -> _Config:
    gallery = {"image_srcset": ["2x"], "examples_dirs": [str(root / "gallery")]}
    return _Config(root, gallery | options)


def test_changed_library_reruns_every_example_once(tmp_path: Path) -> None:
    """New inputs turn on run_stale_examples until a build succeeds with them."""
    root = _project(tmp_path)
    config = _build_options(root)
    cache.on_config(config)
    assert config.plugins["gallery"].config["run_stale_examples"] is True
    cache.on_post_build(config)
    again = _build_options(root)
    cache.on_config(again)
    assert "run_stale_examples" not in again.plugins["gallery"].config
    (root / "convdemo" / "ops.py").write_text("x = 2\n", encoding="utf-8")
    edited = _build_options(root)
    cache.on_config(edited)
    assert edited.plugins["gallery"].config["run_stale_examples"] is True


def test_failed_build_leaves_the_examples_stale(tmp_path: Path) -> None:
    """Without on_post_build (the build failed), the next build re-runs all."""
    root = _project(tmp_path)
    cache.on_config(_build_options(root))
    config = _build_options(root)
    cache.on_config(config)
    assert config.plugins["gallery"].config["run_stale_examples"] is True


def test_moved_checkout_keeps_the_gallery_cache(tmp_path: Path) -> None:
    """Options that name places do not count: a moved project re-runs nothing."""
    root = _project(tmp_path)
    cache.on_config(_build_options(root, examples_dirs=["/old/place/gallery"]))
    cache.on_post_build(None)
    config = _build_options(root, examples_dirs=["/new/place/gallery"])
    cache.on_config(config)
    assert "run_stale_examples" not in config.plugins["gallery"].config


# hooks/anchors.py


def test_markdown_anchors_become_targets_without_a_link() -> None:
    """`[](){#id}`, as Python-Markdown renders it, keeps its id and loses href."""
    import markdown

    html = markdown.markdown(
        "[](){#convdemo.animate} [](){#convdemo.notebook}\n\nText.",
        extensions=["attr_list"],
    )
    out = anchors.on_page_content(html, page=_page("reference/x.md", "reference/x/"))
    assert out == (
        '<p><a id="convdemo.animate"></a> <a id="convdemo.notebook"></a></p>\n'
        "<p>Text.</p>"
    )


def test_links_with_text_or_a_target_are_left_alone() -> None:
    """Only empty links to the page itself change: named links keep href."""
    html = '<a href="" id="top">Top</a> <a href="#x" id="y"></a>'
    assert anchors.plain_anchors(html) == html


# hooks/gallery_tidy.py


def test_tidy_hook_unlinks_only_the_unused_gallery_stylesheets() -> None:
    """mkdocs-gallery's Binder, dataframe and HTML-repr sheets are unlinked."""
    config = {
        "extra_css": [
            "assets/stylesheets/extra.css",
            "sg_gallery.css",
            "sg_gallery-binder.css",
            "sg_gallery-dataframe.css",
            "sg_gallery-rendered-html.css",
        ]
    }
    assert tidy.on_config(config)["extra_css"] == [
        "assets/stylesheets/extra.css",
        "sg_gallery.css",
    ]


def test_tidy_hook_names_the_download_link_on_example_pages_only() -> None:
    """ "Click here" becomes "Download the full example code" on gallery pages."""
    text = "Click [here](#download_links)\n    to download the full example code"
    example = _page("generated/gallery/1_story/plot_01.md", "")
    assert tidy.on_page_markdown(text, example) == (
        "[Download the full example code](#download_links)"
    )
    assert tidy.on_page_markdown(text, _page("story/filters.md", "")) == text


# hooks/gallery_index.py

# Two galleries side by side, as in mkdocs.yml.
_GALLERIES = ("1_story", "2_beyond")


def _galleries_project(tmp_path: Path, **options: Any) -> _Config:
    """A project with two galleries: 2 examples and a helper, then 1 example."""
    readmes = {
        "": "# Gallery\n\nEvery script.\n",
        "1_story": "# The story: one figure at a time\n\nText.\n",
        "2_beyond": "Intro without a title line.\n\n## Going further ##\n",
    }
    for folder, text in readmes.items():
        (tmp_path / "gallery" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "gallery" / folder / "README.md").write_text(text, "utf-8")
    for script in ("plot_01_a.py", "plot_02_b.py", "helpers.py"):
        (tmp_path / "gallery/1_story" / script).write_text("", encoding="utf-8")
    (tmp_path / "gallery/2_beyond/plot_01_c.py").write_text("", encoding="utf-8")
    gallery = {
        "examples_dirs": [str(tmp_path / "gallery" / n) for n in _GALLERIES],
        "gallery_dirs": [
            str(tmp_path / "docs/generated/gallery" / n) for n in _GALLERIES
        ],
        "filename_pattern": "/plot_",
        "download_all_examples": True,
    }
    return _Config(tmp_path, gallery | options)


def test_galleries_are_read_in_order_with_their_titles_and_examples(
    tmp_path: Path,
) -> None:
    """Each gallery: its folder's name, its README's first heading, its plot_ count."""
    config = _galleries_project(tmp_path)
    assert index.read_galleries(config.plugins["gallery"].config) == [
        index.Gallery("1_story", "The story: one figure at a time", 2),
        index.Gallery("2_beyond", "Going further", 1),
    ]


def test_entry_page_links_each_gallery_and_its_archives(tmp_path: Path) -> None:
    """The page is the top README, then each gallery's index and two archives."""
    config = _galleries_project(tmp_path)
    docs = str(tmp_path / "docs")
    stale = File("generated/gallery/index.md", docs, str(tmp_path / "site"), True)
    files = index.on_files(Files([stale]), config)
    [page] = list(files)
    assert page.generated_by is not None, "the stale index.md was not replaced"
    text = page.content_string
    assert text.startswith("# Gallery\n\nEvery script.\n")
    assert "## [The story: one figure at a time](1_story/index.md)" in text
    assert "## [Going further](2_beyond/index.md)" in text
    assert "2 examples." in text
    assert "1 example." in text
    for name in _GALLERIES:
        for archive in (f"{name}/{name}_python.zip", f"{name}/{name}_jupyter.zip"):
            assert f"]({archive})" in text


def test_entry_page_offers_no_archive_the_gallery_does_not_write(
    tmp_path: Path,
) -> None:
    """Without download_all_examples, the page links no archive."""
    config = _galleries_project(tmp_path, download_all_examples=False)
    [page] = list(index.on_files(Files([]), config))
    assert ".zip" not in page.content_string


def test_galleries_in_different_folders_are_refused(tmp_path: Path) -> None:
    """The entry page needs the galleries' outputs in one folder."""
    elsewhere = str(tmp_path / "docs/other/2_beyond")
    config = _galleries_project(tmp_path)
    config.plugins["gallery"].config["gallery_dirs"][1] = elsewhere
    with pytest.raises(PluginError, match="`gallery_dirs` must be in one folder"):
        index.on_files(Files([]), config)


def test_gallery_without_a_title_is_refused(tmp_path: Path) -> None:
    """A README with no heading fails the build, naming the file."""
    config = _galleries_project(tmp_path)
    (tmp_path / "gallery/2_beyond/README.md").write_text("No title.\n", "utf-8")
    with pytest.raises(PluginError, match=r"2_beyond/README\.md has no heading"):
        index.on_files(Files([]), config)


# hooks/figures.py

STILL = PublishedFigure(
    "grid",
    'The "grid" costs $3',
    "gallery/1_story/plot_01.py",
    747,
    235,
    ((1.0, "grid.png"), (2.0, "grid_2x.png")),
)
MOVING = PublishedFigure(
    "steps",
    "Animation: one window per frame",
    "gallery/1_story/plot_02.py",
    480,
    240,
    ((1.0, "steps.png"), (2.0, "steps_2x.png")),
    "steps.webp",
)
KNOWN = {"grid": STILL, "steps": MOVING}


def test_still_figure_lists_its_files_by_width_with_sizes() -> None:
    """A still: width-descriptor srcset, sizes, width, height and escaped alt."""
    html = figures.figure_html(STILL, "story/filters/")
    images = "../../generated/images"
    assert html == (
        '\n<figure class="convdemo-figure">\n'
        f'<img src="{images}/grid.png" '
        f'srcset="{images}/grid.png 747w, {images}/grid_2x.png 1494w" '
        'sizes="(max-width: 779px) 100vw, 747px" width="747" height="235" '
        'alt="The &quot;grid&quot; costs &#36;3" decoding="async">\n'
        "</figure>\n"
    )


def test_lazy_still_waits_and_caption_follows() -> None:
    """lazy=True adds loading="lazy"; a caption becomes the figcaption."""
    html = figures.figure_html(STILL, "", caption="The grid & more.", lazy=True)
    assert ' loading="lazy" decoding="async">' in html
    assert html.endswith("<figcaption>The grid &amp; more.</figcaption>\n</figure>\n")
    assert 'src="generated/images/grid.png"' in html


def test_animation_shows_its_poster_to_readers_who_prefer_less_motion() -> None:
    """An animation: a picture whose reduced-motion source is the poster."""
    html = figures.figure_html(MOVING, "generated/gallery/1_story/plot_02/", lazy=True)
    images = "../../../images"
    assert html == (
        '\n<figure class="convdemo-anim">\n<picture>\n'
        f'<source srcset="{images}/steps.png 1x, {images}/steps_2x.png 2x" '
        'media="(prefers-reduced-motion: reduce)">\n'
        f'<img class="convdemo-anim__img" src="{images}/steps.webp" '
        f'data-poster="{images}/steps.png" width="480" height="240" '
        'alt="Animation: one window per frame" decoding="async">\n'
        "</picture>\n</figure>\n"
    )


def test_references_outside_code_blocks_become_figures() -> None:
    """Each reference line is replaced; fenced examples of the syntax are kept."""
    markdown = (
        "Text.\n\n![[steps | Moving.]]\n\n![[grid]]\n\n"
        "```markdown\n![[grid]]\n```\n\n~~~\n![[nothing]]\n~~~\n"
    )
    out = figures.expand(markdown, "story/x/", KNOWN)
    assert out.count('<figure class="convdemo-anim">') == 1
    assert out.count('<figure class="convdemo-figure">') == 1
    assert "<figcaption>Moving.</figcaption>" in out
    assert out.endswith("```markdown\n![[grid]]\n```\n\n~~~\n![[nothing]]\n~~~\n")


def test_chapters_load_every_figure_at_once() -> None:
    """On a chapter no figure is lazy."""
    out = figures.expand("![[grid]]\n\n![[grid]]\n", "story/x/", KNOWN)
    assert out.count("<figure") == 2
    assert "loading=" not in out


def test_example_pages_load_stills_after_the_first_figure_lazily() -> None:
    """On an example page, a still after the first figure is lazy."""
    still = STILL.source
    first = figures.expand("![[grid]]\n", "", KNOWN, example=still)
    assert "loading=" not in first
    script = {"grid": STILL, "steps": replace(MOVING, source=still)}
    later = figures.expand("![[steps]]\n\n![[grid]]\n", "", script, example=still)
    assert later.count('loading="lazy"') == 1
    assert later.index('loading="lazy"') > later.index("</figure>")


def test_unknown_name_fails_with_the_closest_names() -> None:
    """A name no script makes is an error that suggests the near misses."""
    with pytest.raises(ValueError, match=r"'gird' \(grid\)"):
        figures.expand("![[gird]]\n", "", KNOWN)


def test_example_page_shows_only_its_own_figures_once() -> None:
    """On an example page, a figure made by another script, or twice, fails."""
    own = "gallery/1_story/plot_01.py"
    assert "grid.png" in figures.expand("![[grid]]\n", "", KNOWN, example=own)
    with pytest.raises(ValueError, match=r"plot_02\.py"):
        figures.expand("![[steps]]\n", "", KNOWN, example=own)
    with pytest.raises(ValueError, match="twice"):
        figures.expand("![[grid]]\n\n![[grid]]\n", "", KNOWN, example=own)


def _site_project(tmp_path: Path) -> tuple[_Config, Files]:
    """A project whose manifest lists grid (script present) and steps (gone)."""
    images = tmp_path / "docs/generated/images"
    images.mkdir(parents=True)
    for name in ("grid.png", "grid_2x.png", "steps.png", "steps_2x.png", "steps.webp"):
        (images / name).write_bytes(b"")
    (images / "stale.png").write_bytes(b"")
    update_manifest(images, [STILL, MOVING])
    (tmp_path / "gallery/1_story").mkdir(parents=True)
    (tmp_path / "gallery/1_story/plot_01.py").write_text("", encoding="utf-8")
    config = _Config(
        tmp_path,
        {
            "examples_dirs": [str(tmp_path / f"gallery/{n}") for n in _GALLERIES],
            "gallery_dirs": [
                str(tmp_path / f"docs/generated/gallery/{n}") for n in _GALLERIES
            ],
        },
    )
    docs = str(tmp_path / "docs")
    files = Files(
        [
            File(f"generated/images/{p.name}", docs, str(tmp_path / "site"), True)
            for p in sorted(images.iterdir())
        ]
        + [File("story/filters.md", docs, str(tmp_path / "site"), True)]
    )
    return config, files


def test_only_the_figures_of_existing_scripts_are_published(tmp_path: Path) -> None:
    """Files of no listed figure, of a deleted script, and the manifest stay out."""
    config, files = _site_project(tmp_path)
    kept = figures.on_files(files, config)
    assert sorted(f.src_uri for f in kept) == [
        "generated/images/grid.png",
        "generated/images/grid_2x.png",
        "story/filters.md",
    ]


def test_page_errors_name_the_page(tmp_path: Path) -> None:
    """A bad reference fails the build with the page's source file."""
    config, files = _site_project(tmp_path)
    figures.on_files(files, config)
    with pytest.raises(PluginError, match=r"story/filters\.md: no gallery script"):
        figures.on_page_markdown(
            "![[steps]]\n", _page("story/filters.md", "story/filters/")
        )


def test_example_pages_are_matched_to_their_scripts(tmp_path: Path) -> None:
    """The page of plot_01 may show plot_01's figure; another page may not."""
    config, files = _site_project(tmp_path)
    figures.on_files(files, config)
    page = _page(
        "generated/gallery/1_story/plot_01.md", "generated/gallery/1_story/plot_01/"
    )
    assert "grid.png" in figures.on_page_markdown("![[grid]]\n", page)
    other = _page(
        "generated/gallery/1_story/plot_09.md", "generated/gallery/1_story/plot_09/"
    )
    with pytest.raises(PluginError, match="made by another script"):
        figures.on_page_markdown("![[grid]]\n", other)


# hooks/notebooks.py

_ANIMATION_CELL = """\
import matplotlib.pyplot as plt
from convdemo.animate import animate_pooling

anim = animate_pooling([[1, 2], [3, 4]], 2)
convdemo.set_alt_text(plt.gcf(), "Pooling, one window", name="pool", animation=anim)
"""


def test_first_cell_leaves_the_animation_player_on() -> None:
    """After the first cell, a figure with an animation shows as the HTML player."""
    import nbformat
    from nbclient import NotebookClient

    cell = notebooks.first_cell("https://example.org/convdemo")
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(cell),
            nbformat.v4.new_code_cell(_ANIMATION_CELL),
        ]
    )
    NotebookClient(notebook, kernel_name="python3", timeout=120).execute()
    first, animation = (c["outputs"] for c in notebook.cells)
    assert [o for o in first if o["output_type"] != "stream"] == []
    html = [o["data"].get("text/html", "") for o in animation if "data" in o]
    assert any("Animation" in h and "<script" in h for h in html), animation


# hooks/compress_pngs.py


def _png(mode: str = "RGBA") -> bytes:
    image = Image.new(mode, (40, 30), (10, 120, 200, 255) if mode == "RGBA" else 3)
    for x in range(40):
        image.putpixel((x, x % 30), (250, 20, 20, 128) if mode == "RGBA" else 7)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_png_becomes_a_deterministic_palette_png() -> None:
    """A true-colour PNG becomes a palette PNG, the same bytes every time."""
    first = compress.compress_png(_png())
    assert first == compress.compress_png(_png())
    with Image.open(io.BytesIO(first)) as image:
        assert image.mode == "P"


def test_palette_png_comes_back_unchanged() -> None:
    """A PNG that already has a palette is not re-encoded."""
    data = _png("P")
    assert compress.compress_png(data) is data


def test_compressed_pngs_come_from_the_cache_the_second_time(tmp_path: Path) -> None:
    """The second pass re-encodes nothing; unused cache entries are removed."""
    pngs = [tmp_path / "a.png", tmp_path / "b.png"]
    for png in pngs:
        png.write_bytes(_png())
    store = tmp_path / "cache"
    (store).mkdir()
    (store / "unused.png").write_bytes(b"")
    assert compress.compress_pngs(pngs, store) == (1, 1)
    compressed = pngs[0].read_bytes()
    for png in pngs:
        png.write_bytes(_png())
    assert compress.compress_pngs(pngs, store) == (0, 2)
    assert pngs[0].read_bytes() == compressed
    assert len(list(store.iterdir())) == 1


# ------------------------------------------------------------- search_index


def _indexed_text(html: str) -> str:
    """The text Material's own search parser keeps from a page."""
    from material.plugins.search.plugin import Parser

    parser = Parser()
    parser.feed(html)
    parser.close()
    return " ".join("".join(section.text) for section in parser.data)


def test_search_index_leaves_out_example_code_and_output() -> None:
    """An example page's code and output are left out, its prose is kept."""
    html = (
        "<h1>Title</h1><p>The prose.</p>"
        '<div class="highlight"><pre><code>kernel = 1</code></pre></div>'
        '<div class="mkd-glr-script-out-disp highlight"><pre>printed</pre></div>'
    )
    assert "kernel" in _indexed_text(html)
    kept = _indexed_text(
        search.exclude_from_search(html, "generated/gallery/2_beyond/plot_31_x.md")
    )
    assert "The prose." in kept
    assert "kernel" not in kept
    assert "printed" not in kept


def test_search_index_leaves_out_signatures_only() -> None:
    """A reference page keeps its examples and tables but not its signatures."""
    html = (
        "<h1>f</h1>"
        '<div class="doc-signature highlight"><pre><code>f(alpha)</code></pre></div>'
        '<div class="highlight"><pre><code>f(beta)</code></pre></div>'
    )
    kept = _indexed_text(search.exclude_from_search(html, "reference/convolution.md"))
    assert "alpha" not in kept
    assert "beta" in kept


def test_search_index_keeps_chapters_and_gallery_indexes_whole() -> None:
    """Chapters and the gallery's index pages are indexed as they are."""
    html = '<div class="highlight"><pre><code>kernel = 1</code></pre></div>'
    for page in ("story/convolution.md", "generated/gallery/1_story/index.md"):
        assert search.exclude_from_search(html, page) == html
