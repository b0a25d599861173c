"""Tests for convdemo.images: synthetic drawings, loading and saving files."""

from __future__ import annotations

import itertools
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from convdemo.images import (
    LUMA_WEIGHTS,
    _isometric_segments,
    grid_image,
    isometric_image,
    load_image,
    sample_photo,
    save_image,
    to_uint8,
)
from convdemo.kernels import get_kernel

# ---------------------------------------------------------------- grid_image

DEFAULT_LINES = [*range(0, 300, 30), 298]


def _dark_indices(image: np.ndarray, axis: int) -> list[int]:
    """Rows (axis=1) or columns (axis=0) that are dark from end to end."""
    return [int(i) for i in np.flatnonzero((image < 1).all(axis=axis))]


def test_grid_default_shape_dtype_and_values() -> None:
    """The default grid is 300 × 300 float64 holding only 0.2 and 1.0."""
    image = grid_image()
    assert image.shape == (300, 300)
    assert image.dtype == np.float64
    assert set(np.unique(image).tolist()) == {0.2, 1.0}


def test_grid_default_line_positions() -> None:
    """Lines cover 2 px from every multiple of 30; the last frame line is inside."""
    image = grid_image()
    expected = sorted({p + k for p in DEFAULT_LINES for k in (0, 1)})
    assert expected[:4] == [0, 1, 30, 31]
    assert expected[-4:] == [270, 271, 298, 299]
    assert _dark_indices(image, axis=1) == expected
    assert _dark_indices(image, axis=0) == expected


def test_grid_every_cell_interior_is_white() -> None:
    """Each of the 10 × 10 cells has a white interior between its lines."""
    image = grid_image()
    edges = [*range(0, 300, 30), 298]
    count = 0
    for top, bottom in itertools.pairwise(edges):
        for left, right in itertools.pairwise(edges):
            interior = image[top + 2 : bottom, left + 2 : right]
            assert interior.size > 0
            assert (interior == 1.0).all()
            count += 1
    assert count == 100


def test_grid_frame_on_all_four_sides() -> None:
    """The outer frame is 2 px of ink along the top, bottom, left and right."""
    image = grid_image()
    for side in (image[:2, :], image[-2:, :], image[:, :2], image[:, -2:]):
        assert (side == 0.2).all()


def test_grid_dark_fraction_matches_geometry() -> None:
    """11 lines of 2 px per axis: 22 dark rows and 22 dark columns."""
    dark = (grid_image() < 1).sum()
    assert dark == 300 * 300 - (300 - 22) ** 2


@pytest.mark.parametrize(
    ("size", "cell", "line_width", "rows", "cols"),
    [
        ((40, 70), 10, 1, [0, 10, 20, 30, 39], [0, 10, 20, 30, 40, 50, 60, 69]),
        (25, 10, 3, [0, 1, 2, 10, 11, 12, 20, 21, 22, 23, 24], None),
        (8, 4, 1, [0, 4, 7], None),
    ],
)
def test_grid_parameters_change_geometry(
    size: int | tuple[int, int],
    cell: int,
    line_width: int,
    rows: list[int],
    cols: list[int] | None,
) -> None:
    """`size` (int or pair), `cell` and `line_width` place the lines."""
    image = grid_image(size, cell, line_width)
    expected_shape = size if isinstance(size, tuple) else (size, size)
    assert image.shape == expected_shape
    assert _dark_indices(image, axis=1) == rows
    assert _dark_indices(image, axis=0) == (rows if cols is None else cols)


