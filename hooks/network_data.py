"""Train the tiny CNN when the site is built and export it for the browser.

The page ``docs/network.md`` runs the network of ``convdemo.cnn`` in the
reader's browser. This hook trains it as the chapter and the gallery do
(``TinyCNN(seed=0)`` on the fixed stratified split, same seed, same
weights) and writes into the built site, under ``assets/network/data/``:

``tiny-cnn.json``
    The weights, exactly as ``TinyCNN.save`` writes them: every number is
    the shortest decimal that reads back as the same float64, so the
    page computes with the library's weights bit for bit. About 40 KB.
``digits.json``
    The 450 held-out digits, for keyboard users to pick and for the tests
    that compare the page's forward pass with ``TinyCNN.forward``: each
    digit's 64 ink counts (0 to 16) as one string of letters, ``a`` for 0
    to ``q`` for 16; their labels; the diverging colormap of the figures
    as an 8-bit lookup table; and the training's held-out accuracy.

Training takes a few seconds; it runs once per build. Every file is a pure
function of the library and the pinned NumPy and scikit-learn, so the bytes
are the same from one build to the next.
"""

from __future__ import annotations

import json
from typing import Any

DATA_DIR = "assets/network/data"
# The split and seed of the chapter and the gallery (gallery/3_network).
TEST_FRACTION = 0.25
SEED = 0


def encode_digit(values: Any) -> str:
    """Write 64 ink counts (0 to 16) as 64 letters, ``a`` (0) to ``q`` (16)."""
    return "".join(chr(ord("a") + int(v)) for v in values.ravel())


def colormap_lut() -> list[int]:
    """Return the figures' diverging colormap as a flat 8-bit RGB table."""
    import matplotlib
    import numpy as np

    from convdemo.style import DIVERGING

    cmap = matplotlib.colormaps[DIVERGING]
    rgba = cmap(np.arange(cmap.N), bytes=True)
    return [int(v) for v in rgba[:, :3].ravel()]


def export() -> dict[str, bytes]:
    """Train the network; return ``{file name: bytes}`` of the data files."""
    from convdemo.cnn import TinyCNN, load_digits, stratified_split

    images, labels = load_digits()
    train, test = stratified_split(labels, TEST_FRACTION, seed=SEED)
    model = TinyCNN(seed=SEED).fit(
        images[train], labels[train], validation=(images[test], labels[test])
    )
    accuracy = model.history[-1].test_accuracy
    digits = {
        "digits": [encode_digit(image) for image in images[test]],
        "labels": [int(label) for label in labels[test]],
        "colormap": colormap_lut(),
        "accuracy": accuracy,
    }
    text = json.dumps(digits, separators=(",", ":"), sort_keys=True) + "\n"
    return {
        "tiny-cnn.json": model.to_json().encode("utf-8"),
        "digits.json": text.encode("utf-8"),
    }


def on_files(files: Any, config: Any) -> Any:
    """Add the trained weights and the test digits to the site (MkDocs hook)."""
    from mkdocs.structure.files import File

    for file_name, content in export().items():
        files.append(File.generated(config, f"{DATA_DIR}/{file_name}", content=content))
    return files
