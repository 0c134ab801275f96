import numpy as np
import pytest

from rnn_helpers.learner import Rise, longest_rise, step_statistics


def test_longest_rise_in_the_sampled_curve():
    losses = np.array([5.0, 4.0, 3.0, 3.5, 4.0, 4.5, 2.0, 2.5, 1.0])
    rise = longest_rise(losses)
    assert rise == Rise(start=2, end=5, n_samples=3, loss_start=3.0, loss_end=4.5)
    assert rise.factor == pytest.approx(1.5)


def test_sampling_sees_a_rise_that_the_raw_curve_bounces_through():
    # A period-2 bounce whose upper branch creeps up: every other iteration falls, every 100th sample rises.
    k = np.arange(1001)
    losses = 2.0 + 0.001 * k + np.where(k % 2 == 0, 0.5, -0.5)
    assert longest_rise(losses, every=1).n_samples == 1
    rise = longest_rise(losses, every=100)
    assert (rise.start, rise.end, rise.n_samples) == (0, 1000, 10)
    stats = step_statistics(losses, 0, 1000)
    assert stats.rising_fraction == pytest.approx(0.5)
    assert stats.turning_fraction == pytest.approx(1.0)
    assert stats.path_over_net == pytest.approx(1000.0, rel=1e-6)


def test_a_smooth_climb():
    losses = np.concatenate([np.linspace(3.0, 1.0, 50), np.linspace(1.0, 2.0, 301)[1:], np.linspace(2.0, 0.0, 50)])
    rise = longest_rise(losses, every=10)
    assert (rise.start, rise.end) == (50, 350)  # the climb is losses[49..349]; losses[350] starts the fall
    stats = step_statistics(losses, 50, 349)
    assert stats.rising_fraction == 1.0 and stats.turning_fraction == 0.0
    assert stats.path_over_net == pytest.approx(1.0)


def test_no_rise_and_nan():
    assert longest_rise(np.array([3.0, 2.0, 1.0])).n_samples == 0
    assert longest_rise(np.array([3.0, np.nan, 4.0, 5.0])).n_samples == 1  # NaN never rises


@pytest.mark.parametrize(
    ("call", "exc", "text"),
    [
        (lambda: longest_rise([1.0, 2.0]), TypeError, "losses must be a 1-D numpy array"),
        (lambda: longest_rise(np.ones((2, 2))), TypeError, "losses must be a 1-D numpy array"),
        (lambda: longest_rise(np.array([1.0])), ValueError, "at least 2 values"),
        (lambda: longest_rise(np.ones(5), every=0), ValueError, "every must be an integer >= 1"),
        (lambda: step_statistics(np.ones(5), 3, 4), ValueError, "end must be an integer >= 5"),
        (lambda: step_statistics(np.ones(5), 0, 5), ValueError, "end must be at most 4"),
        (lambda: step_statistics(np.array([1.0, np.inf, 2.0]), 0, 2), ValueError, "must be finite"),
    ],
)
def test_bad_arguments(call, exc, text):
    with pytest.raises(exc, match=text):
        call()


# The learner's run: its shape must survive the perturbations a different machine or a rounding can bring.

from rnn_helpers import loss_and_grads, make_dataset, predict_proba, train_full_batch, train_lr_sweep  # noqa: E402
from rnn_helpers.learner import LEARNER_RUN, LearnerRun, picture_facts  # noqa: E402


def learner_shape(losses: np.ndarray) -> dict[str, bool]:
    return picture_facts(losses, every=LEARNER_RUN.every)


ALL_TRUE = {
    "falls first": True,
    "then rises at the next two samples": True,
    "by more than 0.5": True,
    "ends below 1e-3": True,
}


@pytest.fixture(scope="module")
def learner_history():
    return LEARNER_RUN.train()


def test_the_learner_run_reproduces_the_picture(learner_history):
    assert learner_history.losses.shape == (LEARNER_RUN.n_iters + 1,) == (15001,)
    assert learner_shape(learner_history.losses) == ALL_TRUE
    rise = longest_rise(learner_history.losses[:700], every=LEARNER_RUN.every)
    assert (rise.start, rise.end) == (100, 300) and rise.factor > 1.5


def test_the_shape_survives_a_change_of_the_learning_rate_by_1e_6():
    lrs = LEARNER_RUN.lr * (1 + np.array([-1e-6, 1e-6]))
    sweep = train_lr_sweep(LEARNER_RUN.init_params(), make_dataset(), lrs=lrs, n_iters=LEARNER_RUN.n_iters)
    for losses in sweep.losses:
        assert learner_shape(losses) == ALL_TRUE


