import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rnn_helpers as rh
from rnn_helpers import baselines

LN2, LN3 = math.log(2), math.log(3)


def test_the_default_floors(data):
    # Counted by hand: d, o and g are each followed by two different letters (bigram); only 'o' at step 2
    # is ambiguous once the position is known; the whole prefix decides every next letter.
    assert baselines.bigram_floor(data) == pytest.approx(6 * LN2, rel=1e-14)
    assert baselines.position_floor(data) == pytest.approx(2 * LN2, rel=1e-14)
    assert baselines.full_memory_floor(data) == 0.0
    # Targets o, g, s, o, d, s: frequencies 2/6, 1/6, 2/6, 1/6.
    assert baselines.loss_floor(data, "nothing") == pytest.approx(4 * LN3 + 2 * math.log(6), rel=1e-14)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        # the same word twice: every context decides the next letter, except with no memory at all
        (("dogs", "dogs"), {"nothing": 6 * LN3, "letter": 0.0, "position_and_letter": 0.0, "prefix": 0.0}),
        # 'd' is followed once by 'd' and once by 'o', and even the whole prefix "d" cannot tell them apart
        (("dd", "do"), {"nothing": 2 * LN2, "letter": 2 * LN2, "position_and_letter": 2 * LN2, "prefix": 2 * LN2}),
        # 'o' is followed by d, d, g: -(2 ln 2/3 + ln 1/3) = 3 ln 3 - 2 ln 2; the first letter resolves it
        (
            ("sod", "god", "dog"),
            {
                "nothing": 4 * LN2 + 3 * LN3,  # o o o d d g: -(3 ln 1/2 + 2 ln 1/3 + ln 1/6)
                "letter": 3 * LN3 - 2 * LN2,
                "position_and_letter": 3 * LN3 - 2 * LN2,
                "prefix": 0.0,
            },
        ),
    ],
)
def test_floors_of_other_word_sets(words, expected):
    data = rh.make_dataset(words)
    for memory, floor in expected.items():
        assert baselines.loss_floor(data, memory) == pytest.approx(floor, rel=1e-14, abs=1e-15), memory


def test_contexts_of_dogs(data):
    assert baselines.contexts(data, "letter")[0] == [("d",), ("o",), ("g",)]
    assert baselines.contexts(data, "position_and_letter")[1] == [(1, "g"), (2, "o"), (3, "d")]
    assert baselines.contexts(data, "prefix")[0] == [("d",), ("d", "o"), ("d", "o", "g")]


def test_counts_after_o(data):
    counts = baselines.next_letter_counts(data, "letter")
    np.testing.assert_array_equal(counts[("o",)], [1, 0, 1, 0])  # 'o' is followed by 'd' (gods) and 'g' (dogs)
    assert sum(c.sum() for c in counts.values()) == data.targets.size


words_strategy = st.integers(min_value=2, max_value=5).flatmap(
    lambda n: st.lists(st.text(alphabet="dogs", min_size=n, max_size=n), min_size=1, max_size=5)
)


@given(words=words_strategy)
def test_more_memory_never_raises_the_floor(words):
    data = rh.make_dataset(words)
    floors = [baselines.loss_floor(data, memory) for memory in baselines.MEMORIES]
    assert all(f >= 0.0 for f in floors)
    assert all(a >= b - 1e-12 for a, b in zip(floors, floors[1:], strict=False)), floors


@given(words=words_strategy)
def test_the_best_predictions_reach_the_floor(words):
    data = rh.make_dataset(words)
    for memory in baselines.MEMORIES:
        best = baselines.best_probabilities(data, memory)
        assert best.shape == data.inputs.shape
        np.testing.assert_allclose(best.sum(axis=-1), 1.0)
        at_targets = np.take_along_axis(best, data.targets[..., None], axis=-1)
        assert -np.log(at_targets).sum() == pytest.approx(baselines.loss_floor(data, memory), abs=1e-12)


@given(words=words_strategy, seed=st.integers(0, 10_000))
def test_no_other_model_with_the_same_memory_beats_the_floor(words, seed):
    data = rh.make_dataset(words)
    rng = np.random.default_rng(seed)
    for memory in baselines.MEMORIES:
        keys = baselines.contexts(data, memory)
        table = {c: rng.dirichlet(np.ones(data.vocab_size)) for row in keys for c in row}  # any q_c
        steps = [(c, y) for row, ys in zip(keys, data.targets, strict=True) for c, y in zip(row, ys, strict=True)]
        loss = -sum(np.log(table[c][y]) for c, y in steps)
        assert loss >= baselines.loss_floor(data, memory) - 1e-12


@given(seed=st.integers(0, 10_000), scale=st.floats(0.05, 5.0))
def test_an_rnn_without_recurrent_weights_is_a_bigram_model(seed, scale):
    data = rh.make_dataset()
    # With W_hh = 0, h_t depends on x_t alone: whatever the other weights, the loss stays above 6 ln 2.
    params = rh.init_params(8, scale=scale, seed=seed)
    params["W_hh"] = np.zeros_like(params["W_hh"])
    assert rh.loss(params, data) >= baselines.bigram_floor(data) - 1e-12


def test_training_without_memory_stalls_at_the_bigram_floor(data):
    def frozen_W_hh(params, dataset):
        loss, grads = rh.loss_and_grads(params, dataset)
        grads["W_hh"] = np.zeros_like(grads["W_hh"])
        return loss, grads

    params = rh.init_params(8, seed=0)
    params["W_hh"] = np.zeros_like(params["W_hh"])
    history = rh.train_full_batch(params, data, lr=0.2, n_iters=2000, loss_and_grads_fn=frozen_W_hh)
    assert baselines.bigram_floor(data) <= history.losses[-1] < baselines.bigram_floor(data) + 0.05
    with_memory = rh.train_full_batch(rh.init_params(8, seed=0), data, lr=0.2, n_iters=2000)
    assert with_memory.losses[-1] < baselines.position_floor(data)  # the hidden state beats both floors


def test_floors_double_when_the_data_is_repeated(data):
    twice = rh.make_dataset(data.words * 2)
    for memory in baselines.MEMORIES:
        assert baselines.loss_floor(twice, memory) == pytest.approx(2 * baselines.loss_floor(data, memory))


def test_an_unknown_memory_is_named(data):
    with pytest.raises(ValueError, match=r"memory must be one of \['nothing', 'letter'.*got 'bigram'"):
        baselines.loss_floor(data, "bigram")


@pytest.mark.parametrize("function", [baselines.bigram_floor, baselines.position_floor, baselines.full_memory_floor])
def test_a_dataset_is_required(function):
    with pytest.raises(TypeError, match="dataset must be a Dataset from make_dataset"):
        function(("dogs", "gods"))


def test_best_probabilities_refuses_bad_input(data):
    with pytest.raises(ValueError, match="memory must be one of"):
        baselines.best_probabilities(data, None)
    with pytest.raises(TypeError, match="dataset must be a Dataset"):
        baselines.next_letter_counts("dogs", "letter")
