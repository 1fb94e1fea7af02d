"""helpers.checks.claim: one line per claim, the measured value beside its bound (added for notebook 07)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks


def test_claim_prints_value_beside_bound_and_passes(capsys):
    checks.claim("dropout shrinks the gap", 0.3412, high=0.6)
    checks.claim("plain network co-adapts", np.float32(0.75), low=0.4, fmt=".0%")
    checks.claim("within the band", 0.5, low=0.25, high=0.75)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "OK   dropout shrinks the gap: 0.341 <= 0.6",
        "OK   plain network co-adapts: 75% >= 40%",
        "OK   within the band: 0.25 <= 0.5 <= 0.75",
    ]


def test_claim_bounds_are_inclusive():
    checks.claim("at the upper bound", 0.6, high=0.6)
    checks.claim("at the lower bound", 0.4, low=0.4)


@pytest.mark.parametrize("kwargs", [{"high": 0.3}, {"low": 0.5}, {"low": 0.0, "high": 0.3}])
def test_claim_that_fails_prints_fail_and_raises(kwargs, capsys):
    with pytest.raises(AssertionError, match=r"the claim: measured 0\.4, outside the claimed bound"):
        checks.claim("the claim", 0.4, **kwargs)
    assert capsys.readouterr().out.startswith("FAIL the claim: ")


@pytest.mark.parametrize("args, kwargs, error, pattern", [
    (("", 1.0), {"high": 2}, TypeError, "name must be a non-empty string"),
    (("x", 1.0), {}, ValueError, "claim needs a bound"),
    (("x", "1.0"), {"high": 2}, TypeError, "value must be a real number"),
    (("x", float("nan")), {"high": 2}, ValueError, "value must be finite"),
    (("x", 1.0), {"low": 2, "high": 1}, ValueError, "low must not exceed high"),
    (("x", 1.0), {"high": None, "low": "a"}, TypeError, "low must be a real number"),
    (("x", 1.0), {"high": 2, "fmt": 3}, TypeError, "fmt must be a format string"),
])
def test_claim_rejects_bad_arguments(args, kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        checks.claim(*args, **kwargs)
