"""Notebook 08's exercise checks reject the learner's typical mistakes with a message that teaches and never shows
the expected answer (helpers/exercises/nb08.py)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import nb08

CANDIDATES = np.linspace(0.01, 0.99, 99)


def verdict(key, answer):
    result = exercises.evaluate(key, answer)
    return result, result.message + "\n" + "\n".join(result.lines)


# --- 08.1: a cost threshold chosen on validation rows only ---------------------------------------------------------
def _best(p, y, cost_miss, cost_alarm):
    costs = [cost_miss * np.sum((y == 1) & (p < t)) + cost_alarm * np.sum((y == 0) & (p >= t)) for t in CANDIDATES]
    return float(CANDIDATES[np.argmin(costs)])


def right(p, y, is_validation, cost_miss, cost_alarm):
    return _best(p[is_validation], y[is_validation], cost_miss, cost_alarm)


def on_test_rows(p, y, is_validation, cost_miss, cost_alarm):
    return _best(p[~is_validation], y[~is_validation], cost_miss, cost_alarm)


def on_all_rows(p, y, is_validation, cost_miss, cost_alarm):
    return _best(p, y, cost_miss, cost_alarm)


def costs_swapped(p, y, is_validation, cost_miss, cost_alarm):
    return _best(p[is_validation], y[is_validation], cost_alarm, cost_miss)


def always_half(p, y, is_validation, cost_miss, cost_alarm):
    return 0.5


def calibrated_rule(p, y, is_validation, cost_miss, cost_alarm):
    return round(cost_alarm / (cost_alarm + cost_miss), 2)


def returns_index(p, y, is_validation, cost_miss, cost_alarm):
    p_val, y_val = p[is_validation], y[is_validation]
    costs = [cost_miss * np.sum((y_val == 1) & (p_val < t)) + cost_alarm * np.sum((y_val == 0) & (p_val >= t))
             for t in CANDIDATES]
    return int(np.argmin(costs))


def off_by_a_little(p, y, is_validation, cost_miss, cost_alarm):
    return round(right(p, y, is_validation, cost_miss, cost_alarm) + 0.03, 2)


def forgot_return(p, y, is_validation, cost_miss, cost_alarm):
    right(p, y, is_validation, cost_miss, cost_alarm)


def expected_thresholds():
    p, y, is_validation = nb08._threshold_data()
    return {f"{t:.2f}" for cm, ca in nb08.COST_PAIRS for t in [right(p, y, is_validation, cm, ca)]}


@pytest.mark.parametrize("answer, phrase", [
    (on_test_rows, "best one on the TEST rows"),
    (on_all_rows, "best one on ALL rows"),
    (costs_swapped, "cost ratio is inverted"),
    (always_half, "0.5 ignores the costs"),
    (calibrated_rule, "perfectly calibrated probabilities"),
    (returns_index, "position of the best candidate"),
    (off_by_a_little, "more on the validation rows than the best candidate"),
    (forgot_return, "forget the `return`"),
])
def test_08_1_typical_mistakes_are_named_without_the_answer(answer, phrase):
    result, text = verdict("08.1", answer)
    assert result.status == "wrong"
    assert phrase in text
    for threshold in expected_thresholds():
        assert threshold not in text


def test_08_1_right_answer_passes_and_the_mistakes_really_differ():
    assert exercises.evaluate("08.1", right).status == "correct"
    p, y, is_validation = nb08._threshold_data()
    for cm, ca in nb08.COST_PAIRS:  # the data are built so that each mistake lands on another threshold
        got = {f(p, y, is_validation, cm, ca) for f in (right, on_test_rows, on_all_rows, costs_swapped)}
        assert len(got) == 4, (cm, ca, got)


# --- 08.2: a paired bootstrap interval -----------------------------------------------------------------------------
def paired(y, p_a, p_b, metric, resamples=1000, seed=0):
    rng = np.random.default_rng(seed)
    d = []
    for _ in range(resamples):
        rows = rng.integers(0, len(y), size=len(y))
        d.append(metric(y[rows], p_a[rows]) - metric(y[rows], p_b[rows]))
    return tuple(np.percentile(d, [2.5, 97.5]))


def paired_with_choice(y, p_a, p_b, metric, resamples=1000, seed=0):  # another correct way to draw the rows
    rng = np.random.default_rng(seed + 99)
    d = []
    for _ in range(resamples):
        rows = rng.choice(len(y), size=len(y), replace=True)
        d.append(metric(y[rows], p_a[rows]) - metric(y[rows], p_b[rows]))
    return np.percentile(d, [2.5, 97.5])


def unpaired(y, p_a, p_b, metric, resamples=1000, seed=0):
    rng = np.random.default_rng(seed)
    d = []
    for _ in range(resamples):
        a, b = rng.integers(0, len(y), size=len(y)), rng.integers(0, len(y), size=len(y))
        d.append(metric(y[a], p_a[a]) - metric(y[b], p_b[b]))
    return tuple(np.percentile(d, [2.5, 97.5]))


def without_replacement(y, p_a, p_b, metric, resamples=1000, seed=0):
    rng = np.random.default_rng(seed)
    d = []
    for _ in range(resamples):
        rows = rng.permutation(len(y))
        d.append(metric(y[rows], p_a[rows]) - metric(y[rows], p_b[rows]))
    return tuple(np.percentile(d, [2.5, 97.5]))


def b_minus_a(y, p_a, p_b, metric, resamples=1000, seed=0):
    return paired(y, p_b, p_a, metric, resamples, seed)


def one_sd(y, p_a, p_b, metric, resamples=1000, seed=0):
    rng = np.random.default_rng(seed)
    d = []
    for _ in range(resamples):
        rows = rng.integers(0, len(y), size=len(y))
        d.append(metric(y[rows], p_a[rows]) - metric(y[rows], p_b[rows]))
    return np.mean(d) - np.std(d), np.mean(d) + np.std(d)


def reversed_ends(y, p_a, p_b, metric, resamples=1000, seed=0):
    low, high = paired(y, p_a, p_b, metric, resamples, seed)
    return high, low


def single_number(y, p_a, p_b, metric, resamples=1000, seed=0):
    return metric(y, p_a) - metric(y, p_b)


@pytest.mark.parametrize("answer, phrase", [
    (unpaired, "UNPAIRED"),
    (without_replacement, "WITH replacement"),
    (b_minus_a, "mirror image"),
    (one_sd, "too narrow"),
    (reversed_ends, "low is above high"),
    (single_number, "two numbers"),
])
def test_08_2_typical_mistakes_are_named_without_the_answer(answer, phrase):
    result, text = verdict("08.2", answer)
    assert result.status == "wrong"
    assert phrase in text
    (low, high), _ = nb08._reference_intervals(*nb08._bootstrap_data())
    for value in (low, high):
        assert f"{value:.3f}" not in text and f"{value:.4f}" not in text


@pytest.mark.parametrize("answer", [paired, paired_with_choice])
def test_08_2_right_answers_pass_however_the_rows_are_drawn(answer):
    assert exercises.evaluate("08.2", answer).status == "correct"


def test_08_2_paired_interval_is_much_narrower_than_unpaired():
    (low, high), (u_low, u_high) = nb08._reference_intervals(*nb08._bootstrap_data())
    assert (u_high - u_low) > 1.7 * (high - low)


# --- 08.3: the threshold for costs 10 : 1 (1/11) -------------------------------------------------------------------
@pytest.mark.parametrize("answer, phrase", [
    (10 / 11, "cost ratio is inverted"),
    (0.1, "ratio of the two costs"),
    (1 / 6, "costs 5 : 1"),
    (0.5, "both errors cost the same"),
    (11.0, "between 0 and 1"),
    (0.2, "solve p * c_miss"),
    ("1/11", "must be a number"),
])
def test_08_3_wrong_values_are_diagnosed_without_the_answer(answer, phrase):
    result, text = verdict("08.3", answer)
    assert result.status == "wrong"
    assert phrase in text
    assert "0.09" not in text and "1/11" not in text.replace("'1/11'", "")


def test_08_3_right_value_passes():
    assert exercises.evaluate("08.3", np.float64(1 / 11)).status == "correct"


# --- 08.4: parameters of the classic 6-6-1 network on 18 inputs (163) ---------------------------------------------
@pytest.mark.parametrize("answer, phrase", [
    (150, "forgot the biases"),
    (127, "counts 12 inputs"),
    (13, "counts the units"),
    (-3, "positive whole number"),
    (160, "i * o weights and o biases"),
])
def test_08_4_wrong_values_are_diagnosed_without_the_answer(answer, phrase):
    result, text = verdict("08.4", answer)
    assert result.status == "wrong"
    assert phrase in text
    assert "163" not in text


def test_08_4_right_value_passes():
    assert exercises.evaluate("08.4", np.int64(163)).status == "correct"
