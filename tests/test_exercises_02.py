"""Notebook 02's exercise checks (helpers.exercises.nb02): each rejects the learner's typical mistakes with a
message that names the mistake and never shows the expected answer. tests/test_exercises.py proves, from the
notebook itself, that each untouched stub says "not attempted" and each shown solution passes."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_asserts import expect_right, expect_wrong

from helpers import activations as act
from helpers import exercises

pytest.importorskip("tensorflow")

SECRETS = {"02.1": ["0.104994", "0.10499", "0.105"], "02.4": ["403", "15)"]}
LAM, ALPHA = act.SELU_SCALE, act.SELU_ALPHA


def wrong(key, answer, *phrases):
    return expect_wrong(SECRETS, key, answer, *phrases)


right = expect_right


def test_02_1_sigmoid_derivative_from_its_value():
    right("02.1", 0.880797 * (1 - 0.880797))
    right("02.1", 0.104994)
    wrong("02.1", 0.880797, "sigma(2) itself")
    wrong("02.1", 1 - 0.880797, "multiply it by sigma(2)")
    wrong("02.1", 0.880797**2, "squared")
    wrong("02.1", -0.880797 * (1 - 0.880797), "sign")
    wrong("02.1", 0.5, "cannot be a sigmoid's derivative")
    wrong("02.1", 0.2, "not sigma'(2)")


def selu_grad(x):
    return LAM * np.where(x > 0, 1.0, ALPHA * np.exp(np.minimum(x, 0.0)))


def test_02_2_selu_grad():
    right("02.2", selu_grad)
    wrong("02.2", lambda x: selu_grad(x) / LAM, "scale lambda", "missing")
    wrong("02.2", lambda x: np.where(x > 0, LAM, LAM * np.exp(x)), "except where x < 0", "alpha")
    wrong("02.2", lambda x: np.where(x > 0, 1.0, LAM * ALPHA * np.exp(x)), "except where x > 0")
    wrong("02.2", lambda x: act.elu_grad(x), "wrong")
    wrong("02.2", lambda x: selu_grad(x)[:-1], "shape")


def chain(x, n):
    g, a = np.ones_like(x), x
    for _ in range(n):
        g, a = g * act.sigmoid_grad(a), act.sigmoid(a)
    return g


def test_02_3_sigmoid_chain_grad():
    right("02.3", chain)
    text = wrong("02.3", lambda x, n: act.sigmoid_grad(x) ** n, "evaluated every factor at x itself")
    assert "n = 1  close" in text and "n = 2  wrong" in text  # one cmp line per n
    wrong("02.3", lambda x, n: act.sigmoid_grad(x), "n = 2  wrong")
    wrong("02.3", lambda x, n: chain(x, n - 1) if n > 1 else chain(x, 1), "n = 3  wrong")


def test_02_4_collapse_counts():
    right("02.4", (403, 15))
    right("02.4", [403.0, 15.0])
    wrong("02.4", (4 * 16 + 16 * 16 + 16 * 3, 15), "only the weights")
    wrong("02.4", (403, 12), "single layer's count holds only its weights")
    wrong("02.4", (403, 4 * 16 + 16 * 16 + 16 * 3), "straight to 3 outputs")
    wrong("02.4", (350, 15), "too low")
    wrong("02.4", 403, "must be a pair")


@pytest.mark.parametrize("key", ["02.1", "02.2", "02.3", "02.4"])
def test_untouched_placeholders_are_not_attempted(key):
    assert exercises.evaluate(key, ...).status == "not attempted"