def test_grid_dtype_float32() -> None:
    """`dtype` selects the floating type of the result."""
    assert grid_image(dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"size": 0}, ValueError, "`size`"),
        ({"size": 2.5}, TypeError, "`size`"),
        ({"cell": 0}, ValueError, "`cell`"),
        ({"line_width": 0}, ValueError, "`line_width`"),
        ({"line_width": 30}, ValueError, "`line_width` must be smaller than `cell`"),
        ({"size": 3, "cell": 30, "line_width": 4}, ValueError, "`line_width`"),
        ({"dtype": np.int64}, TypeError, "`dtype`"),
    ],
)
def test_grid_rejects_bad_arguments(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    """Bad sizes, widths and dtypes raise with the parameter named."""
    with pytest.raises(error, match=match):
        grid_image(**kwargs)  # type: ignore[arg-type]


# ----------------------------------------------------------- isometric_image


def test_isometric_shape_range_and_determinism() -> None:
    """The drawing is (size, size), in [0.2, 1], identical on every call."""
    first = isometric_image()
    assert first.shape == (300, 300)
    assert first.dtype == np.float64
    assert float(first.min()) == pytest.approx(0.2)
    assert float(first.max()) == 1.0
    np.testing.assert_array_equal(first, isometric_image())
    assert isometric_image((50, 80)).shape == (50, 80)


def test_isometric_is_anti_aliased() -> None:
    """Line edges hold intermediate grey values, not just ink and paper."""
    image = isometric_image()
    between = (image > 0.25) & (image < 0.95)
    assert between.sum() > 1000


def test_isometric_segments_are_vertical_or_thirty_degrees() -> None:
    """Every segment is vertical or at ±30°, and all three directions occur."""
    segments = _isometric_segments(300, 300, 30.0, 1.5)
    dx = segments[:, 2] - segments[:, 0]
    dy = segments[:, 3] - segments[:, 1]
    angles = np.degrees(np.arctan2(dy, dx)) % 180
    rounded = np.round(angles, 6)
    assert set(rounded.tolist()) == {30.0, 90.0, 150.0}
    vertical = segments[rounded == 90.0]
    # Vertical lines lie on multiples of the spacing.
    assert np.allclose(vertical[:, 0] % 30, 0)


def test_isometric_vertical_line_profile() -> None:
    """A 2-px vertical line darkens three columns by 1/2, 1 and 1/2 of the ink."""
    image = isometric_image(120, spacing=20)
    np.testing.assert_allclose(image[44:47, 18:23], [[1.0, 0.6, 0.2, 0.6, 1.0]] * 3)


def test_horizontal_prewitt_erases_vertical_lines_keeps_slanted() -> None:
    """The post's point: the horizontal filter removes vertical lines only."""
    from convdemo.ops import correlate2d

    image = isometric_image()
    response = np.abs(correlate2d(image, get_kernel("horizontal")))
    # Valid correlation: response[i, j] is centred on image pixel (i+1, j+1).
    segments = _isometric_segments(300, 300, 30.0, 1.5)
    vertical_checked = slanted_checked = 0
    for x0, y0, x1, y1 in segments:
        if x0 == x1:
            column = round(x0)
            top, bottom = min(y0, y1) + 8, max(y0, y1) - 8
            rows = np.arange(max(np.ceil(top), 2), min(np.floor(bottom), 297) + 1)
            if not 3 <= column <= 296 or rows.size == 0:
                continue
            patch = response[rows.astype(int)[:, None] - 1, column - 3 : column + 2]
            assert patch.max() < 1e-9
            vertical_checked += 1
        else:
            row, column = round((y0 + y1) / 2), round((x0 + x1) / 2)
            if not (4 <= row <= 295 and 4 <= column <= 295):
                continue
            window = response[row - 3 : row + 2, column - 3 : column + 2]
            assert window.max() > 1.0
            slanted_checked += 1
    assert vertical_checked >= 20
    assert slanted_checked >= 60


def test_vertical_prewitt_keeps_vertical_lines() -> None:
    """The counterpart: the vertical filter responds along vertical lines."""
    from convdemo.ops import correlate2d

    response = np.abs(correlate2d(isometric_image(), get_kernel("vertical")))
    # Column 60 holds a vertical line; its sides are columns 59 and 61.
    assert response[:, 60 - 1 - 2 : 60 - 1 + 3].max() > 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"size": -1}, ValueError, "`size`"),
        ({"spacing": 0}, ValueError, "`spacing`"),
        ({"spacing": "wide"}, TypeError, "`spacing`"),
        ({"line_width": float("nan")}, ValueError, "`line_width`"),
        ({"spacing": 4, "line_width": 5}, ValueError, "`line_width`"),
    ],
)
def test_isometric_rejects_bad_arguments(
    kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    """Bad sizes, spacings and widths raise with the parameter named."""
    with pytest.raises(error, match=match):
        isometric_image(**kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------- load_image


def _mode(path: Path) -> str:
    """Return the Pillow mode of an image file, closing it afterwards."""
    with Image.open(path) as picture:
        return picture.mode


def _save(picture: Image.Image, path: Path, **options: Any) -> Path:
    """Save a Pillow image and return its path."""
    picture.save(path, **options)
    return path


def test_load_gray_png_is_scaled_by_255(tmp_path: Path) -> None:
    """An 8-bit grey PNG comes back as value / 255, shape (H, W)."""
    pixels = np.array([[0, 51, 255], [102, 153, 204]], dtype=np.uint8)
    path = _save(Image.fromarray(pixels), tmp_path / "gray.png")
    result = load_image(path)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, pixels / 255.0)


def test_load_gray_file_in_colour_repeats_channels(tmp_path: Path) -> None:
    """`gray=False` on a grey file gives (H, W, 3) with equal channels."""
    pixels = np.array([[0, 128, 255]], dtype=np.uint8)
    path = _save(Image.fromarray(pixels), tmp_path / "gray.png")
    result = load_image(path, gray=False)
    assert result.shape == (1, 3, 3)
    for channel in range(3):
        np.testing.assert_array_equal(result[..., channel], pixels / 255.0)


def test_load_rgb_uses_bt601_luma(tmp_path: Path) -> None:
    """Grey from RGB is 0.299 R + 0.587 G + 0.114 B on float values."""
    pixels = np.array(
        [[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255], [10, 20, 30]]],
        dtype=np.uint8,
    )
    path = _save(Image.fromarray(pixels), tmp_path / "rgb.png")
    colour = load_image(path, gray=False)
    np.testing.assert_array_equal(colour, pixels / 255.0)
    gray = load_image(path)
    expected = (pixels / 255.0) @ np.array(LUMA_WEIGHTS)
    np.testing.assert_allclose(gray, expected, rtol=0, atol=1e-15)
    assert gray[0, 3] == 1.0  # white stays exactly white


