import math

import numpy as np
import pytest

import rnn_helpers as rh
from rnn_helpers.plateau import (
    PLATEAU_LOSS,
    ambiguous_step,
    first_letter_memory,
    plateau_analysis,
)


@pytest.fixture(scope="module")
def analysis():
    # A small start and a small learning rate: a long plateau, then the escape (about 300 iterations).
    return plateau_analysis(rh.init_params(8, scale=0.01, seed=1), rh.make_dataset(), lr=0.1, n_iters=800, every=10)


def test_the_ambiguous_step_is_after_o(data):
    assert ambiguous_step(data) == 1  # both words read "o" at step 2, then "g" and "d" must follow
    assert ambiguous_step(rh.make_dataset(["ab", "ac"], alphabet="abc")) == 0


@pytest.mark.parametrize("words", [["dogs"], ["dogs", "dogs"], ["dogs", "sgod"]])
def test_no_ambiguous_step_is_refused(words):
    with pytest.raises(ValueError, match="no step of"):
        ambiguous_step(rh.make_dataset(words))


def test_the_plateau_loss_is_2_ln_2_and_the_plateau_predicts_even_odds(analysis, data):
    assert PLATEAU_LOSS == pytest.approx(2 * math.log(2))
    assert analysis.plateau_start is not None and analysis.plateau_start < analysis.memory_onset
    probs = rh.predict_proba(analysis.before, data)
    g, d = data.alphabet.index("g"), data.alphabet.index("d")
    np.testing.assert_allclose(probs[:, 1, g], 0.5, atol=0.03)  # after "o": even odds between g and d
    np.testing.assert_allclose(probs[:, 1, d], 0.5, atol=0.03)
    terms = rh.loss_terms(analysis.before, data)
    np.testing.assert_allclose(terms[:, 1], math.log(2), atol=0.05)  # ln 2 per word at the ambiguous step
    assert terms[:, [0, 2]].max() < 0.05  # every other step is learned from the current letter alone
    assert rh.loss(analysis.before, data) == pytest.approx(PLATEAU_LOSS, abs=0.1)


def test_memory_is_zero_on_the_plateau_and_one_after(analysis, data):
    assert abs(first_letter_memory(analysis.before, data)) < 0.05
    assert first_letter_memory(analysis.after, data) > 0.95
    onset = np.flatnonzero(analysis.iterations == analysis.memory_onset)[0]
    assert analysis.memory[onset] >= 0.1 > analysis.memory[onset - 1]
    assert analysis.losses[-1] < 0.1 < analysis.losses[onset - 1]


def test_the_hidden_states_tell_the_words_apart_only_after_the_onset(analysis):
    # h_2 (after "o") of the two words: the same on the plateau, different once the first letter is remembered.
    gap = np.linalg.norm(analysis.hidden[:, 2, 0] - analysis.hidden[:, 2, 1], axis=-1)
    onset = np.flatnonzero(analysis.iterations == analysis.memory_onset)[0]
    assert gap[onset // 2] < 0.1 and gap[-1] > 1.0
    np.testing.assert_array_equal(analysis.hidden[:, 0], 0.0)  # h_0 = 0


def test_snapshots_are_the_iterations_of_one_long_run(analysis, data):
    long = rh.train_full_batch(rh.init_params(8, scale=0.01, seed=1), data, lr=0.1, n_iters=800)
    np.testing.assert_array_equal(analysis.losses, long.losses[::10])
    for key in long.params:
        np.testing.assert_array_equal(analysis.after[key], long.params[key])


def test_after_the_escape_the_table_gives_the_right_letter_after_o(analysis, data):
    table = rh.prediction_table(rh.predict_proba(analysis.after, data), data).splitlines()
    for word, letter_after_o in [("dogs", "g"), ("gods", "d")]:
        row = next(line for line in table if line.startswith(f"{word}  2"))
        assert row.split()[3] == letter_after_o
        assert "[1.00]" in row


def test_bad_arguments(params, data):
    with pytest.raises(ValueError, match="multiple of every=10"):
        plateau_analysis(params, data, lr=0.1, n_iters=25, every=10)
    with pytest.raises(ValueError, match="lr must be a finite positive number"):
        plateau_analysis(params, data, lr=-1.0, n_iters=10)
    with pytest.raises(TypeError, match="dataset must be a Dataset"):
        ambiguous_step(data.inputs)
    with pytest.raises(ValueError, match="threshold must be a finite positive number"):
        plateau_analysis(params, data, lr=0.1, n_iters=10, threshold=0.0)


def test_a_diverging_run_is_reported(params, data):
    with pytest.raises(ValueError, match="diverged at iteration"):
        plateau_analysis(params, data, lr=1e308, n_iters=10, every=5)
