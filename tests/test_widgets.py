import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from rnn_helpers.widgets import frame_slider


def draw_line(slope, offset=0.0):
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.plot([0, 1], [offset, offset + slope])
    ax.set_ylim(-3, 3)
    return fig


def test_one_frame_per_grid_point_and_the_slider_swaps_them():
    box = frame_slider(draw_line, {"slope": [-1.0, 0.0, 2.0], "offset": [0.0, 1.0]}, defaults={"slope": 2.0})
    assert len(box.frames) == 6
    slope, offset, image = box.children
    assert image.value == box.frames[(2, 0)]
    slope.value = 0
    offset.value = 1
    assert image.value == box.frames[(0, 1)]
    assert box.frames[(0, 1)] != box.frames[(2, 0)]
    assert bytes(image.value).startswith(b"\x89PNG")
    assert plt.get_fignums() == []  # every figure was closed


def test_a_reused_figure_is_fine():
    fig, ax = plt.subplots(figsize=(2, 2))
    (line,) = ax.plot([0, 1], [0, 0])
    ax.set_ylim(-3, 3)

    def update(slope):
        line.set_ydata([0, slope])
        return fig

    box = frame_slider(update, {"slope": [-1.0, 1.0]})
    assert box.frames[(0,)] != box.frames[(1,)]
    assert plt.get_fignums() == []


def test_bad_controls():
    with pytest.raises(ValueError, match="controls must name at least one slider"):
        frame_slider(draw_line, {})
    with pytest.raises(ValueError, match=r"defaults name unknown controls \['slop'\]"):
        frame_slider(draw_line, {"slope": [1.0]}, defaults={"slop": 1.0})
