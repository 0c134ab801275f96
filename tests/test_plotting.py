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


def test_plot_history_labels_a_diverged_run(params, data):
    import rnn_helpers as rh

    blown = rh.train_full_batch(params, data, lr=1e308, n_iters=10)
    ax = plotting.plot_history(blown)
    assert [t.get_text() for t in ax.texts] == ["diverged at iteration 1"]
    fine = plotting.plot_history(rh.train_full_batch(params, data, lr=0.1, n_iters=10))
    assert len(fine.texts) == 0
    plt.close("all")


def test_run_figure_replaces_the_curve(params, data):
    import rnn_helpers as rh

    sweep = rh.train_lr_sweep(params, data, lrs=[0.1, 1e308], n_iters=200)
    frame = plotting.RunFigure(200, every=50)
    fig = frame.draw(sweep.run(0), title="lr = 0.1")
    np.testing.assert_array_equal(frame.line.get_ydata(), sweep.losses[0])
    np.testing.assert_array_equal(frame.seen.get_ydata(), sweep.losses[0, ::50])
    assert frame.note.get_text().startswith("final loss") and frame.ax.get_title() == "lr = 0.1"
    assert frame.draw(sweep.run(1)) is fig  # the same figure, updated
    assert frame.note.get_text() == "diverged at iteration 1"
    assert list(frame.cross.get_xdata()) == [0]  # the last finite loss
    plt.close("all")


def test_learner_view_draws_every_iteration_and_the_samples():
    losses = np.linspace(5.0, 1.0, 301)
    ax = plotting.plot_learner_view(losses, every=100)
    raw, seen = ax.lines[:2]
    assert len(raw.get_xdata()) == 301 and seen.get_xdata().tolist() == [0, 100, 200, 300]
    plt.close("all")


def test_plateau_and_hidden_state_figures(data):
    import rnn_helpers as rh

    analysis = rh.plateau_analysis(rh.init_params(4, scale=0.01, seed=1), data, lr=0.2, n_iters=400, every=20)
    ax = plotting.plot_plateau(analysis)
    assert ax.get_yscale() == "log" and len(ax.figure.axes) == 2  # the memory on a second y axis
    axes = plotting.plot_hidden_states(rh.forward(analysis.after, data.inputs).h, data.words)
    assert [a.get_title() for a in axes] == ["dogs", "gods"]
    np.testing.assert_array_equal(axes[0].images[0].get_array(), rh.forward(analysis.after, data.inputs).h[:, 0].T)
    plt.close("all")
