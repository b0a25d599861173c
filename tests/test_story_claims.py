"""The numbers and claims of the story chapters, checked against the library."""

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
