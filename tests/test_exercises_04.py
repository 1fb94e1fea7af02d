"""Notebook 04's exercises: typical wrong answers are rejected with a message that teaches, never the answer."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import exercises


def evaluate(key, answer):
    result = exercises.evaluate(key, answer)
    return result, result.text()


V1_NEW = 0.7 - 0.5 * (-0.0631077925498882)


# --- 04.1 one step by hand -------------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [(0.7 + 0.5 * (-0.0631078), "uphill"), (0.7 + 0.0631078, "whole gradient"),
                                            (0.0315539, "size of the step"), (0.5, "backward table")])
def test_04_1_wrong_steps(answer, phrase):
    result, text = evaluate("04.1", answer)
    assert result.status == "wrong" and phrase in text
    assert f"{V1_NEW:.4f}" not in text and f"{V1_NEW:.3f}" not in text


def test_04_1_right():
    assert exercises.evaluate("04.1", round(V1_NEW, 4)).passed


# --- 04.2 the price of nudging ---------------------------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [(300, "weights only"), (172, "twice per parameter"),
                                            (150, "biases too"), (100, "Count the parameters"), (300.5, "whole")])
def test_04_2_wrong_counts(answer, phrase):
    result, text = evaluate("04.2", answer)
    assert result.status == "wrong" and phrase in text
    assert "344" not in text


# --- 04.3 the output error -------------------------------------------------------------------------------------
P, Y = np.array([0.9, 0.2, 0.6, 0.5]), np.array([1.0, 1.0, 0.0, 1.0])


@pytest.mark.parametrize("answer, phrase", [(P - Y, "1/n"), ((Y - P) / 4, "wrong sign"), (((P - Y) / 4)[:3], "shape")])
def test_04_3_wrong_errors(answer, phrase):
    result, text = evaluate("04.3", answer)
    assert result.status == "wrong" and phrase in text
    for value in (P - Y) / 4:
        assert f"{value}" not in text.replace("(4,)", "").replace("(3,)", "")


# --- 04.4 dense + ReLU backward, cmp-style ---------------------------------------------------------------------
def right(X, W, b, dA):
    dZ = dA * (X @ W + b > 0)
    return dZ @ W.T, X.T @ dZ, dZ.sum(axis=0)


def no_relu(X, W, b, dA):
    return dA @ W.T, X.T @ dA, dA.sum(axis=0)


def transposed_dW_mean_db(X, W, b, dA):
    dZ = dA * (X @ W + b > 0)
    return dZ @ W.T, dZ.T @ X, dZ.mean(axis=0)


def db_per_row(X, W, b, dA):
    dX, dW, _ = right(X, W, b, dA)
    return dX, dW, dA * (X @ W + b > 0)


def lines_of(result):
    return {line.split()[0]: line for line in result.lines}


def test_04_4_right_is_exact_on_every_line():
    result = exercises.evaluate("04.4", right)
    assert result.passed and [line.split()[:2] for line in result.lines] == [["dX", "exact"], ["dW", "exact"],
                                                                            ["db", "exact"]]


def test_04_4_forgotten_relu_is_named_on_each_line():
    result = exercises.evaluate("04.4", no_relu)
    assert result.status == "wrong" and "3 of 3" in result.message
    assert all("ReLU's derivative is missing" in line for line in result.lines)


def test_04_4_each_quantity_is_judged_on_its_own():
    lines = lines_of(exercises.evaluate("04.4", transposed_dW_mean_db))
    assert "exact" in lines["dX"]
    assert "wrong" in lines["dW"] and "transposed" in lines["dW"]
    assert "wrong" in lines["db"] and "sum over the rows" in lines["db"]
    lines = lines_of(exercises.evaluate("04.4", db_per_row))
    assert "exact" in lines["dX"] and "exact" in lines["dW"] and "one row per sample" in lines["db"]


def test_04_4_wrong_return_and_messages_hide_the_values():
    result = exercises.evaluate("04.4", lambda X, W, b, dA: right(X, W, b, dA)[:2])
    assert result.status == "wrong" and "three arrays" in result.message
    result = exercises.evaluate("04.4", no_relu)
    rng = np.random.default_rng(404)
    from helpers.exercises.nb04 import _layer

    expected = right(*_layer(rng, 6, 4, 3))
    for array in expected:
        for value in array.ravel()[np.abs(array.ravel()) > 0.01][:4]:
            assert f"{value:.3g}" not in result.text()


# --- 04.5 central differences ----------------------------------------------------------------------------------
def central(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f(x)
        x[i] = old - eps
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def one_sided(f, x, eps=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        grad[i] = (f(x + e) - f(x)) / eps
    return grad


@pytest.mark.parametrize("answer, phrase", [
    (one_sided, "one-sided"),
    (lambda f, x, eps=1e-5: 2 * central(f, x, eps), "2 eps apart"),
    (lambda f, x, eps=1e-5: central(f, x, eps).ravel(), "shape"),
    (lambda f, x, eps=1e-5: -central(f, x, eps), "wrong sign"),
])
def test_04_5_wrong_differences(answer, phrase):
    result, text = evaluate("04.5", answer)
    assert result.status == "wrong" and phrase in text, text


def test_04_5_right():
    assert exercises.evaluate("04.5", central).passed
