"""Notebook 06's exercises: a typical wrong answer to each is rejected with a message that teaches and never
shows the expected answer (the untouched stubs and the shown solutions are tested in test_exercises.py)."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import exercises
from helpers.exercises import nb06
from helpers.optimizers import adam

helpers.setup(quiet=True)


def wrong(key, answer):
    result = exercises.evaluate(key, answer)
    assert result.status == "wrong", result.text()
    return result.text()


# --- 06.1 Adam's first step ---------------------------------------------------------------------------------------
EXPECTED_1 = adam(np.zeros(2), np.array([0.001, 1000.0]), {}, learning_rate=0.1)[0]


def _hides_first_step(text):
    for value in EXPECTED_1:
        for digits in (2, 3, 4, 6):
            assert f"{value:.{digits}f}" not in text and f"{value:.{digits}g}" not in text.replace("0.1)", "")


@pytest.mark.parametrize("answer, phrase", [
    (-EXPECTED_1, "sign is wrong"),
    (np.array([-0.0001, -100.0]), "plain gradient descent"),
    (np.array([-0.316, -0.316]), "3.2 times too large"),
    (np.array([-0.1, -0.1, -0.1]), "two numbers"),
    (np.array([-0.001, -0.1]), "differ a lot in size"),
])
def test_06_1_wrong_answers(answer, phrase):
    text = wrong("06.1", answer)
    assert phrase in text
    _hides_first_step(text)


def test_06_1_accepts_the_rounded_answer():
    assert exercises.evaluate("06.1", np.array([-0.1, -0.1])).passed


# --- 06.2 the ravine's speed limit --------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [
    (0.2, "too large"),
    (2.0, "more than 1 in size"),
    (0.01, "zig-zag"),
    (0.015, "still stable"),
    (-0.5, "must be positive"),
    ("0.02", "must be a number"),
])
def test_06_2_wrong_answers(answer, phrase):
    text = wrong("06.2", answer)
    assert phrase in text
    assert "0.02" not in text.replace('"0.02"', "").replace("'0.02'", "") and "2 / 100" not in text


# --- 06.3 escaping the saddle -------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [
    (97, "too few"),
    (99, "too many"),
    (97.23, "whole number"),
    (-3, "cannot be negative"),
])
def test_06_3_wrong_answers(answer, phrase):
    text = wrong("06.3", answer)
    assert phrase in text
    assert "98" not in text


def test_06_3_accepts_numpy_integers():
    assert exercises.evaluate("06.3", np.int64(98)).passed


# --- 06.4 classify a critical point -------------------------------------------------------------------------------
def by_diagonal(hessian):
    """The usual mistake: reading the curvature off the diagonal (along the axes only)."""
    d = np.diag(hessian)
    return "minimum" if np.all(d > 0) else "maximum" if np.all(d < 0) else "saddle"


def by_determinant(hessian):
    """The 2-D textbook test (det > 0 and trace > 0: minimum), applied in any dimension."""
    det, trace = np.linalg.det(hessian), np.trace(hessian)
    return "saddle" if det < 0 else "minimum" if trace > 0 else "maximum"


def returns_eigenvalues(hessian):
    return np.linalg.eigvalsh(hessian)


def misspelt(hessian):
    return "min"


@pytest.mark.parametrize("answer, phrase", [
    (by_diagonal, "Right on diagonal matrices but not on rotated ones"),
    (by_determinant, "Right in 2-D but not in more dimensions"),
    (returns_eigenvalues, "must return a string"),
    (misspelt, "'minimum', 'maximum' or 'saddle'"),
])
def test_06_4_wrong_answers(answer, phrase):
    assert phrase in wrong("06.4", answer)


def test_06_4_accepts_capitalised_words():
    def right(hessian):
        eig = np.linalg.eigvalsh(hessian)
        return "Minimum" if eig.min() > 0 else "Maximum" if eig.max() < 0 else "Saddle"

    assert exercises.evaluate("06.4", right).passed


# --- 06.5 AMSGrad -------------------------------------------------------------------------------------------------
def plain_adam(params, grads, state, **hyper):
    return adam(params, grads, state, **hyper)


def forgets_v_max(params, grads, state, *, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Computes the maximum but does not keep it in the state, so that it is v again at every step."""
    new, new_state = nb06._reference_amsgrad(params, grads, state, learning_rate=learning_rate, beta_1=beta_1,
                                            beta_2=beta_2, epsilon=epsilon)
    new_state.pop("v_max")
    return new, new_state


def maximum_into_v(params, grads, state, *, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """Keeps the maximum in v itself, so that v's running average goes on from the maximum."""
    new, new_state = nb06._reference_amsgrad(params, grads, state, learning_rate=learning_rate, beta_1=beta_1,
                                            beta_2=beta_2, epsilon=epsilon)
    new_state["v"] = new_state["v_max"]
    return new, new_state


def uphill(params, grads, state, **hyper):
    new, new_state = nb06._reference_amsgrad(params, grads, state, **hyper)
    return 2 * params - new, new_state


def only_params(params, grads, state, **hyper):
    return nb06._reference_amsgrad(params, grads, state, **hyper)[0]


@pytest.mark.parametrize("answer, phrase", [
    (plain_adam, "plain Adam's steps"),
    (forgets_v_max, "plain Adam's steps"),  # a maximum forgotten at every step is v itself
    (maximum_into_v, "the first step is right"),
    (uphill, "wrong way"),
    (only_params, "(new_params, new_state)"),
])
def test_06_5_wrong_answers(answer, phrase):
    result = exercises.evaluate("06.5", answer)
    assert result.status == "wrong", result.text()
    assert phrase in result.text()
    expected = nb06._keras_reference()
    for value in expected.ravel()[:10]:
        assert f"{value:.4f}" not in result.text()


def test_06_5_reference_matches_keras_and_differs_from_adam():
    start, gradients = nb06._gradients()
    keras_path = nb06._keras_amsgrad_path(start, gradients)
    np.testing.assert_allclose(nb06._numpy_path(nb06._reference_amsgrad, start, gradients), keras_path, atol=1e-12)
    assert np.abs(nb06._numpy_path(adam, start, gradients) - keras_path).max() > 1e-6  # the maximum matters
    assert exercises.evaluate("06.5", nb06._reference_amsgrad).passed
