"""The tiny CNN: data, split, forward pass, gradients, training, files.

Oracles: SciPy's ``correlate2d`` and a reshape-and-max pooling for the
forward pass; ``numerical_gradient`` (central finite differences) for the
whole network's gradient; the fixed split's held-out accuracy for training.
"""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
import scipy.signal as signal
from child_python import run_python

from convdemo.backward import numerical_gradient
from convdemo.cnn import (
    LAYERS,
    TinyCNN,
    load_digits,
    stratified_split,
)

# The split and training of the chapter, the gallery and the page.
TEST_FRACTION = 0.25


@pytest.fixture(scope="module")
def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits."""
    return load_digits()


@pytest.fixture(scope="module")
def split(digits) -> tuple[np.ndarray, np.ndarray]:
    """The fixed stratified split: training and test indices."""
    return stratified_split(digits[1], TEST_FRACTION, seed=0)


@pytest.fixture(scope="module")
def trained(digits, split) -> TinyCNN:
    """The model the chapter shows: seed 0, default training."""
    images, labels = digits
    train, test = split
    return TinyCNN(seed=0).fit(
        images[train], labels[train], validation=(images[test], labels[test])
    )


def test_load_digits_is_the_bundled_set(digits) -> None:
    """1,797 images of 8 × 8 whole numbers from 0 to 16, labels 0 to 9."""
    images, labels = digits
    assert images.shape == (1797, 8, 8)
    assert images.dtype == np.float64
    assert np.array_equal(images, np.round(images))
    assert images.min() == 0
    assert images.max() == 16
    assert sorted(set(labels.tolist())) == list(range(10))


def test_load_digits_without_scikit_learn_says_what_to_install(monkeypatch) -> None:
    """Without scikit-learn the loader names the package to install."""
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        load_digits()


def test_importing_convdemo_does_not_import_scikit_learn() -> None:
    """The core library keeps its three dependencies."""
    code = "import convdemo, sys; print('sklearn' in sys.modules)"
    assert run_python(code).strip() == "False"


def test_stratified_split_keeps_each_label_in_proportion(digits, split) -> None:
    """A quarter of each digit goes to the test set; the split is a partition."""
    labels = digits[1]
    train, test = split
    assert len(test) == 450
    assert np.array_equal(np.sort(np.concatenate([train, test])), np.arange(1797))
    for label in range(10):
        total = np.sum(labels == label)
        assert np.sum(labels[test] == label) == round(TEST_FRACTION * total)
    again = stratified_split(labels, TEST_FRACTION, seed=0)
    assert np.array_equal(again[1], test)
    other = stratified_split(labels, TEST_FRACTION, seed=1)
    assert not np.array_equal(other[1], test)


def test_stratified_split_rejects() -> None:
    """A fraction outside (0, 1) or labels that are not 1-D name the parameter."""
    with pytest.raises(ValueError, match="`test_fraction`"):
        stratified_split([0, 1], 1.0)
    with pytest.raises(ValueError, match="`test_fraction`"):
        stratified_split([0, 1], 0)
    with pytest.raises(ValueError, match="`labels`"):
        stratified_split([[0, 1]], 0.5)


def _reference_forward(model: TinyCNN, image: np.ndarray) -> np.ndarray:
    """The network's probabilities with SciPy, one filter and channel at a time."""

    def layer(maps, weights, bias):
        out = np.zeros((*maps.shape[:2], weights.shape[0]))
        for f in range(weights.shape[0]):
            out[..., f] = bias[f] + sum(
                signal.correlate2d(maps[..., c], weights[f, ..., c], mode="same")
                for c in range(maps.shape[2])
            )
        return out

    def pool(maps):
        h, w, c = maps.shape
        return maps.reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))

    p = model.params
    x = image[..., np.newaxis] / 16
    x = pool(np.maximum(layer(x, p["conv1_weights"], p["conv1_bias"]), 0))
    x = pool(np.maximum(layer(x, p["conv2_weights"], p["conv2_bias"]), 0))
    logits = x.ravel() @ p["dense_weights"] + p["dense_bias"]
    exp = np.exp(logits - logits.max())
    return np.asarray(exp / exp.sum())


