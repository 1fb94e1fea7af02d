"""Notebook 03's exercises: typical wrong answers are rejected with a message that teaches, never the answer."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import activations, exercises
from helpers import losses as L


def evaluate(key, answer):
    result = exercises.evaluate(key, answer)
    return result, result.text()


def assert_hides(text, *values):
    """None of the expected values may appear in the message, at the precisions a learner would type."""
    for value in values:
        for digits in (2, 3, 4, 6):
            assert f"{value:.{digits}f}" not in text, (value, text)


# --- 03.1 the step size of the sum ---------------------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [(5.0, "must shrink"), (0.1, "n times longer"), (-1.0, "positive"),
                                            (0.01, "by what factor")])
def test_03_1_wrong_step_sizes(answer, phrase):
    result, text = evaluate("03.1", answer)
    assert result.status == "wrong" and phrase in text
    assert "0.002" not in text


def test_03_1_right():
    assert exercises.evaluate("03.1", 0.1 / 50).passed


# --- 03.2 the ratio at z = -4 --------------------------------------------------------------------------------
RATIO = 1 / (2 * activations.sigmoid(-4.0) * (1 - activations.sigmoid(-4.0)))


@pytest.mark.parametrize("answer, phrase", [(1 / RATIO, "upside down"), (2 * RATIO, "factor of 2"),
                                            (RATIO / 2, "factor of 2"), (3.0, "most factors cancel"),
                                            (0.5, "weaker")])
def test_03_2_wrong_ratios(answer, phrase):
    result, text = evaluate("03.2", answer)
    assert result.status == "wrong" and phrase in text
    assert_hides(text, RATIO)


def test_03_2_within_one_percent_passes():
    assert exercises.evaluate("03.2", RATIO * 1.005).passed


# --- 03.3 softmax cross-entropy, safely ----------------------------------------------------------------------
def stable(y, z):
    shifted = z - z.max(axis=1, keepdims=True)
    return float(np.mean(-np.sum(y * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))), axis=1)))


def naive(y, z):  # overflows at |z| = 1000
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    return float(np.mean(-np.sum(y * np.log(p), axis=1)))


def global_max(y, z):  # one maximum for the whole array: rows far below it underflow
    shifted = z - z.max()
    return float(np.mean(-np.sum(y * np.log(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)), axis=1)))


def per_sample(y, z):
    shifted = z - z.max(axis=1, keepdims=True)
    return -np.sum(y * (shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))), axis=1)


@pytest.mark.parametrize("answer, phrase", [
    (naive, "overflows"), (global_max, "each row's own"), (per_sample, "one value per sample"),
    (lambda y, z: float(per_sample(y, z).sum()), "summed over the samples"),
    (lambda y, z: -stable(y, z), "wrong sign"),
    (lambda y, z: stable(y, z) / z.shape[1], "averaged over the classes"),
])
def test_03_3_wrong_losses(answer, phrase):
    with np.errstate(all="ignore"):
        result, text = evaluate("03.3", answer)
    assert result.status == "wrong" and phrase in text, text
    rng = np.random.default_rng(303)
    y = np.eye(4)[rng.integers(0, 4, 7)]
    assert_hides(text, L.categorical_cross_entropy(y, rng.normal(0.0, 3.0, (7, 4)), from_logits=True))


def test_03_3_stable_passes():
    assert exercises.evaluate("03.3", stable).passed


# --- 03.4 the balanced weight --------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [(0.59, "stayed"), (6.67, "twice too large"), (0.15, "below 1"),
                                            (2.0, "n / (2 n_class)")])
def test_03_4_wrong_weights(answer, phrase):
    result, text = evaluate("03.4", answer)
    assert result.status == "wrong" and phrase in text
    assert "3.33" not in text


# --- 03.5 the gradient of class-weighted binary cross-entropy -------------------------------------------------
def weights_of(y, class_weight, swap=False):
    return np.where(y == 1, class_weight[0 if swap else 1], class_weight[1 if swap else 0])


def right_grad(y, z, cw):
    return weights_of(y, cw) * (activations.sigmoid(z) - y) / len(y)


@pytest.mark.parametrize("answer, phrase", [
    (lambda y, z, cw: (activations.sigmoid(z) - y) / len(y), "unweighted"),
    (lambda y, z, cw: weights_of(y, cw, swap=True) * (activations.sigmoid(z) - y) / len(y), "swapped"),
    (lambda y, z, cw: weights_of(y, cw) * (activations.sigmoid(z) - y), "1/n"),
    (lambda y, z, cw: weights_of(y, cw) * (activations.sigmoid(z) - y) / weights_of(y, cw).sum(), "total weight"),
    (lambda y, z, cw: -right_grad(y, z, cw), "wrong sign"),
    (lambda y, z, cw: right_grad(y, z, cw) * activations.sigmoid_grad(z), "sigmoid's slope"),
    (lambda y, z, cw: right_grad(y, z, cw)[:, None].T, "shape"),
])
def test_03_5_wrong_gradients(answer, phrase):
    result, text = evaluate("03.5", answer)
    assert result.status == "wrong" and phrase in text, text


def test_03_5_right_and_messages_hide_the_values():
    assert exercises.evaluate("03.5", right_grad).passed
    result = exercises.evaluate("03.5", lambda y, z, cw: (activations.sigmoid(z) - y) / len(y))
    rng = np.random.default_rng(305)
    y = (rng.random(9) < 0.3).astype(float)
    y[:2] = [0.0, 1.0]
    z = rng.normal(0.0, 2.0, 9)
    cw = {0: float(rng.uniform(0.4, 0.9)), 1: float(rng.uniform(1.5, 4.0))}
    assert_hides(result.text(), *right_grad(y, z, cw)[:3])
