"""Draw matrices, images, filters, pooling and single steps in one visual language.

Functions named ``draw_*`` take an :class:`~matplotlib.axes.Axes` first and
return the artists they made, as a named tuple (:class:`MatrixArtists`,
:class:`ImageArtists`); functions named ``show_*`` build a whole figure and
return ``(fig, axes)``. Everything is drawn in image coordinates: the cell in
row ``r`` and column ``c`` is centred on ``(x, y) = (c, r)`` with row 0 at
the top.

The colours, fonts and background come from :mod:`convdemo.style`; each
function applies that style itself, so nothing needs to be set up first.

This module is the public face of four layers, each in a private module:

* ``convdemo._format``: numbers and arithmetic as text (no Matplotlib),
  including :func:`format_step`;
* ``convdemo._layout``: sizes in inches, text measuring, titles, captions;
* ``convdemo._artists``: :func:`draw_matrix`, :func:`draw_image`,
  :func:`draw_crop` and the smaller pieces the figures share;
* the figure builders, by topic: ``convdemo._filter_figures``
  (:func:`show_filter`), ``convdemo._bank_figures`` (:func:`show_filters`),
  ``convdemo._image_figures``
  (:func:`show_images`), ``convdemo._pooling_figures``
  (:func:`show_pooling`), ``convdemo._step_figures`` (:func:`show_step`,
  :func:`show_arithmetic`), ``convdemo._matrix_figures``
  (:func:`show_matrix`, :func:`show_legend`),
  ``convdemo._frequency_figures`` (:func:`draw_spectrum`, :func:`draw_gain`,
  :func:`show_frequency_responses`, :func:`show_filtering`),
  ``convdemo._cheaper_figures`` (:func:`show_outer_product`,
  :func:`show_two_passes`, :func:`show_channel_groups`),
  ``convdemo._volume_figures`` (:func:`draw_volume`, :func:`animate_conv2d`,
  isometric volumes) and ``convdemo._field_figures``
  (:func:`draw_receptive_field`), ``convdemo._linear_figures``
  (:func:`show_conv_matrix`, :func:`show_im2col`,
  :func:`animate_pool_gradient`) and ``convdemo._network_figures``
  (:func:`show_digits`, :func:`show_confusion`, :func:`show_kernels`,
  :func:`animate_kernels`, :func:`show_layers`).
"""

from __future__ import annotations

from convdemo._artists import (
    ImageArtists,
    MatrixArtists,
    draw_crop,
    draw_image,
    draw_matrix,
)
from convdemo._bank_figures import show_filters
from convdemo._cheaper_figures import (
    show_channel_groups,
    show_outer_product,
    show_two_passes,
)
from convdemo._field_figures import FieldArtists, draw_receptive_field
from convdemo._filter_figures import show_filter
from convdemo._format import format_step
from convdemo._frequency_figures import (
    draw_gain,
    draw_spectrum,
    show_filtering,
    show_frequency_responses,
)
from convdemo._image_figures import show_images
from convdemo._linear_figures import (
    animate_pool_gradient,
    show_conv_matrix,
    show_im2col,
)
from convdemo._matrix_figures import show_legend, show_matrix
from convdemo._network_figures import (
    animate_kernels,
    show_confusion,
    show_digits,
    show_kernels,
    show_layers,
)
from convdemo._pooling_figures import show_pooling
from convdemo._step_figures import show_arithmetic, show_step
from convdemo._volume_figures import VolumeArtists, animate_conv2d, draw_volume

__all__ = [
    "FieldArtists",
    "ImageArtists",
    "MatrixArtists",
    "VolumeArtists",
    "animate_conv2d",
    "animate_kernels",
    "animate_pool_gradient",
    "draw_crop",
    "draw_gain",
    "draw_image",
    "draw_matrix",
    "draw_receptive_field",
    "draw_spectrum",
    "draw_volume",
    "format_step",
    "show_arithmetic",
    "show_channel_groups",
    "show_confusion",
    "show_conv_matrix",
    "show_digits",
    "show_filter",
    "show_filtering",
    "show_filters",
    "show_frequency_responses",
    "show_im2col",
    "show_images",
    "show_kernels",
    "show_layers",
    "show_legend",
    "show_matrix",
    "show_outer_product",
    "show_pooling",
    "show_step",
    "show_two_passes",
]