def test_forward_matches_scipy(digits) -> None:
    """Each layer, and the probabilities, equal a SciPy reference to 1e-12."""
    model = TinyCNN(seed=4)
    for image in digits[0][:5]:
        maps = model.forward(image)
        assert list(maps) == list(LAYERS)
        np.testing.assert_allclose(
            maps["probabilities"], _reference_forward(model, image), rtol=1e-12
        )
        np.testing.assert_array_equal(maps["relu1"], np.maximum(maps["conv1"], 0))
        assert maps["pool1"].shape == (4, 4, 8)
        assert maps["pool2"].shape == (2, 2, 16)


def test_forward_of_one_equals_a_batch(digits) -> None:
    """forward(image) is the batch's row: predict_proba of the stack."""
    model = TinyCNN(seed=2)
    images = digits[0][:7]
    batch = model.predict_proba(images)
    for n, image in enumerate(images):
        np.testing.assert_allclose(
            model.forward(image)["probabilities"], batch[n], rtol=1e-13
        )
    assert np.array_equal(model.predict(images), batch.argmax(axis=1))


def test_whole_network_gradient_matches_finite_differences(digits) -> None:
    """Every weight's gradient agrees with central differences (relative < 1e-6)."""
    images, labels = digits
    model = TinyCNN(seed=1)
    # Train a little first, so that ReLUs and poolings are not at their start.
    model.fit(images[:64], labels[:64], epochs=1)
    batch, targets = images[100:106], labels[100:106]
    _, grads = model.loss_and_gradients(batch, targets)
    for name, analytic in grads.items():
        saved = model.params[name]

        def loss(values, name=name):
            model.params[name] = values
            return model.loss_and_gradients(batch, targets)[0]

        numeric = numerical_gradient(loss, saved.copy())
        model.params[name] = saved
        error = np.linalg.norm(analytic - numeric) / max(
            np.linalg.norm(analytic), np.linalg.norm(numeric)
        )
        assert error < 1e-6, (name, error)


def test_training_reaches_97_percent_held_out(trained) -> None:
    """The chapter's model: at least 97 % of the 450 test digits right."""
    assert trained.history[-1].test_accuracy >= 0.97
    assert len(trained.history) == 20
    assert len(trained.snapshots) == 21


def test_same_seed_gives_the_same_bytes(digits) -> None:
    """Two trainings from one seed write identical files; another seed differs."""
    images, labels = digits
    runs = [
        TinyCNN(seed=s).fit(images[:300], labels[:300], epochs=2).to_json()
        for s in (5, 5, 6)
    ]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_saved_weights_are_small_exact_json(trained, tmp_path) -> None:
    """The file is under 50 KB and reads back to the same float64 weights."""
    path = trained.save(tmp_path / "tiny.json")
    assert path.stat().st_size <= 50_000
    copy = TinyCNN.load(path)
    for name, values in trained.params.items():
        assert np.array_equal(copy.params[name], values)
    data = json.loads(path.read_text())
    assert data["format"] == "convdemo.TinyCNN"
    assert data["scale"] == 16


def test_load_rejects_other_files(tmp_path) -> None:
    """Not JSON, another format, another version, a wrong shape: each names `path`."""
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(ValueError, match=r"`path`.*not JSON"):
        TinyCNN.load(bad)
    bad.write_text('{"format": "other"}')
    with pytest.raises(ValueError, match=r"`path`.*does not hold"):
        TinyCNN.load(bad)
    data = json.loads(TinyCNN().to_json())
    data["version"] = 99
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"`path`.*version 99"):
        TinyCNN.load(bad)
    data = json.loads(TinyCNN().to_json())
    data["layers"]["dense"]["bias"] = [0.0]
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"`path`.*dense bias must have shape \(10,\)"):
        TinyCNN.load(bad)


