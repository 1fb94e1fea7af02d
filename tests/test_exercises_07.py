"""Notebook 07's exercise checks reject the learner's typical mistakes with a message that teaches and never
shows the expected answer (helpers/exercises/nb07.py)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import exercises


def verdict(key, answer):
    result = exercises.evaluate(key, answer)
    return result, result.message + "\n" + "\n".join(result.lines)


# --- 07.1: the value of a kept unit (3 / 0.75 = 4) ---------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [
    (3.0, "value unchanged"),
    (2.25, "multiplied by the keep probability"),
    (12.0, "divided by the drop rate"),
    (0.75, "multiplied by the drop rate"),
    (0, "value of a dropped unit"),
    (5.5, "which factor keeps the unit's expected value"),
    ("4", "must be a number"),
])
def test_07_1_wrong_values_are_diagnosed_without_the_answer(answer, phrase):
    result, text = verdict("07.1", answer)
    assert result.status == "wrong"
    assert phrase in text
    assert "4" not in text.replace("'4'", "")  # the answer, 4, is never shown


def test_07_1_right_value_passes():
    assert exercises.evaluate("07.1", np.float32(3 / 0.75)).status == "correct"


# --- 07.3: the variance dropout adds (h = 2, p = 0.5: 4) ----------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [
    (8.0, "mean of the squared output"),
    (1.0, "variance of plain dropout"),
    (2.0, "the mean of the output"),
    (16.0, "square of a kept unit's value"),
    (0.0, "not 0"),
    (-4.0, "never negative"),
    (3.0, "compute its mean and the mean of its square"),
])
def test_07_3_wrong_values_are_diagnosed_without_the_answer(answer, phrase):
    result, text = verdict("07.3", answer)
    assert result.status == "wrong"
    assert phrase in text
    assert "4" not in text.replace("-4", "")


# --- 07.2: inverted dropout with a keep probability ----------------------------------------------------------------
def keep_right(h, keep_prob, rng):
    return h * (rng.random(h.shape) < keep_prob) / keep_prob


def keep_forgot_to_scale(h, keep_prob, rng):
    return h * (rng.random(h.shape) < keep_prob)


def keep_times_keep_prob(h, keep_prob, rng):  # "scaled by p instead of 1/(1-p)", in keep-probability terms
    return h * (rng.random(h.shape) < keep_prob) * keep_prob


def keep_divided_by_drop(h, keep_prob, rng):
    return h * (rng.random(h.shape) < keep_prob) / (1 - keep_prob)


def keep_drops_with_keep_prob(h, keep_prob, rng):  # "drops with probability 1 - p": rate and keep confused
    return h * (rng.random(h.shape) >= keep_prob) / keep_prob


def keep_global_random(h, keep_prob, rng):
    return h * (np.random.random(h.shape) < keep_prob) / keep_prob


def keep_one_mask_for_all_rows(h, keep_prob, rng):
    return h * (rng.random(h.shape[-1]) < keep_prob) / keep_prob


def keep_returns_a_tuple(h, keep_prob, rng):
    mask = rng.random(h.shape) < keep_prob
    return h * mask / keep_prob, mask


def keep_transposed(h, keep_prob, rng):
    return (h * (rng.random(h.shape) < keep_prob) / keep_prob).T


@pytest.mark.parametrize("answer, phrase", [
    (keep_forgot_to_scale, "forgot to scale"),
    (keep_times_keep_prob, "multiplied by keep_prob"),
    (keep_divided_by_drop, "divided by 1 - keep_prob"),
    (keep_drops_with_keep_prob, "drops each unit with probability keep_prob"),
    (keep_global_random, "not from np.random"),
    (keep_one_mask_for_all_rows, "every row (every example) got the same mask"),
    (keep_returns_a_tuple, "return only the output array"),
    (keep_transposed, "the activations' shape"),
])
def test_07_2_typical_mistakes_are_named(answer, phrase):
    result, text = verdict("07.2", answer)
    assert result.status == "wrong", text
    assert phrase in text
    assert "1.25" not in text and "3.33" not in text  # the right scales, 1/0.8 and 1/0.3, are never shown


def test_07_2_right_answer_and_the_helpers_answer_pass():
    from helpers.dropout import dropout_forward

    assert exercises.evaluate("07.2", keep_right).status == "correct"
    assert exercises.evaluate("07.2", lambda h, k, rng: dropout_forward(h, 1 - k, rng)[0]).status == "correct"


# --- 07.4: plain dropout ---------------------------------------------------------------------------------------------
def plain_right(h, rate, rng, training=True):
    return h * (rng.random(h.shape) >= rate) if training else (1 - rate) * h


def plain_is_inverted(h, rate, rng, training=True):
    return h * (rng.random(h.shape) >= rate) / (1 - rate) if training else h


def plain_no_test_scaling(h, rate, rng, training=True):
    return h * (rng.random(h.shape) >= rate) if training else h


def plain_test_times_rate(h, rate, rng, training=True):
    return h * (rng.random(h.shape) >= rate) if training else rate * h


def plain_drops_with_1_minus_p(h, rate, rng, training=True):
    return h * (rng.random(h.shape) < rate) if training else (1 - rate) * h


def plain_scales_in_training(h, rate, rng, training=True):
    return h * (rng.random(h.shape) >= rate) / (1 - rate) if training else (1 - rate) * h


def plain_multiplies_in_training(h, rate, rng, training=True):
    return h * (rng.random(h.shape) >= rate) * (1 - rate) if training else (1 - rate) * h


@pytest.mark.parametrize("answer, phrase", [
    (plain_is_inverted, "returned h unchanged"),
    (plain_no_test_scaling, "returned h unchanged"),
    (plain_test_times_rate, "multiplied by the drop rate p"),
    (plain_drops_with_1_minus_p, "drops each unit with probability 1 - p"),
    (plain_scales_in_training, "that is inverted dropout"),
    (plain_multiplies_in_training, "scales only at test time"),
])
def test_07_4_typical_mistakes_are_named(answer, phrase):
    result, text = verdict("07.4", answer)
    assert result.status == "wrong", text
    assert phrase in text
    assert "0.7 h" not in text and "0.7*h" not in text


def test_07_4_right_answer_passes():
    assert exercises.evaluate("07.4", plain_right).status == "correct"
