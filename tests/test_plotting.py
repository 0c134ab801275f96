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
