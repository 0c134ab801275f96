import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import rnn_helpers as rh
from rnn_helpers import plotting
from rnn_helpers.bugs import loss_and_grads_with_bug


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


# --- notebooks 01-04 ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def filled_cells(ax):
    return [(p.get_x(), p.get_y()) for p in ax.patches if p.get_facecolor()[:3] != (0.9490196078431372,) * 3]


def test_plot_one_hot_fills_one_cell_per_letter():
    ax = plotting.plot_one_hot("gods")
    cells = sorted((int(y), int(x)) for x, y in filled_cells(ax))
    assert cells == [(0, 2), (1, 1), (2, 0), (3, 3)]  # row = letter of "gods", column = its index in "dogs"
    assert [t.get_text() for t in ax.get_xticklabels()] == list("dogs")
    assert any("inputs" in t.get_text() for t in ax.texts) and any("targets" in t.get_text() for t in ax.texts)


def test_plot_one_hot_refuses_letters_outside_the_alphabet():
    with pytest.raises(ValueError, match="outside the alphabet"):
        plotting.plot_one_hot("cats")
    with pytest.raises(ValueError, match="at least 2 letters"):
        plotting.plot_one_hot("d")


@pytest.mark.parametrize("backward", [False, True])
def test_plot_unrolled_rnn_draws_three_boxes_per_step(backward):
    ax = plotting.plot_unrolled_rnn("dogs", backward=backward)
    texts = [t.get_text() for t in ax.texts]
    assert "$x_3$: 'g'" in texts and "target $y_3$ = 's'" in texts and "$h_0 = 0$" in texts
    boxes = [p for p in ax.patches if type(p).__name__ == "FancyBboxPatch"]
    assert len(boxes) == 1 + 3 * 3
    back_labels = [t for t in texts if r"\delta" in t]
    assert len(back_labels) == (3 + 2 if backward else 0)  # no step after the last one


def test_plot_unrolled_rnn_refuses_a_one_letter_word():
    with pytest.raises(ValueError, match="at least 2 letters"):
        plotting.plot_unrolled_rnn("d")


def test_plot_loss_floors_draws_each_floor_and_mark():
    floors = {"current letter": 4.16, "position and letter": 1.39, "whole prefix": 0.0}
    ax = plotting.plot_loss_floors(floors, marks={"untrained": 8.34})
    np.testing.assert_allclose([bar.get_width() for bar in ax.patches], [4.16, 1.39, 0.0])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(floors)
    assert ax.lines[0].get_xdata()[0] == 8.34
    assert "untrained: 8.34" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_loss_floors_refuses_negative_or_no_floors():
    with pytest.raises(ValueError, match="finite loss >= 0"):
        plotting.plot_loss_floors({"a": -1.0})
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_loss_floors({})


def test_plot_gradient_sum_shows_the_parts_and_their_sum():
    a, b = np.arange(6.0).reshape(2, 3), -np.ones((2, 3))
    axes = plotting.plot_gradient_sum({"dogs": a, "gods": b}, name=r"\partial L / \partial W")
    assert len(axes) == 3
    np.testing.assert_array_equal(axes[2].images[0].get_array(), a + b)
    assert axes[0].images[0].get_clim() == axes[2].images[0].get_clim()  # one colour scale for all panels
    assert "dogs" in axes[0].get_title() and "sum" in axes[2].get_title()


def test_plot_gradient_sum_labels_the_rows():
    axes = plotting.plot_gradient_sum({"dogs": np.ones((4, 2)), "gods": np.zeros((4, 2))}, row_labels=list("dogs"))
    assert [t.get_text() for t in axes[0].get_yticklabels()] == list("dogs")
    with pytest.raises(ValueError, match="row_labels must hold 4 labels"):
        plotting.plot_gradient_sum({"dogs": np.ones((4, 2))}, row_labels=["d"])


