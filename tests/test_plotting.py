import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np

from rnn_helpers import plotting


def test_plot_losses_draws_the_sampled_points():
    losses = np.linspace(10.0, 1.0, 301)
    ax = plotting.plot_losses(losses, every=100, label="every 100")
    x, y = ax.lines[0].get_data()
    np.testing.assert_array_equal(x, [0, 100, 200, 300])
    np.testing.assert_array_equal(y, losses[::100])
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)


def test_get_ax_reuses_the_given_axes():
    fig, ax = plt.subplots()
    assert plotting.get_ax(ax) is ax
    plt.close(fig)


def test_plot_curvatures_draws_the_line_at_2_over_lr():
    steps = np.array([1, 3, 5])
    c = np.array([2.5, -1.0, 3.0])  # the negative one cannot go on a log axis
    ax = plotting.plot_curvatures(steps, c, 0.8, sharpness_steps=np.array([1, 5]), sharpness=np.array([0.1, 0.2]))
    dots, crosses, line = ax.lines
    np.testing.assert_array_equal(dots.get_xdata(), [1, 5])
    np.testing.assert_array_equal(crosses.get_ydata(), [0.1, 0.2])
    assert line.get_ydata()[0] == 2 / 0.8
    plt.close(ax.figure)


def test_plot_flow_time_scales_the_iterations():
    losses = np.ones((2, 4))
    ax = plotting.plot_flow_time(losses, np.array([0.5, 0.25]), t_max=1.0)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 0.5, 1.0, 1.5])
    np.testing.assert_array_equal(ax.lines[1].get_xdata(), [0, 0.25, 0.5, 0.75])
    assert ax.get_xlim() == (0, 1.0)
    plt.close(ax.figure)
