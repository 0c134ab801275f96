import pytest

import rnn_helpers as rh
from rnn_helpers import environment


def test_this_environment_passes():
    assert rh.check_environment() == "environment OK"


def test_old_package_is_reported(monkeypatch):
    monkeypatch.setitem(environment.MINIMUM_VERSIONS, "numpy", (99, 0))
    with pytest.raises(RuntimeError, match=r"numpy .* is older than 99.0.*make lab"):
        rh.check_environment()


def test_missing_package_is_reported(monkeypatch):
    monkeypatch.setitem(environment.MINIMUM_VERSIONS, "no-such-package-xyz", (1, 0))
    with pytest.raises(RuntimeError, match="no-such-package-xyz is not installed"):
        rh.check_environment()