def test_load_applies_exif_orientation(tmp_path: Path) -> None:
    """Orientation 6 (rotate 90° clockwise to display) is applied."""
    pixels = np.array([[0, 50, 100], [150, 200, 250]], dtype=np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = _save(Image.fromarray(pixels), tmp_path / "rotated.png", exif=exif)
    result = load_image(path)
    np.testing.assert_array_equal(result, np.rot90(pixels, k=-1) / 255.0)
    assert result.shape == (3, 2)


def test_load_palette_image(tmp_path: Path) -> None:
    """A palette image gives the palette's colours."""
    picture = Image.new("P", (2, 1))
    picture.putpalette([255, 0, 0, 0, 0, 255])
    picture.putpixel((1, 0), 1)
    path = _save(picture, tmp_path / "palette.png")
    np.testing.assert_array_equal(
        load_image(path, gray=False), [[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]]
    )


def test_load_palette_transparency_is_white(tmp_path: Path) -> None:
    """A transparent palette entry is composited on white."""
    picture = Image.new("P", (2, 1))
    picture.putpalette([255, 0, 0, 0, 0, 255])
    picture.putpixel((1, 0), 1)
    path = _save(picture, tmp_path / "palette.png", transparency=0)
    np.testing.assert_array_equal(
        load_image(path, gray=False), [[[1.0, 1.0, 1.0], [0.0, 0.0, 1.0]]]
    )


def test_load_rgba_composited_on_white(tmp_path: Path) -> None:
    """RGBA pixels become value · alpha + (1 − alpha)."""
    pixels = np.array([[[255, 0, 0, 0], [0, 0, 0, 255], [0, 0, 0, 51]]], dtype=np.uint8)
    path = _save(Image.fromarray(pixels), tmp_path / "rgba.png")
    result = load_image(path, gray=False)
    np.testing.assert_allclose(
        result,
        np.array([[[1, 1, 1], [0, 0, 0], [0.8, 0.8, 0.8]]]),
        rtol=0,
        atol=1e-15,
    )
    assert load_image(path).shape == (1, 3)


def test_load_gray_alpha_composited_on_white(tmp_path: Path) -> None:
    """LA pixels are composited on white too."""
    picture = Image.new("LA", (2, 1), (0, 0))
    picture.putpixel((1, 0), (0, 255))
    path = _save(picture, tmp_path / "la.png")
    np.testing.assert_array_equal(load_image(path), [[1.0, 0.0]])


def test_load_16_bit_png_scaled_by_65535(tmp_path: Path) -> None:
    """A 16-bit grey PNG ('I;16') is divided by 65535, not 255."""
    pixels = np.array([[0, 1000, 32768, 65535]], dtype=np.uint16)
    path = _save(Image.fromarray(pixels), tmp_path / "deep.png")
    assert _mode(path) == "I;16"
    np.testing.assert_array_equal(load_image(path), pixels / 65535.0)


def test_load_32_bit_integer_tiff_scaled_by_65535(tmp_path: Path) -> None:
    """A mode 'I' image with 16-bit values is divided by 65535."""
    pixels = np.array([[0, 300, 65535]], dtype=np.int32)
    path = _save(Image.fromarray(pixels), tmp_path / "int.tif")
    assert _mode(path) == "I"
    np.testing.assert_array_equal(load_image(path), pixels / 65535.0)


def test_load_rejects_values_beyond_16_bits(tmp_path: Path) -> None:
    """A mode 'I' image holding 70000 cannot be scaled to [0, 1]."""
    pixels = np.array([[0, 70000]], dtype=np.int32)
    path = _save(Image.fromarray(pixels), tmp_path / "wide.tif")
    with pytest.raises(ValueError, match=r"wide\.tif"):
        load_image(path)


def test_load_cmyk_converted_to_rgb(tmp_path: Path) -> None:
    """CMYK (0, 255, 255, 0) is red."""
    path = _save(Image.new("CMYK", (2, 2), (0, 255, 255, 0)), tmp_path / "c.tif")
    np.testing.assert_array_equal(
        load_image(path, gray=False), np.broadcast_to([1.0, 0.0, 0.0], (2, 2, 3))
    )


def test_load_accepts_str_paths(tmp_path: Path) -> None:
    """`path` may be a string."""
    path = _save(Image.new("L", (2, 2), 255), tmp_path / "white.png")
    np.testing.assert_array_equal(load_image(str(path)), np.ones((2, 2)))


def test_load_missing_file_names_path(tmp_path: Path) -> None:
    """A missing file raises FileNotFoundError naming the path."""
    with pytest.raises(FileNotFoundError, match=r"nothing-here\.png"):
        load_image(tmp_path / "nothing-here.png")


def test_load_directory_names_path(tmp_path: Path) -> None:
    """A directory raises IsADirectoryError naming the path."""
    folder = tmp_path / "folder.png"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match=r"folder\.png"):
        load_image(folder)


