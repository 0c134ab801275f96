import pytest

import rnn_helpers as rh


def test_show_source_gives_the_package_code():
    shown = rh.show_source(rh.one_hot)
    assert shown.data.startswith("```python\ndef one_hot(")
    assert "np.eye" in shown.data


def test_show_source_refuses_non_code():
    with pytest.raises(TypeError, match="function or a class"):
        rh.show_source(42)
