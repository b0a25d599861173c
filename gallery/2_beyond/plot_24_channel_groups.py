r"""
# How do grouped and depthwise convolutions save weights?

In a standard layer every filter reads every input channel: $F$ filters of
$k \times k \times C$ weights. Grouping splits the channels and the filters
into $g$ groups that never meet, dividing the weights by $g$. Depthwise
convolution takes this to the end, one channel per group, and
depthwise-separable convolution (MobileNet, Xception) follows it with a
$1 \times 1$ layer to mix the channels again.
"""

# %%
# ## Who reads what
#
# Each line is one $k \times k$ kernel from an input channel (left) to an
# output channel (right). The thin grey lines of the last panel are the
# $1 \times 1$ kernels of the pointwise layer.

import matplotlib.pyplot as plt
import numpy as np

import convdemo
from convdemo.analysis import CONV_KINDS, conv_cost
from convdemo.draw import show_channel_groups
from convdemo.style import set_alt_text

fig, axes = show_channel_groups(8, 8, groups=4, kernel_size=3)
set_alt_text(
    fig,
    "Four diagrams of 8 input channels joined to 8 output channels by lines, "
    "one per 3 by 3 kernel. Standard: every input to every output, 576 "
    "weights. Grouped in 4: four separate blocks of 2 by 2, 144 weights. "
    "Depthwise: each input to its own output, 72 weights. "
    "Depthwise-separable: each input to its own middle channel, then every "
    "middle channel to every output by thin lines, 136 weights.",
    name="channel-groups",
)
for kind in CONV_KINDS:
    groups = 4 if kind == "grouped" else 1
    weights = conv_cost(3, 8, 8, 1, kind=kind, groups=groups, bias=False).parameters
    print(f"{kind}: {weights} weights")
# mkdocs_gallery_thumbnail_path = "generated/images/channel-groups.png"

# %%
# ## The recipes, checked
#
# `conv2d(..., groups=C)` is the depthwise layer; a $1 \times 1$ layer after
# it makes it depthwise-separable. The pair is one standard layer whose
# kernel for filter $f$ and channel $c$ is the pointwise weight $(f, c)$
# times the depthwise kernel of channel $c$; only it costs fewer weights.

rng = np.random.default_rng(0)
image = rng.standard_normal((10, 10, 3))  # or a colour photo: (H, W, 3)
depthwise = rng.standard_normal((3, 3, 3, 1))
pointwise = rng.standard_normal((4, 1, 1, 3))
separable = convdemo.conv2d(convdemo.conv2d(image, depthwise, groups=3), pointwise)
merged = np.einsum("fc,cuv->fuvc", pointwise[:, 0, 0, :], depthwise[..., 0])
standard = convdemo.conv2d(image, merged)
print(
    "output", separable.shape, "largest difference:", np.abs(separable - standard).max()
)

# %%
# ## A real layer: 3 × 3, 256 → 256 channels on 56 × 56
#
# `conv_cost` counts parameters (with biases) and multiply-adds for one
# image; grouped uses 32 groups, as ResNeXt does.

print("| layer | parameters | multiply-adds | share |")
print("|---|---|---|---|")
baseline = conv_cost(3, 256, 256, 56)
for kind in CONV_KINDS:
    groups = 32 if kind == "grouped" else 1
    cost = conv_cost(3, 256, 256, 56, kind=kind, groups=groups)
    share = cost.multiply_adds / baseline.multiply_adds
    label = f"grouped, {groups} groups" if kind == "grouped" else kind
    print(f"| {label} | {cost.parameters:,} | {cost.multiply_adds:,} | {share:.1%} |")

plt.show()