def test_load_non_image_names_path(tmp_path: Path) -> None:
    """A file that is not an image raises ValueError naming the path."""
    path = tmp_path / "notes.png"
    path.write_text("not an image at all")
    with pytest.raises(ValueError, match=r"notes\.png"):
        load_image(path)


def test_load_truncated_file_names_path(tmp_path: Path) -> None:
    """A PNG cut in half raises ValueError naming the path."""
    noise = np.random.default_rng(0).integers(0, 256, (64, 64), dtype=np.uint8)
    whole = _save(Image.fromarray(noise), tmp_path / "whole.png").read_bytes()
    path = tmp_path / "half.png"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ValueError, match=r"half\.png"):
        load_image(path)


def _png_claiming_size(path: Path, width: int, height: int) -> Path:
    """Write a small PNG, then rewrite its header to claim width × height.

    Only the header is patched, so the file stays tiny: the point is that
    the size check must happen before any pixel is decoded.
    """
    Image.new("L", (4, 4), 255).save(path)
    data = bytearray(path.read_bytes())
    # Signature (8 bytes), chunk length (4), "IHDR" (4), then width, height.
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29]))
    data[29:33] = struct.pack(">I", crc)
    path.write_bytes(bytes(data))
    return path


def test_load_rejects_more_than_max_pixels(tmp_path: Path) -> None:
    """A file over `max_pixels` is refused before decoding, path named."""
    path = _save(Image.new("L", (20, 10), 0), tmp_path / "small.png")
    with pytest.raises(ValueError, match=r"small\.png.*`max_pixels` = 199"):
        load_image(path, max_pixels=199)
    assert load_image(path, max_pixels=200).shape == (10, 20)


