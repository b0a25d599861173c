"""Tests for convdemo.kernels: the registry, lookup and the text parser."""

from __future__ import annotations

import re

import numpy as np
import pytest
from scipy import ndimage

from convdemo.kernels import KERNELS, Kernel, get_kernel, kernel_names, parse_kernel
from convdemo.ops import correlate2d

# The notebook's six filters, exactly as the blog post used them.
POST_KERNELS = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "vertical": [[1, 0, -1], [1, 0, -1], [1, 0, -1]],
    "horizontal": [[1, 1, 1], [0, 0, 0], [-1, -1, -1]],
    "oblique": [[-1, -1, 2], [-1, 2, -1], [2, -1, -1]],
    "box_blur": [[1, 1, 1], [1, 1, 1], [1, 1, 1]],
    "edges": [[1, 1, 1], [1, -7, 1], [1, 1, 1]],
}

CLASSIC_KERNELS = {
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    "sobel_x": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "sobel_y": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "scharr_x": [[3, 0, -3], [10, 0, -10], [3, 0, -3]],
    "scharr_y": [[3, 10, 3], [0, 0, 0], [-3, -10, -3]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
}


def test_registry_order_starts_with_the_post() -> None:
    """The post's six come first, in the notebook's order, then the classics."""
    names = kernel_names()
    assert names[:6] == list(POST_KERNELS)
    assert names == list(KERNELS)
    for name in ("outline", "sobel_x", "sobel_y", "scharr_x", "scharr_y"):
        assert name in names
    for name in ("sharpen", "emboss", "gaussian_blur", "gaussian_blur_5x5"):
        assert name in names
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("name", "values", "source"),
    [(name, values, "post") for name, values in POST_KERNELS.items()]
    + [(name, values, "classic") for name, values in CLASSIC_KERNELS.items()],
)
def test_kernels_have_their_published_values(
    name: str, values: list[list[int]], source: str
) -> None:
    """The post's six hold the notebook's numbers, the classics their textbook's."""
    kernel = KERNELS[name]
    assert kernel.source == source
    np.testing.assert_array_equal(kernel.values, values)


@pytest.mark.parametrize("name", list(KERNELS))
def test_registry_keeps_whole_weights_and_a_divisor(name: str) -> None:
    """Each kernel's values are exactly its whole-number weights over its divisor."""
    kernel = KERNELS[name]
    assert kernel.weights.dtype.kind == "i"
    assert not kernel.weights.flags.writeable
    assert isinstance(kernel.divisor, int)
    assert kernel.divisor >= 1
    np.testing.assert_array_equal(kernel.values, kernel.weights / kernel.divisor)


def test_normalised_kernels_keep_their_divisor() -> None:
    """The Gaussian blurs are written over 16 and 256; the others over 1."""
    blur = KERNELS["gaussian_blur"]
    np.testing.assert_array_equal(blur.weights, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert blur.divisor == 16
    assert KERNELS["gaussian_blur_5x5"].divisor == 256
    assert KERNELS["gaussian_blur_5x5"].weights.sum() == 256
    others = [k for k in KERNELS.values() if not k.name.startswith("gaussian")]
    assert all(k.divisor == 1 for k in others)


def test_edges_is_identity_minus_outline() -> None:
    """The post's edge filter is the identity minus the 8-neighbour Laplacian."""
    np.testing.assert_array_equal(
        get_kernel("edges"), get_kernel("identity") - get_kernel("outline")
    )


def test_gaussian_blurs_are_normalised_binomials() -> None:
    """The Gaussian blurs are outer products of binomial rows, summing to 1."""
    np.testing.assert_array_equal(
        get_kernel("gaussian_blur") * 16, np.outer([1, 2, 1], [1, 2, 1])
    )
    np.testing.assert_array_equal(
        get_kernel("gaussian_blur_5x5") * 256,
        np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1]),
    )
    assert get_kernel("gaussian_blur").sum() == 1.0
    assert get_kernel("gaussian_blur_5x5").sum() == 1.0


def test_sobel_y_is_sobel_x_transposed() -> None:
    """The y variants are the x variants turned by a quarter."""
    np.testing.assert_array_equal(get_kernel("sobel_y"), get_kernel("sobel_x").T)
    np.testing.assert_array_equal(get_kernel("scharr_y"), get_kernel("scharr_x").T)
    np.testing.assert_array_equal(get_kernel("horizontal"), get_kernel("vertical").T)


