"""helpers.checks.claim: one line per claim, the measured value beside its bound, failing loudly."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import checks


def test_claim_prints_the_value_beside_its_bound(capsys):
    checks.claim("dead fraction", np.float64(0.197), low=0.1)
    checks.claim("ratio", 3, low=1, high=5, fmt=".0f")
    checks.claim("count", np.int64(19), low=18, fmt="d")
    checks.claim("small", 0.01, high=0.05, fmt=".2f")
    checks.claim("every seed", np.bool_(True))
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("OK   dead fraction") and lines[0].endswith("0.197 >= 0.1")
    assert lines[1].endswith("3 in [1, 5]")
    assert lines[2].endswith("19 >= 18")
    assert lines[3].endswith("0.01 <= 0.05")
    assert lines[4].endswith("True")


def test_claim_fails_loudly_or_reports(capsys):
    with pytest.raises(AssertionError, match=r"claim failed: too few: 3 not >= 5"):
        checks.claim("too few", 3, low=5, fmt="d")
    assert capsys.readouterr().out.startswith("FAIL too few")
    checks.claim("nan", float("nan"), low=0, raise_error=False)
    assert "FAIL nan" in capsys.readouterr().out
    with pytest.raises(AssertionError, match=r"claim failed: flag: False"):
        checks.claim("flag", False)


def test_claim_bad_arguments():
    with pytest.raises(ValueError, match=r"needs a bound"):
        checks.claim("x", 1.0)
    with pytest.raises(ValueError, match=r"a bool claim takes no bounds"):
        checks.claim("x", True, low=0)
    with pytest.raises(TypeError, match=r"value must be a number or a bool"):
        checks.claim("x", "3", low=0)
    with pytest.raises(TypeError, match=r"value must be a number or a bool"):
        checks.claim("x", [1.0, 2.0], low=0)
    with pytest.raises(TypeError, match=r"name must be a string"):
        checks.claim(3, 1.0, low=0)