@pytest.mark.parametrize("side", [10_000, 20_000])
def test_load_rejects_decompression_bomb(tmp_path: Path, side: int) -> None:
    """A header claiming 100 or 400 megapixels raises ValueError, no warning."""
    path = _png_claiming_size(tmp_path / "bomb.png", side, side)
    with pytest.raises(ValueError, match=r"bomb\.png"):
        load_image(path)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"path": 3}, TypeError, "`path`"),
        ({"gray": "yes"}, TypeError, "`gray`"),
        ({"max_pixels": 0}, ValueError, "`max_pixels`"),
    ],
)
def test_load_rejects_bad_arguments(
    tmp_path: Path, kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    """Wrong argument types and values raise with the parameter named."""
    path = _save(Image.new("L", (2, 2)), tmp_path / "ok.png")
    arguments: dict[str, object] = {"path": path, **kwargs}
    with pytest.raises(error, match=match):
        load_image(**arguments)  # type: ignore[arg-type]


# -------------------------------------------------------------- sample_photo


def test_sample_photo_is_grace_hopper_from_matplotlib() -> None:
    """The photo ships with matplotlib: 600 × 512, grey and colour agree."""
    from matplotlib import cbook

    path = cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    assert os.path.isfile(str(path))
    gray = sample_photo()
    colour = sample_photo(gray=False)
    assert gray.shape == (600, 512)
    assert colour.shape == (600, 512, 3)
    assert 0.0 <= gray.min() < 0.1
    assert 0.9 < gray.max() <= 1.0
    np.testing.assert_allclose(gray, colour @ np.array(LUMA_WEIGHTS), atol=1e-12)


# ------------------------------------------------------- to_uint8, save_image


def test_to_uint8_rounds_and_clips() -> None:
    """Values are scaled by 255, rounded, and clipped to 0–255."""
    result = to_uint8([[-1.0, 0.0, 0.5, 1.0, 3.0]])
    assert result.dtype == np.uint8
    np.testing.assert_array_equal(result, [[0, 0, 128, 255, 255]])


def test_to_uint8_rejects_bad_channels() -> None:
    """A 3-D array must have 3 channels."""
    with pytest.raises(ValueError, match="`image`"):
        to_uint8(np.zeros((2, 2, 4)))


@pytest.mark.parametrize("shape", [(5, 7), (5, 7, 3)])
def test_save_image_round_trip(tmp_path: Path, shape: tuple[int, ...]) -> None:
    """Saving then loading gives back the values to 8-bit precision."""
    values = np.random.default_rng(1).random(shape)
    path = save_image(tmp_path / "out.png", values)
    back = load_image(path, gray=len(shape) == 2)
    np.testing.assert_allclose(back, values, atol=0.5 / 255 + 1e-12)
    assert _mode(path) == ("L" if len(shape) == 2 else "RGB")


def test_save_image_bytes_are_deterministic_without_metadata(tmp_path: Path) -> None:
    """Same array, same bytes; no text or time chunks are written."""
    image = isometric_image(64)
    first = save_image(tmp_path / "a.png", image).read_bytes()
    second = save_image(tmp_path / "b.png", image).read_bytes()
    assert first == second
    for chunk in (b"tEXt", b"iTXt", b"zTXt", b"tIME", b"eXIf"):
        assert chunk not in first


def test_save_image_uint8_used_as_is(tmp_path: Path) -> None:
    """uint8 input is written without rescaling."""
    pixels = np.array([[0, 7, 255]], dtype=np.uint8)
    path = save_image(tmp_path / "u8.png", pixels)
    with Image.open(path) as picture:
        np.testing.assert_array_equal(np.asarray(picture), pixels)


@pytest.mark.parametrize(
    ("image", "error"),
    [
        (np.zeros((2, 2, 4), dtype=np.uint8), ValueError),
        (np.zeros((0, 3), dtype=np.uint8), ValueError),
        ([[float("nan")]], ValueError),
        ([["a"]], TypeError),
    ],
)
def test_save_image_rejects_bad_images(
    tmp_path: Path, image: object, error: type[Exception]
) -> None:
    """Wrong shapes, empty arrays, NaN and strings are refused."""
    with pytest.raises(error, match="`image`"):
        save_image(tmp_path / "bad.png", image)  # type: ignore[arg-type]
