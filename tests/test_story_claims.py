"""The numbers and claims of the story chapters, checked against the library."""

import re
from pathlib import Path

import numpy as np

from convdemo.images import grid_image
from convdemo.kernels import get_kernel
from convdemo.ops import correlate2d, pool2d

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _text(page: str) -> str:
    """Return a chapter's Markdown with its lines joined by spaces."""
    return " ".join((DOCS / page).read_text(encoding="utf-8").split())


def _vertical_edges(image: np.ndarray) -> np.ndarray:
    return correlate2d(image, get_kernel("vertical"), padding="same")


def test_pooling_keeps_the_negative_side_only_where_a_block_fits() -> None:
    """0.7 % of the pooled pixels are negative; 6.6 % after a 1-pixel shift."""
    grid = grid_image()
    edges = _vertical_edges(grid)
    pooled = pool2d(edges, 2)
    moved = pool2d(_vertical_edges(np.hstack([np.ones((300, 1)), grid[:, :-1]])), 2)
    # The −2.4 stripes cover columns 31–32, 61–62, …: never a whole block.
    assert np.all(edges[15, 31::30][:9] == edges[15, 32::30][:9])
    assert edges[15, 31] < 0
    negative = {"as it is": np.mean(pooled < 0), "moved": np.mean(moved < 0)}
    assert f"{negative['as it is']:.1%}" == "0.7%"
    assert f"{negative['moved']:.1%}" == "6.6%"
    assert moved.min() < -2.39
    # Where the grid is as it is, the negative pooled pixels are in column 0.
    assert set(np.nonzero(pooled < 0)[1].tolist()) == {0}
    red = (np.mean(edges > 0), np.mean(pooled > 0))
    text = _text("story/pooling.md")
    assert "0.7% of the pooled pixels are negative" in text
    assert "6.6% for the grid moved by one pixel" in text
    assert f"from {red[0]:.1%} to {red[1]:.1%}" in text
    assert "drops the negative side" not in text


def test_no_quotation_is_put_in_the_posts_mouth() -> None:
    """Sentences about the post paraphrase it: no quoted words beside 'the post'."""
    quoted = re.compile(r'(?<![`\w])"[^"`]+"(?![`\w])|“[^”]+”')
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        if "generated" in page.parts:
            continue
        # Code, and admonition headers (`!!! note "Title"`), are not prose.
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"^\s*[!?]{3}.*$", "", text, flags=re.M)
        text = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.S)
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
            if re.search(r"\bpost\b", sentence) and quoted.search(sentence):
                found.append((page.name, sentence))
    assert found == []
    assert "even if they move a little" not in _text("beyond/invariance.md")


def test_the_double_loop_on_the_convolution_page_is_correlate2d() -> None:
    """The page's NumPy double loop runs and gives correlate2d's numbers."""
    page = (DOCS / "story/convolution.md").read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", page, flags=re.S)
    assert code.count("for ") == 2
    lines = code[code.index("def correlate") : code.index("return out")].splitlines()
    # Under the signature: the sizes, the output, two loops, the sum; then the
    # return makes six.
    assert len([line for line in lines[1:] if line.strip()]) == 5
    namespace: dict[str, object] = {"print": lambda *args: None}
    exec(code, namespace)  # the page's own example
    correlate = namespace["correlate"]
    rng = np.random.default_rng(0)
    for shape, kernel_shape in [((3, 3), (2, 2)), ((7, 9), (3, 3)), ((5, 4), (1, 3))]:
        image = rng.normal(size=shape)
        kernel = rng.normal(size=kernel_shape)
        np.testing.assert_allclose(correlate(image, kernel), correlate2d(image, kernel))
    assert page.index("```python") < page.index("convdemo.correlate2d(image, kernel)")
    assert "⋆" in page


def test_home_page_lists_the_story_in_the_navigation_order() -> None:
    """The home page's story list is the nav's, and it says where it differs."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load(
        (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader
    )
    story = next(item["The story"] for item in config["nav"] if "The story" in item)
    nav = [next(iter(entry.values())) for entry in story]
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\d+\. \[[^]]+\]\(([^)]+)\)", text, flags=re.M)
    assert listed == nav
    home = _text("index.md")
    assert "We follow the post's order, with three differences" in home
    assert "right after the identity filter" in home
    assert "a horse under two filters" in home
    assert home.index("![[hero") < home.index("![[colour-key")
    assert "[Playground](playground.md)" in home[: home.index("![[colour-key")]


def test_why_filters_groups_cover_every_kernel_once() -> None:
    """The filter-bank script's three groups hold the sixteen kernels once each."""
    import ast

    from convdemo.kernels import KERNELS, kernel_names

    source = (DOCS.parent / "gallery/1_story/plot_12_filter_bank.py").read_text(
        encoding="utf-8"
    )
    tree = ast.parse(source)
    groups = next(
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and getattr(node.targets[0], "id", "") == "groups"
    )
    names = [name for group in groups.values() for name in group]
    assert sorted(names) == sorted(kernel_names())
    assert len(names) == len(KERNELS) == 16
    text = _text("story/why-filters.md")
    assert "sixteen filters" in text
    for group in groups:
        assert f"![[filter-bank-{group}-grid" in text
        assert f"![[filter-bank-{group}-photo" in text
    adds_to_one = {name for name in names if KERNELS[name].values.sum() == 1}
    assert adds_to_one == {
        "identity",
        "edges",
        "sharpen",
        "emboss",
        "gaussian_blur",
        "gaussian_blur_5x5",
    }


def test_filters_chapter_numbers() -> None:
    """2.4 by hand; the oblique responses; the all-edges values clipping merges."""
    grid = grid_image()
    crop = grid[40:45, 26:33]
    window = crop[1:4, 2:5]
    assert window[:, 0].tolist() == [1.0] * 3
    assert window[:, 2].tolist() == [0.2] * 3
    value = float((window * get_kernel("vertical")).sum())
    assert f"{value:.1f}" == "2.4"
    edges = correlate2d(grid[42:78, 42:78], get_kernel("edges"), padding="same")
    assert [f"{edges[5, c]:.1f}" for c in (18, 17, 5)] == ["2.6", "-1.4", "1.0"]
    rows, cols = np.indices((60, 60))
    strongest = {}
    for name, sign in [("rising", 1), ("falling", -1)]:
        height = 30 - sign * np.tan(np.radians(30)) * (cols - 30)
        line = np.where(np.abs(rows - height) < 0.6, 0.2, 1.0)
        strongest[name] = np.abs(correlate2d(line, get_kernel("oblique"))).max()
    assert [f"{v:.1f}" for v in strongest.values()] == ["4.0", "2.4"]
    text = _text("story/filters.md")
    assert "(4.0 against 2.4 in the script)" in text
    assert "the lines (2.6) and the white squares (1.0)" in text
    assert "black halo (−1.4)" in text
    # The signed output comes before any mention of the clipped view.
    assert text.index("![[vertical-edges ") < text.index("clipped")
    assert text.index("## What clipping hides") < text.index("![[clipping-hides")
