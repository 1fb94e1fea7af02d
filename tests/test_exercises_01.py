"""Notebook 01's exercise checks (helpers.exercises.nb01): each rejects the learner's typical mistakes with a
message that names the mistake and never shows the expected answer. tests/test_exercises.py proves, from the
notebook itself, that each untouched stub says "not attempted" and each shown solution passes."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_asserts import expect_right, expect_wrong

from helpers import exercises
from helpers.activations import relu, sigmoid

# the expected answers, as a learner would see them printed, which no message may contain
SECRETS = {"01.1": ["0.574", "0.5744"], "01.2": ["109386 ", "109386\n", "109,386"], "01.5": ["-1.5"],
           "01.6": ["is b", "b is"]}


def wrong(key, answer, *phrases):
    return expect_wrong(SECRETS, key, answer, *phrases)


right = expect_right


def test_01_1_neuron_by_hand():
    right("01.1", 0.5744)
    right("01.1", 1 / (1 + np.exp(-0.3)))
    wrong("01.1", 0.3, "weighted sum z", "sigmoid")  # forgot the activation
    wrong("01.1", 1 / (1 + np.exp(0.2)), "bias is missing")  # z without b
    wrong("01.1", 1 / (1 + np.exp(0.3)), "sign")
    wrong("01.1", 0.57, "not this neuron's output")  # rounded too early
    wrong("01.1", "0.6", "must be a number")


def test_01_2_parameters_of_the_digits_network():
    right("01.2", 109386)
    right("01.2", 109386.0)
    wrong("01.2", 784 * 128 + 128 * 64 + 64 * 10, "only the weights")
    wrong("01.2", 109386 + 784, "input layer biases")
    wrong("01.2", 100480, "too low")
    wrong("01.2", 109386.5, "not a whole number")


def test_01_3_dense_rows():
    right("01.3", lambda X, W_rows, b: np.maximum(0, X @ W_rows.T + b))
    wrong("01.3", lambda X, W_rows, b: np.maximum(0, X @ W_rows + b), "Check the shapes", "one row per example")
    wrong("01.3", lambda X, W_rows, b: X @ W_rows.T + b, "apply ReLU")
    wrong("01.3", lambda X, W_rows, b: np.maximum(0, X @ W_rows.T), "bias is missing")
    wrong("01.3", lambda X, W_rows, b: np.maximum(0, X @ W_rows.T + b).T, "transposed")
    wrong("01.3", lambda X, W_rows, b: np.abs(X @ W_rows.T + b), "except where the weighted sum is negative")


def test_01_4_forward():
    def solution(X, W1, b1, W2, b2):
        return sigmoid(relu(X @ W1 + b1) @ W2 + b2)

    right("01.4", solution)
    wrong("01.4", lambda X, W1, b1, W2, b2: sigmoid((X @ W1 + b1) @ W2 + b2), "no ReLU")
    wrong("01.4", lambda X, W1, b1, W2, b2: relu(X @ W1 + b1) @ W2 + b2, "apply the sigmoid")
    wrong("01.4", lambda X, W1, b1, W2, b2: sigmoid(relu(X @ W1) @ W2 + b2), "b1 is missing")
    wrong("01.4", lambda X, W1, b1, W2, b2: sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2), "hidden layer uses a sigmoid")
    wrong("01.4", lambda X, W1, b1, W2, b2: solution(X, W1, b1, W2, b2).ravel(), "wrong shape", "(8, 1)")

    def forgot_return(X, W1, b1, W2, b2):
        solution(X, W1, b1, W2, b2)

    wrong("01.4", forgot_return, "return")


def test_01_5_majority():
    right("01.5", ([1.0, 1.0, 1.0], -1.5))
    right("01.5", ([2, 2, 2], -3.5))
    wrong("01.5", ([1.0, 1.0, 1.0], -0.5), "OR of three", "more negative")
    wrong("01.5", ([1.0, 1.0, 1.0], -2.5), "AND of three", "less negative")
    wrong("01.5", ([1.0, 2.0, 3.0], -4.0), "wrong on", "of the 8 inputs")
    wrong("01.5", ([1.0, 1.0], -1.5), "three weights")
    wrong("01.5", 1.5, "pair (w, b)")


def test_01_6_choice():
    right("01.6", "b")
    right("01.6", " B ")
    for letter, phrase in [("a", "cheap"), ("c", "any number of inputs"), ("d", "hidden unit")]:
        wrong("01.6", letter, f"not {letter}", phrase)
    wrong("01.6", "e", "one letter")


@pytest.mark.parametrize("key", ["01.1", "01.2", "01.3", "01.4", "01.5", "01.6"])
def test_untouched_placeholders_are_not_attempted(key):
    assert exercises.evaluate(key, ...).status == "not attempted"
