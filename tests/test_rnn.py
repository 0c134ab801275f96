import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnn_helpers as rh
from tests.reference import reference_loss_and_grads


def test_init_params_shapes_dtype_and_determinism():
    params = rh.init_params(5, 4, scale=0.3, seed=7)
    expected = {"W_xh": (5, 4), "W_hh": (5, 5), "W_hy": (4, 5), "b_h": (5,), "b_y": (4,)}
    assert {k: v.shape for k, v in params.items()} == expected
    assert all(v.dtype == np.float64 for v in params.values())
    np.testing.assert_array_equal(params["b_h"], 0.0)
    np.testing.assert_array_equal(params["b_y"], 0.0)
    again = rh.init_params(5, 4, scale=0.3, seed=7)
    for key in params:
        np.testing.assert_array_equal(params[key], again[key])
    other = rh.init_params(5, 4, scale=0.3, seed=8)
    assert not np.array_equal(params["W_hh"], other["W_hh"])


def test_init_scale_is_the_standard_deviation():
    params = rh.init_params(200, 200, scale=0.5, seed=1)
    assert params["W_hh"].std() == pytest.approx(0.5, rel=0.02)


def test_untrained_loss_is_close_to_6_ln_4(data):
    loss = rh.loss(rh.init_params(8, scale=0.01, seed=0), data)
    assert loss == pytest.approx(6 * math.log(4), abs=0.01)


def test_forward_shapes_and_probabilities(params, data):
    cache = rh.forward(params, data.inputs)
    assert cache.h.shape == (4, 2, 8)
    np.testing.assert_array_equal(cache.h[0], 0.0)
    assert cache.probs.shape == (3, 2, 4)
    np.testing.assert_allclose(cache.probs.sum(axis=-1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(rh.predict_proba(params, data), np.swapaxes(cache.probs, 0, 1))


def test_forward_first_step_by_hand(params, data):
    cache = rh.forward(params, data.inputs)
    x1 = data.inputs[0, 0]
    h1 = np.tanh(params["W_xh"] @ x1 + params["b_h"])  # h_0 = 0
    np.testing.assert_allclose(cache.h[1, 0], h1, rtol=1e-14)
    z1 = params["W_hy"] @ h1 + params["b_y"]
    np.testing.assert_allclose(cache.probs[0, 0], np.exp(z1) / np.exp(z1).sum(), rtol=1e-14)


def test_loss_pieces_agree(params, data):
    cache = rh.forward(params, data.inputs)
    terms = rh.loss_terms(params, data)
    assert terms.shape == (2, 3)
    loss, _ = rh.loss_and_grads(params, data)
    assert loss == pytest.approx(terms.sum(), rel=1e-14)
    assert rh.cross_entropy(cache, data.targets) == pytest.approx(loss, rel=1e-14)
    assert rh.loss(params, data) == loss
    grads = rh.backward(params, cache, data.targets)
    _, grads2 = rh.loss_and_grads(params, data)
    for key in grads:
        np.testing.assert_array_equal(grads[key], grads2[key])


def test_softmax_is_stable_for_huge_logits():
    z = np.array([[1000.0, 0.0, -1000.0, 999.0]])
    p = rh.softmax(z)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(), 1.0)
    assert np.all(np.isfinite(rh.log_softmax(z)))


def test_loss_is_finite_when_a_probability_underflows(data):
    params = rh.init_params(4, seed=0)
    params["b_y"] = np.array([0.0, 0.0, 0.0, -2000.0])  # p(s) underflows to 0 in float64
    loss = rh.loss(params, data)
    assert math.isfinite(loss)
    assert loss > 2000


def test_gradients_of_two_words_add(params, data):
    _, both = rh.loss_and_grads(params, data)
    _, dogs = rh.loss_and_grads(params, data.subset([0]))
    _, gods = rh.loss_and_grads(params, data.subset([1]))
    for key in both:
        np.testing.assert_allclose(both[key], dogs[key] + gods[key], rtol=1e-13, atol=1e-16)


def test_inputs_are_never_modified(params, data):
    before = {k: v.copy() for k, v in params.items()}
    rh.loss_and_grads(params, data)
    rh.forward(params, data.inputs)
    for key in params:
        np.testing.assert_array_equal(params[key], before[key])


words_strategy = st.integers(min_value=2, max_value=6).flatmap(
    lambda n: st.lists(st.text(alphabet="dogs", min_size=n, max_size=n), min_size=1, max_size=4)
)


@given(
    hidden=st.integers(1, 16),
    scale=st.floats(0.01, 2.0),
    seed=st.integers(0, 2**31 - 1),
    words=words_strategy,
)
def test_matches_slow_reference_loop(hidden, scale, seed, words):
    params = rh.init_params(hidden, scale=scale, seed=seed)
    params["b_h"] = 0.1 * np.arange(hidden) - 0.05  # non-zero biases exercise their terms too
    params["b_y"] = np.array([0.2, -0.1, 0.0, 0.3])
    data = rh.make_dataset(words)
    loss, grads = rh.loss_and_grads(params, data)
    ref_loss, ref_grads = reference_loss_and_grads(params, words)
    assert loss == pytest.approx(ref_loss, rel=1e-12, abs=1e-12)
    for key in grads:
        np.testing.assert_allclose(grads[key], ref_grads[key], rtol=1e-12, atol=1e-12, err_msg=key)


def test_a_stack_of_networks_equals_separate_ones(data):
    """The private forward/backward accept a leading model axis (used by the K-model trainers)."""
    from rnn_helpers.rnn import _backward, _forward, _loss_terms, _time_first

    many = [rh.init_params(5, seed=s) for s in range(3)]
    stacked = {k: np.stack([p[k] for p in many]) for k in many[0]}
    cache = _forward(stacked, _time_first(data.inputs))
    grads = _backward(stacked, cache, data.targets)
    losses = _loss_terms(cache, data.targets).sum(axis=(0, -1))
    for i, p in enumerate(many):
        loss, g = rh.loss_and_grads(p, data)
        assert losses[i] == pytest.approx(loss, rel=1e-14)
        for key in g:
            np.testing.assert_allclose(grads[key][i], g[key], rtol=1e-13, atol=1e-16)


def _bad(params, key, value):
    changed = dict(params)
    if value is None:
        del changed[key]
    else:
        changed[key] = value
    return changed


@pytest.mark.parametrize(
    ("change", "exc", "words_in_message"),
    [
        (lambda p: _bad(p, "W_hh", None), ValueError, ["missing ['W_hh']"]),
        (lambda p: {**p, "W_extra": p["W_hh"]}, ValueError, ["unexpected ['W_extra']"]),
        (lambda p: _bad(p, "W_hy", np.zeros((4, 7))), ValueError, ["W_hy", "(4, 7)", "(4, 8)"]),
        (lambda p: _bad(p, "b_h", np.zeros((8, 1))), ValueError, ["b_h", "(8,)"]),
        (lambda p: _bad(p, "W_xh", np.zeros((8, 5))), ValueError, ["W_xh", "(8, 4)"]),
        (lambda p: _bad(p, "W_hh", np.zeros((8, 7))), ValueError, ["square"]),
        (lambda p: _bad(p, "b_y", [0, 0, 0, 0]), TypeError, ["b_y", "numpy array"]),
        (lambda p: _bad(p, "b_y", np.array([0, np.nan, 0, 0])), ValueError, ["b_y", "NaN"]),
        (lambda p: list(p.values()), TypeError, ["dict"]),
    ],
)
def test_bad_params_are_named(params, data, change, exc, words_in_message):
    with pytest.raises(exc) as info:
        rh.loss_and_grads(change(params), data)
    for word in words_in_message:
        assert word in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "exc", "text"),
    [
        ({"hidden_size": 0}, ValueError, "hidden_size must be an integer >= 1, got 0"),
        ({"hidden_size": 2.5}, TypeError, "hidden_size must be an integer"),
        ({"hidden_size": True}, TypeError, "hidden_size must be an integer"),
        ({"hidden_size": 4, "scale": 0.0}, ValueError, "scale must be a finite positive number"),
        ({"hidden_size": 4, "scale": float("nan")}, ValueError, "scale must be a finite positive number"),
        ({"hidden_size": 4, "vocab_size": 0}, ValueError, "vocab_size must be an integer >= 1"),
        ({"hidden_size": 4, "seed": -1}, ValueError, "seed must be an integer >= 0"),
    ],
)
def test_bad_init_arguments(kwargs, exc, text):
    with pytest.raises(exc, match=text):
        rh.init_params(**kwargs)