@pytest.mark.parametrize("name", kernel_names())
def test_every_entry_is_complete(name: str) -> None:
    """Each entry: read-only float64 values, a one-line description, a title."""
    kernel = KERNELS[name]
    assert isinstance(kernel, Kernel)
    assert kernel.name == name
    assert kernel.values.dtype == np.float64
    assert kernel.values.ndim == 2
    assert not kernel.values.flags.writeable
    assert kernel.source in ("post", "classic")
    assert kernel.title
    assert kernel.title[0].isupper()
    assert "\n" not in kernel.description
    # What it keeps, and what it ignores.
    assert kernel.description.startswith("Keeps")
    assert "ignores" in kernel.description


def test_box_blur_description_says_unnormalised() -> None:
    """The post's box blur is unnormalised; its description says so."""
    assert "unnormalised" in KERNELS["box_blur"].description
    assert get_kernel("box_blur").sum() == 9.0


# Every "A plus B" / "A minus B" in a title or description names registry
# kernels with these phrases; the convention of the module docstring.
_TERMS = {
    "identity": "identity",
    "the 4-neighbour Laplacian": "laplacian",
    "the 8-neighbour Laplacian": "outline",
}
_TERM = "|".join(sorted(_TERMS, key=len, reverse=True))
_COMBINATION = re.compile(rf"\b({_TERM}) (plus|minus) ({_TERM})\b")
_SUMS = re.compile(r"weights sum (?:to )?(\d+)")


def _combinations() -> list[tuple[str, str, str, str]]:
    """Every (kernel, first term, plus/minus, second term) the registry states."""
    found = []
    for kernel in KERNELS.values():
        for text in (kernel.title, kernel.description):
            found += [(kernel.name, *match) for match in _COMBINATION.findall(text)]
    return found


def test_every_plus_or_minus_claim_is_parsed() -> None:
    """Each 'plus'/'minus'/'±' in a title or description is a checked combination."""
    for kernel in KERNELS.values():
        for text in (kernel.title, kernel.description):
            words = len(re.findall(r"\b(?:plus|minus)\b|[±−+]", text))
            assert words == len(_COMBINATION.findall(text)), (kernel.name, text)
    assert {name for name, *_ in _combinations()} == {"edges", "sharpen"}


@pytest.mark.parametrize(("name", "first", "sign", "second"), _combinations())
def test_plus_or_minus_claims_hold(
    name: str, first: str, sign: str, second: str
) -> None:
    """'A plus B' or 'A minus B' in a description is the kernel, weight by weight."""
    a, b = get_kernel(_TERMS[first]), get_kernel(_TERMS[second])
    np.testing.assert_array_equal(get_kernel(name), a + b if sign == "plus" else a - b)


def test_laplacians_are_minus_the_discrete_laplace_operator() -> None:
    """The registry's sign is the opposite of scipy.ndimage.laplace (centre −4)."""
    impulse = np.zeros((5, 5))
    impulse[2, 2] = 1.0
    # Correlating an impulse writes the kernel turned round; these are symmetric.
    scipy_kernel = ndimage.laplace(impulse, mode="constant")[1:4, 1:4]
    np.testing.assert_array_equal(scipy_kernel, -get_kernel("laplacian"))
    assert get_kernel("laplacian")[1, 1] == 4
    assert get_kernel("outline")[1, 1] == 8


@pytest.mark.parametrize("name", kernel_names())
def test_stated_weight_sums_hold(name: str) -> None:
    """A description that says 'weights sum to N' is right about N."""
    for total in _SUMS.findall(KERNELS[name].description):
        assert get_kernel(name).sum() == int(total)


def test_oblique_rows_and_columns_cancel() -> None:
    """The oblique kernel ignores straight lines: every row and column sums to 0."""
    kernel = get_kernel("oblique")
    assert not kernel.sum(axis=0).any()
    assert not kernel.sum(axis=1).any()
    assert "horizontal and vertical" in KERNELS["oblique"].description