def test_plot_gradient_sum_refuses_mismatched_parts():
    with pytest.raises(ValueError, match="of one shape"):
        plotting.plot_gradient_sum({"a": np.ones((2, 3)), "b": np.ones((3, 2))})
    fig, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="axes must hold 3 axes"):
        plotting.plot_gradient_sum({"a": np.ones(3), "b": np.ones(3)}, axes)


def test_plot_eps_sweep_draws_each_curve_on_log_axes():
    eps = np.logspace(-1, -9, 9)
    errors = {"central, float64": eps**2, "forward, float64": eps}
    ax = plotting.plot_eps_sweep(eps, errors)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    for line, values in zip(ax.lines, errors.values(), strict=True):
        np.testing.assert_array_equal(line.get_ydata(), values)
    assert ax.lines[0].get_linestyle() == "-" and ax.lines[1].get_linestyle() == "--"
    assert {"right", "suspicious", "wrong"} <= {t.get_text() for t in ax.texts}


def test_plot_eps_sweep_refuses_mismatched_errors():
    with pytest.raises(ValueError, match=r"errors\['a'\] has shape \(2,\), eps has shape \(3,\)"):
        plotting.plot_eps_sweep(np.array([1e-1, 1e-2, 1e-3]), {"a": np.ones(2)})
    with pytest.raises(ValueError, match="positive steps"):
        plotting.plot_eps_sweep(np.array([0.0, 1e-2]), {"a": np.ones(2)})


def test_plot_check_errors_colours_each_bar_by_its_verdict():
    errors = {"correct": 1e-10, "unsure": 1e-5, "bug": 0.5}
    ax = plotting.plot_check_errors(errors)
    bars = [p for p in ax.patches if type(p).__name__ == "Rectangle" and p.get_height() == 0.6]
    np.testing.assert_allclose([b.get_width() for b in bars], list(errors.values()))
    expected = [plotting.VERDICT_COLORS[v] for v in ("right", "suspicious", "wrong")]
    assert [matplotlib.colors.to_hex(b.get_facecolor()) for b in bars] == [c.lower() for c in expected]
    assert ax.get_xscale() == "log"


def test_plot_check_errors_refuses_a_negative_error():
    with pytest.raises(ValueError, match="relative error"):
        plotting.plot_check_errors({"bug": -0.1})


def test_plot_gradient_entries_puts_a_right_gradient_on_the_diagonal():
    data = rh.make_dataset()
    params = rh.init_params(4, scale=0.5, seed=0)
    report = rh.gradient_check(params, data)
    ax = plotting.plot_gradient_entries(report, title="correct")
    assert len(ax.collections) == 5
    for collection, check in zip(ax.collections, report.checks.values(), strict=True):
        xy = collection.get_offsets()
        np.testing.assert_array_equal(xy[:, 0], check.numeric.ravel())
        np.testing.assert_allclose(xy[:, 1], xy[:, 0], atol=1e-8)
    wrong = rh.gradient_check(params, data, loss_and_grads_fn=loss_and_grads_with_bug("softmax_sign"))
    xy = plotting.plot_gradient_entries(wrong).collections[2].get_offsets()  # W_hy: on the anti-diagonal
    np.testing.assert_allclose(xy[:, 1], -xy[:, 0], atol=1e-8)


def test_plot_gradient_entries_needs_a_report():
    with pytest.raises(TypeError, match="report must be a GradCheckReport"):
        plotting.plot_gradient_entries({"W_hy": np.ones(3)})


def test_symbol():
    assert plotting.symbol("W_xh") == "$W_{xh}$" and plotting.symbol("b_y") == "$b_{y}$"


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


def test_curves_drawn_on_the_same_axes_get_different_colours():
    ax = plotting.plot_losses(np.ones(5) * 2.0, label="a")
    plotting.plot_losses(np.ones(5), ax, label="b")
    assert [line.get_color() for line in ax.lines] == plotting.COLORS[:2]
    plt.close(ax.figure)


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