def test_bad_dataset_and_inputs(params, data):
    with pytest.raises(TypeError, match="dataset must be a Dataset"):
        rh.loss_and_grads(params, data.inputs)
    with pytest.raises(ValueError, match=r"inputs must have shape \(N, T, V=4\)"):
        rh.forward(params, data.inputs[0])
    cache = rh.forward(params, data.inputs)
    with pytest.raises(ValueError, match=r"targets must be letter indices in 0..3"):
        rh.cross_entropy(cache, np.array([[1, 2, 4], [1, 0, 3]]))
    with pytest.raises(ValueError, match=r"targets must have shape \(N, T\) = \(2, 3\)"):
        rh.backward(params, cache, data.targets[:, :2])
    with pytest.raises(ValueError, match="cache does not come from these params"):
        rh.backward(rh.init_params(3), cache, data.targets)
    with pytest.raises(ValueError, match="V=4"):
        rh.loss_and_grads(rh.init_params(8, vocab_size=5), data)


def test_the_private_forward_keeps_float32(params, data):
    # Notebook 04 runs the forward pass in float32; the public functions stay float64.
    from rnn_helpers.rnn import _forward

    as32 = {key: value.astype(np.float32) for key, value in params.items()}
    cache = _forward(as32, np.swapaxes(data.inputs, 0, 1).astype(np.float32))
    assert all(array.dtype == np.float32 for array in cache)
    np.testing.assert_allclose(cache.probs, rh.forward(params, data.inputs).probs, rtol=1e-5)
    assert rh.forward(as32, data.inputs).h.dtype == np.float64
