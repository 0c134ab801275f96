import numpy as np
import pytest

import rnn_helpers as rh


def test_show_source_gives_the_package_code():
    shown = rh.show_source(rh.one_hot)
    assert shown.data.startswith("```python\ndef one_hot(")
    assert "np.eye" in shown.data


def test_show_source_refuses_non_code():
    with pytest.raises(TypeError, match="function or a class"):
        rh.show_source(42)


def test_show_lines_keeps_the_marked_lines_in_order():
    from rnn_helpers.rnn import _backward

    shown = rh.show_lines(_backward, "eq. (7)", "eq. (9)").data.splitlines()
    assert shown[0] == "```python" and shown[-1] == "```"
    assert shown[1].startswith("d_logits = probs - _target_one_hot(targets, probs)  # eq. (7)")
    assert shown[2] == "..."  # eq. (8) sits between them
    assert shown[3].startswith('"b_y": d_logits.sum(') and "eq. (9)" in shown[3]


def test_show_lines_refuses_no_marker_and_unknown_marker():
    with pytest.raises(ValueError, match="at least one non-empty marker"):
        rh.show_lines(rh.one_hot)
    with pytest.raises(ValueError, match=r"no line of one_hot contains any of \['eq. \(99\)'\]"):
        rh.show_lines(rh.one_hot, "eq. (99)")
    with pytest.raises(TypeError, match="function or a class"):
        rh.show_lines("one_hot", "np.eye")


def test_prediction_table_shows_every_step_and_the_loss(params, data):
    probs = rh.predict_proba(params, data)
    table = rh.prediction_table(probs, data, digits=3)
    lines = table.splitlines()
    assert len(lines) == 1 + data.targets.size + 1
    assert lines[0].split()[:4] == ["word", "t", "read", "next"]
    # 'gods', step 2 reads 'o' and must predict 'd', the first column: its probability is in brackets
    row = lines[1 + 3 + 1]
    assert row.split()[:4] == ["gods", "2", "o", "d"]
    assert f"[{probs[1, 1, 0]:.3f}]" in row
    assert row.count("[") == 1
    assert lines[-1].endswith(f"{rh.loss(params, data):.3f}")


def test_prediction_table_of_certain_predictions_prints_zero_loss(data):
    certain = np.eye(4)[data.targets]
    table = rh.prediction_table(certain, data)
    assert "-0.00" not in table
    assert table.splitlines()[-1].endswith("0.00")


def test_prediction_table_refuses_bad_input(params, data):
    probs = rh.predict_proba(params, data)
    with pytest.raises(ValueError, match=r"probs must be an array of shape \(N, T, V\) = \(2, 3, 4\)"):
        rh.prediction_table(probs[0], data)
    with pytest.raises(TypeError, match="dataset must be a Dataset"):
        rh.prediction_table(probs, ("dogs", "gods"))
    with pytest.raises(ValueError, match="digits must be at most 6"):
        rh.prediction_table(probs, data, digits=9)
    with pytest.raises(TypeError, match="digits must be an integer"):
        rh.prediction_table(probs, data, digits=2.0)