def test_bad_input_names_the_parameter() -> None:
    """Wrong image shapes or ranges, labels and options name their parameter."""
    model = TinyCNN()
    with pytest.raises(ValueError, match="`images` must be 8 × 8"):
        model.predict(np.zeros((2, 7, 7)))
    with pytest.raises(ValueError, match="`images` must hold ink counts"):
        model.predict(np.full((8, 8), 17.0))
    with pytest.raises(ValueError, match="`image` must be one"):
        model.forward(np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match="`labels`"):
        model.fit(np.zeros((2, 8, 8)), [0, 10])
    with pytest.raises(ValueError, match="`labels`"):
        model.fit(np.zeros((2, 8, 8)), [0])
    with pytest.raises(ValueError, match="`epochs`"):
        model.fit(np.zeros((2, 8, 8)), [0, 1], epochs=0)
    with pytest.raises(ValueError, match="`seed`"):
        TinyCNN(seed=-1)


def test_exciting_patches_are_where_the_filter_answers(digits) -> None:
    """Each patch times its filter, plus the bias, is the response listed."""
    model = TinyCNN(seed=0)
    patches, responses = model.exciting_patches(digits[0][:40], 3)
    weights = model.params["conv1_weights"][..., 0]
    bias = model.params["conv1_bias"]
    for f in range(8):
        for k in range(3):
            value = np.sum(patches[f, k] * weights[f]) + bias[f]
            assert value == pytest.approx(responses[f, k], rel=1e-12)
        assert np.all(np.diff(responses[f]) <= 0)
    with pytest.raises(ValueError, match="`count`"):
        model.exciting_patches(digits[0][:2], 3)


# ---------------------------------------------------------------------------
# The numbers of the chapter (docs/story/a-real-cnn.md), as the gallery
# scripts of gallery/3_network compute them.


def test_chapter_training_numbers(trained, digits, split) -> None:
    """Loss 1.351 → 0.0063, held-out 88.2 % → 98.44 %, the seven mistakes."""
    images, labels = digits
    test = split[1]
    first, last = trained.history[0], trained.history[-1]
    assert f"{first.loss:.3f}" == "1.351"
    assert f"{last.loss:.4f}" == "0.0063"
    assert f"{first.test_accuracy:.1%}" == "88.2%"
    assert f"{last.test_accuracy:.2%}" == "98.44%"
    assert last.train_accuracy == 1.0
    predicted = trained.predict(images[test])
    wrong = np.flatnonzero(predicted != labels[test])
    pairs = [(int(labels[test][i]), int(predicted[i])) for i in wrong]
    assert pairs == [(5, 9), (2, 1), (1, 8), (6, 1), (0, 4), (9, 8), (8, 1)]


def test_chapter_filter_numbers(trained) -> None:
    """The first layer moved 65 %; best similarities, median 0.47 (0.40 before)."""
    from convdemo.kernels import get_kernel

    def centred(kernels):
        flat = kernels.reshape(len(kernels), -1)
        flat = flat - flat.mean(axis=1, keepdims=True)
        return flat / np.linalg.norm(flat, axis=1, keepdims=True)

    before, after = trained.snapshots[0], trained.snapshots[-1]
    shapes = ["vertical", "horizontal", "oblique", "edges"]
    references = centred(np.stack([get_kernel(n) for n in shapes]))
    similarity = centred(after) @ references.T
    best = np.abs(similarity).argmax(axis=1)
    signed = similarity[np.arange(8), best]
    assert [f"{v:+.2f}" for v in signed] == [
        "-0.45", "-0.49", "-0.50", "+0.53", "-0.28", "+0.28", "+0.75", "+0.45"
    ]  # fmt: skip
    assert [shapes[b] for b in best][6] == "horizontal"
    assert f"{np.median(np.abs(similarity).max(axis=1)):.2f}" == "0.47"
    start = centred(before) @ references.T
    assert f"{np.median(np.abs(start).max(axis=1)):.2f}" == "0.40"
    change = np.linalg.norm(after - before) / np.linalg.norm(before)
    assert f"{change:.0%}" == "65%"


def test_chapter_layers_numbers(trained, digits, split) -> None:
    """The first held-out 5 is read as 9 (0.9479); 38 % of relu1 is 0."""
    images, labels = digits
    test = split[1]
    index = int(np.flatnonzero(labels[test] == 5)[0])
    maps = trained.forward(images[test][index])
    assert int(maps["probabilities"].argmax()) == 9
    assert f"{maps['probabilities'][9]:.4f}" == "0.9479"
    assert f"{np.mean(maps['relu1'] == 0):.0%}" == "38%"
