"""Hostile inputs for the robustness tests, and a fresh convdemo process.

Files that Pillow cannot write, written byte by byte: 16-bit colour PNGs
(Pillow writes only 8-bit colour), a 16-bit RGB TIFF, a TIFF whose
compressed data is corrupt (libtiff complains on descriptor 2), a JPEG with
corrupt EXIF metadata and a PNG with a huge compressed text chunk.
``pyproject.toml`` puts ``tests/`` on the import path.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

__all__ = [
    "run_convdemo",
    "write_bad_exif_jpeg",
    "write_corrupt_tiff",
    "write_png16",
    "write_text_bomb_png",
    "write_tiff16",
]

# PNG colour types by number of channels: grey, grey + alpha, RGB, RGBA.
_COLOUR_TYPES = {1: 0, 2: 4, 3: 2, 4: 6}


def _chunk(kind: bytes, data: bytes) -> bytes:
    """Return one PNG chunk: length, type, data, CRC."""
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _paeth(a: int, b: int, c: int) -> int:
    """Return the PNG Paeth predictor of left `a`, up `b` and up-left `c`."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def write_png16(path: Path, samples: np.ndarray) -> Path:
    """Write (H, W, C) integers 0…65535 as a 16-bit PNG, C = 1, 2, 3 or 4.

    Row y uses PNG filter y mod 5 (None, Sub, Up, Average, Paeth), so a
    reader that undoes the filters with the wrong pixel size goes wrong.
    """
    height, width, channels = samples.shape
    raw = np.asarray(samples, dtype=">u2").tobytes()
    row_bytes, step = width * channels * 2, channels * 2
    previous = bytes(row_bytes)
    encoded = bytearray()
    for y in range(height):
        line = raw[y * row_bytes : (y + 1) * row_bytes]
        kind = y % 5
        out = bytearray(row_bytes)
        for x in range(row_bytes):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            guess = [0, left, up, (left + up) // 2, _paeth(left, up, corner)][kind]
            out[x] = (line[x] - guess) & 0xFF
        encoded += bytes([kind]) + out
        previous = line
    header = struct.pack(
        ">IIBBBBB", width, height, 16, _COLOUR_TYPES[channels], 0, 0, 0
    )
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(encoded)))
        + _chunk(b"IEND", b"")
    )
    return path


def _tiff(entries: list[tuple[int, int, int, int]], blobs: bytes) -> bytes:
    """Return a little-endian TIFF: header, `blobs` from offset 8, then one IFD."""
    directory = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if kind == 3 and count == 1:
            directory += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            directory += struct.pack("<HHII", tag, kind, count, value)
    directory += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8 + len(blobs)) + blobs + directory


def write_tiff16(path: Path, samples: np.ndarray) -> Path:
    """Write (H, W, 3) integers 0…65535 as an uncompressed 16-bit RGB TIFF."""
    height, width, _ = samples.shape
    bits = struct.pack("<3H", 16, 16, 16)
    data = np.asarray(samples, dtype="<u2").tobytes()
    entries = [
        (256, 3, 1, width),
        (257, 3, 1, height),
        (258, 3, 3, 8),
        (259, 3, 1, 1),
        (262, 3, 1, 2),
        (273, 4, 1, 8 + len(bits)),
        (277, 3, 1, 3),
        (278, 3, 1, height),
        (279, 4, 1, len(data)),
        (284, 3, 1, 1),
    ]
    path.write_bytes(_tiff(entries, bits + data))
    return path


def write_corrupt_tiff(path: Path) -> Path:
    """Write an LZW TIFF whose compressed strip is garbage (libtiff errors on it)."""
    buffer = io.BytesIO()
    pixels = (np.arange(64 * 64).reshape(64, 64) % 256).astype(np.uint8)
    Image.fromarray(pixels).save(buffer, format="TIFF", compression="tiff_lzw")
    data = bytearray(buffer.getvalue())
    start = 8 + 10  # the strip follows the header; keep LZW's first codes
    with Image.open(io.BytesIO(bytes(data))) as picture:
        length = picture.tag_v2[279][0]
    data[start : 8 + length] = bytes((i * 37) % 256 for i in range(length - 10))
    path.write_bytes(bytes(data))
    return path


def write_bad_exif_jpeg(path: Path) -> Path:
    """Write a JPEG whose EXIF Make tag points past the end of its data."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (128, 128, 128)).save(buffer, format="JPEG")
    jpeg = buffer.getvalue()
    exif = (
        b"II*\x00"
        + struct.pack("<I", 8)
        + struct.pack("<H", 1)
        + struct.pack("<HHII", 0x010F, 2, 1000, 9999)
        + struct.pack("<I", 0)
    )
    app1 = b"Exif\x00\x00" + exif
    segment = b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    path.write_bytes(jpeg[:2] + segment + jpeg[2:])
    return path


def write_text_bomb_png(path: Path, megabytes: int = 64) -> Path:
    """Write a 4 × 4 PNG with a zTXt chunk that inflates to `megabytes` MiB."""
    buffer = io.BytesIO()
    Image.new("L", (4, 4)).save(buffer, format="PNG")
    png = buffer.getvalue()
    text = b"Comment\x00\x00" + zlib.compress(bytes(megabytes << 20), 9)
    # The signature (8 bytes) and IHDR (25 bytes) come first.
    path.write_bytes(png[:33] + _chunk(b"zTXt", text) + png[33:])
    return path


def run_convdemo(
    args: list[str | bytes], cwd: Path, **options: Any
) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m convdemo ARGS`` in a fresh interpreter; capture bytes.

    `options` go to :func:`subprocess.run` (``env``, ``stdout``, …); the
    streams are captured unless ``stdout`` is given.
    """
    return subprocess.run(
        [sys.executable, "-m", "convdemo", *args],
        cwd=cwd,
        capture_output="stdout" not in options,
        timeout=120,
        check=False,
        **options,
    )
