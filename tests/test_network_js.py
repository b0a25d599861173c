"""The tiny CNN in JavaScript, ``tinycnn.js``, against ``TinyCNN.forward``.

``docs/assets/network/tinycnn.js`` is what the page "Draw a digit" computes
with. It is loaded here into a blank page in Chromium, with the weights and
the 450 held-out digits that ``hooks/network_data.py`` exports (nothing is
built), and every layer of every held-out digit is compared with
``TinyCNN.forward`` to 1e-9; so are the 4 × 4 sum pooling of a bitmap and
the arithmetic the page writes out for a cell.

Chromium is Debian's ``chromium`` package. Without it these tests skip
locally, loudly, and fail in CI (``CI=true``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from project_files import ROOT, load_hook

from convdemo.cnn import LAYERS, TinyCNN

from .browser_tools import TOLERANCE, from_base64, script_page

pytestmark = pytest.mark.browser

CORE_JS = ROOT / "docs" / "assets" / "network" / "tinycnn.js"


@pytest.fixture(scope="module")
def exported() -> dict[str, Any]:
    """The hook's files, parsed: the trained weights and the held-out digits."""
    hook = load_hook("network_data")
    files = hook.export()
    return {name: json.loads(data) for name, data in files.items()}


@pytest.fixture(scope="module")
def model(
    exported: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> TinyCNN:
    """The exported weights, read back by TinyCNN.load."""
    path = tmp_path_factory.mktemp("weights") / "tiny-cnn.json"
    path.write_text(json.dumps(exported["tiny-cnn.json"]))
    return TinyCNN.load(path)


def _digits(exported: dict[str, Any]) -> np.ndarray:
    """Decode the held-out digits: letters a (0) to q (16)."""
    codes = exported["digits.json"]["digits"]
    return np.array(
        [[ord(ch) - ord("a") for ch in text] for text in codes], dtype=np.float64
    ).reshape(-1, 8, 8)


_HELPERS = """
window.netTest = {
  run(weights, digits, names) {
    const model = window.ConvdemoNet.fromJSON(weights);
    const out = {};
    for (const name of names) out[name] = [];
    for (const code of digits) {
      const ink = Float64Array.from(code, (ch) => ch.charCodeAt(0) - 97);
      const layers = window.ConvdemoNet.forward(model, ink);
      for (const name of names) out[name].push(...layers[name]);
    }
    const encoded = {};
    const {encode} = window.float64Base64;
    for (const name of names) encoded[name] = encode(Float64Array.from(out[name]));
    return encoded;
  },
};
"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    """A blank page in Chromium with tinycnn.js loaded (``window.ConvdemoNet``)."""
    script = CORE_JS.read_text(encoding="utf-8")
    with script_page(script, _HELPERS, namespace="ConvdemoNet") as tab:
        yield tab


def test_exported_files_are_small_and_exact(exported, model) -> None:
    """The weights are under 50 KB and are the chapter's model, bit for bit."""
    from convdemo.cnn import load_digits, stratified_split

    text = json.dumps(exported["tiny-cnn.json"], separators=(",", ":")) + "\n"
    assert len(text.encode()) <= 50_000
    images, labels = load_digits()
    _, test = stratified_split(labels, 0.25, seed=0)
    assert np.array_equal(_digits(exported), images[test])
    assert exported["digits.json"]["labels"] == labels[test].tolist()
    assert exported["digits.json"]["accuracy"] >= 0.97


def test_forward_matches_python_on_every_held_out_digit(page, exported, model) -> None:
    """Every layer of all 450 held-out digits equals TinyCNN.forward to 1e-9."""
    names = list(LAYERS)
    digits = _digits(exported)
    result = page.evaluate(
        "(a) => window.netTest.run(...a)",
        [exported["tiny-cnn.json"], exported["digits.json"]["digits"], names],
    )
    worst = 0.0
    for name in names:
        got = from_base64(result[name])
        expected = np.concatenate([model.forward(d)[name].ravel() for d in digits])
        assert got.shape == expected.shape, name
        worst = max(worst, float(np.abs(got - expected).max()))
    print(f"largest difference from TinyCNN.forward: {worst:.1e}")
    assert worst <= TOLERANCE, worst


def test_reduce_is_four_by_four_sum_pooling(page) -> None:
    """A 32 × 32 bitmap reduces to the sum of each 4 × 4 block."""
    from convdemo.ops import pool2d

    rng = np.random.default_rng(0)
    bitmap = (rng.random((32, 32)) < 0.3).astype(int)
    got = page.evaluate(
        "(b) => Array.from(window.ConvdemoNet.reduce(b))", bitmap.ravel().tolist()
    )
    expected = pool2d(bitmap, 4, mode="avg") * 16
    assert np.array_equal(np.array(got).reshape(8, 8), expected)


def test_explain_adds_up_to_the_layers(page, exported, model) -> None:
    """A conv cell's products and bias, a pooling's pick, a logit: as Python's."""
    digit = _digits(exported)[3]
    maps = model.forward(digit)
    script = """([weights, ink]) => {
      const model = window.ConvdemoNet.fromJSON(weights);
      const layers = window.ConvdemoNet.forward(model, Float64Array.from(ink));
      const e = window.ConvdemoNet.explain;
      return [e(model, layers, "conv2", 5, 1, 2),
              e(model, layers, "pool1", 3, 2, 1),
              e(model, layers, "probabilities", 7, 0, 0),
              e(model, layers, "conv1", 0, 0, 0)];
    }"""
    conv, pooled, dense, corner = page.evaluate(
        script, [exported["tiny-cnn.json"], digit.ravel().tolist()]
    )
    total = sum(c["sum"] for c in conv["channels"]) + conv["bias"]
    assert total == pytest.approx(maps["conv2"][1, 2, 5], abs=1e-12)
    assert len(conv["channels"]) == 8
    window = maps["relu1"][4:6, 2:4, 3].ravel()
    assert [c["value"] for c in pooled["cells"]] == pytest.approx(window.tolist())
    assert pooled["value"] == maps["pool1"][2, 1, 3]
    assert dense["logit"] == pytest.approx(maps["logits"][7], abs=1e-12)
    assert dense["probability"] == pytest.approx(maps["probabilities"][7], abs=1e-12)
    # The corner's window reads zeros outside the digit.
    assert corner["channels"][0]["window"][:4] == [0, 0, 0, 0]