def test_emboss_ignores_edges_along_the_main_diagonal() -> None:
    """An edge from top-left to bottom-right gets no relief; the other diagonal does."""
    rows, cols = np.indices((12, 12))
    relief = get_kernel("emboss") - get_kernel("identity")
    along = correlate2d((cols > rows).astype(float), relief)
    across = correlate2d((cols + rows > 11).astype(float), relief)
    assert np.abs(along).max() == 0
    assert np.abs(across).max() > 0
    assert "top-left to bottom-right" in KERNELS["emboss"].description


def test_registry_is_read_only() -> None:
    """Neither the mapping nor the stored values can be changed."""
    with pytest.raises(TypeError):
        KERNELS["mine"] = KERNELS["identity"]  # type: ignore[index]
    with pytest.raises(ValueError, match="read-only"):
        KERNELS["vertical"].values[0, 0] = 5.0


def test_get_kernel_returns_a_writable_copy() -> None:
    """Changing the returned array leaves the registry untouched."""
    kernel = get_kernel("vertical")
    kernel[0, 0] = 100.0
    assert KERNELS["vertical"].values[0, 0] == 1.0
    assert get_kernel("vertical")[0, 0] == 1.0


def test_get_kernel_unknown_name_lists_known_names() -> None:
    """An unknown name raises ValueError listing every known name."""
    with pytest.raises(ValueError, match="`name` must be one of") as caught:
        get_kernel("prewitt")
    message = str(caught.value)
    assert "'prewitt'" in message
    for name in kernel_names():
        assert repr(name) in message


def test_get_kernel_rejects_non_strings() -> None:
    """A non-string name is refused with the parameter named."""
    with pytest.raises(ValueError, match="`name`"):
        get_kernel(3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,0,-1; 1,0,-1; 1,0,-1", [[1, 0, -1]] * 3),
        ("1 0 -1;1 0 -1;1 0 -1", [[1, 0, -1]] * 3),
        ("1, 0, -1\n1, 0, -1\n1, 0, -1\n", [[1, 0, -1]] * 3),
        ("  1 2 ; 3 4 ;", [[1, 2], [3, 4]]),
        ("1/9 1/9; 1/9 1/9", [[1 / 9, 1 / 9], [1 / 9, 1 / 9]]),
        ("0.5 -.25 1e-1 +2", [[0.5, -0.25, 0.1, 2]]),
        ("1 −7 1", [[1, -7, 1]]),
        ("-1/-2", [[0.5]]),
        ("7", [[7]]),
    ],
)
def test_parse_kernel_accepts_separators_and_fractions(
    text: str, expected: list[list[float]]
) -> None:
    """Rows by ; or new lines, values by commas or spaces, fractions allowed."""
    result = parse_kernel(text)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, np.array(expected, dtype=np.float64))


def test_parse_kernel_round_trips_every_registry_entry() -> None:
    """Printing a registry kernel as text and parsing it gives it back."""
    for name in kernel_names():
        values = get_kernel(name)
        text = "; ".join(" ".join(repr(float(v)) for v in row) for row in values)
        np.testing.assert_array_equal(parse_kernel(text), values)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "at least one value"),
        (" ;\n; ", "at least one value"),
        ("1 2; 3", r"same length, got lengths \[2, 1\]"),
        ("1 a 3", "'a'"),
        ("1,,2", "got '' in"),
        ("1, 2,", "got '' in"),
        ("nan 1", "'nan'"),
        ("inf", "'inf'"),
        ("1/0", "divides by zero"),
        ("1e999 0", "'1e999'.*not finite"),
        ("1/1e-999", "divides by zero"),
        ("1//2", "'1//2'"),
        ("[1, 2]", r"'\[1'"),
    ],
)
def test_parse_kernel_rejects_bad_text(text: str, match: str) -> None:
    """Empty, ragged and non-numeric text raise ValueError naming `kernel`."""
    with pytest.raises(ValueError, match="`kernel`") as caught:
        parse_kernel(text)
    assert caught.match(match)


def test_parse_kernel_message_quotes_the_text() -> None:
    """The message quotes the whole offending text."""
    with pytest.raises(ValueError, match=r"in '1 x; 2 3'"):
        parse_kernel("1 x; 2 3")


def test_parse_kernel_rejects_non_strings() -> None:
    """A list is not text: TypeError naming `kernel`."""
    with pytest.raises(TypeError, match="`kernel`"):
        parse_kernel([[1, 0], [0, 1]])  # type: ignore[arg-type]