@pytest.mark.parametrize("seed", [1, 2])
def test_the_shape_survives_a_1e_12_change_of_the_initial_weights(seed):
    rng = np.random.default_rng(seed)
    params = {key: value + 1e-12 * rng.standard_normal(value.shape) for key, value in LEARNER_RUN.init_params().items()}
    history = train_full_batch(params, make_dataset(), lr=LEARNER_RUN.lr, n_iters=LEARNER_RUN.n_iters)
    assert learner_shape(history.losses) == ALL_TRUE


def gradients_word_by_word(dataset):
    """The learner's way: each word's loss and gradient on its own, then their sum (other roundings)."""
    words = [dataset.subset([n]) for n in range(dataset.n_words)]

    def loss_and_summed_grads(params, _):
        parts = [loss_and_grads(params, word) for word in words]
        return sum(p[0] for p in parts), {key: sum(p[1][key] for p in parts) for key in parts[0][1]}

    return loss_and_summed_grads


def test_the_shape_survives_another_order_of_the_sums(learner_history):
    # Word by word, the sums over words and steps in eqs. (6)-(14) are associated in another order.
    data = make_dataset()
    word_by_word = train_full_batch(
        LEARNER_RUN.init_params(),
        data,
        lr=LEARNER_RUN.lr,
        n_iters=LEARNER_RUN.n_iters,
        loss_and_grads_fn=gradients_word_by_word(data),
    )
    assert learner_shape(word_by_word.losses) == ALL_TRUE
    assert not np.array_equal(word_by_word.losses, learner_history.losses)  # really other roundings


def test_at_the_top_the_prediction_after_o_flips_at_every_iteration(learner_history):
    data = make_dataset()
    history = train_full_batch(LEARNER_RUN.init_params(), data, lr=LEARNER_RUN.lr, n_iters=400)
    favoured = []
    for _ in range(20):  # iterations 400..419
        probs = predict_proba(history.params, data)
        favoured.append(data.alphabet[int(probs[0, 1].argmax())])  # after "d o"
        assert probs[0, 1].max() > 0.8 and probs[1, 1].argmax() == probs[0, 1].argmax()  # both words alike
        history = train_full_batch(history.params, data, lr=LEARNER_RUN.lr, n_iters=1)
    assert set(favoured) == {"g", "d"}
    assert all(a != b for a, b in zip(favoured, favoured[1:], strict=False))  # g, d, g, d, ...
    top = step_statistics(learner_history.losses, 300, 600)
    assert top.turning_fraction > 0.9  # the loss, too, zigzags: a period-2 bounce, not a climb
    assert np.ptp(learner_history.losses[300:601]) < 0.05  # but its two ends have nearly the same loss


def test_a_smaller_learning_rate_removes_the_rise():
    history = train_full_batch(LEARNER_RUN.init_params(), make_dataset(), lr=0.1, n_iters=3000)
    assert np.all(np.diff(history.losses) < 0)


def test_picture_facts_on_a_made_up_curve():
    curve = np.concatenate([[10.0, 1.0, 1.5, 2.0], np.geomspace(1.0, 1e-4, 10)])
    assert picture_facts(curve, every=1) == ALL_TRUE
    assert not picture_facts(np.linspace(10.0, 1e-4, 40), every=10)["then rises at the next two samples"]
    with pytest.raises(ValueError, match="to be seen 4 times"):
        picture_facts(np.ones(250), every=100)


@pytest.mark.parametrize(
    ("kwargs", "exc", "text"),
    [
        ({"hidden_size": 0}, ValueError, "hidden_size must be an integer >= 1"),
        ({"scale": -0.1}, ValueError, "scale must be a finite positive number"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
        ({"lr": float("inf")}, ValueError, "lr must be a finite positive number"),
        ({"every": 0}, ValueError, "every must be an integer >= 1"),
    ],
)
def test_bad_learner_run(kwargs, exc, text):
    config = {"hidden_size": 4, "scale": 0.1, "seed": 0, "lr": 0.5, **kwargs}
    with pytest.raises(exc, match=text):
        LearnerRun(**config)


def test_describe_names_the_configuration():
    text = LearnerRun(hidden_size=6, scale=0.25, seed=3, lr=0.2, n_iters=500, every=50).describe()
    for part in ("H = 6", "scale 0.25", "seed 3", "learning rate 0.2", "500 iterations", "every 50"):
        assert part in text
