"""Notebook 05's exercise checks (helpers.exercises.nb05): typical wrong answers are rejected with a message that
teaches and never shows the expected value; the references agree with Keras and with the notebook's data.

``tests/test_exercises.py`` proves for every exercise that the untouched stub is "not attempted" and that the
solution shown in the notebook passes.
"""

from __future__ import annotations

import numpy as np
import pytest

from helpers import exercises
from helpers import gradient_descent as gd
from helpers.exercises import nb05

LIMIT_4 = nb05.line_problem_limit()


def evaluate(key, answer):
    result = exercises.evaluate(key, answer)
    return result, result.text()


def assert_hidden(text, *values):
    """None of the expected values appears in the verdict, in the usual ways a number is printed."""
    for value in values:
        for shown in {f"{value}", f"{value:.4g}", f"{value:.3g}", f"{value:.3f}", f"{value:.2f}"}:
            assert shown not in text, f"the verdict shows the expected value {shown}: {text}"


# --- 05.1: the learning-rate limit of 3 w^2 ---------------------------------------------------------------------
def test_05_1_right_answer():
    assert exercises.evaluate("05.1", 1 / 3).status == "correct"
    assert exercises.evaluate("05.1", np.float32(0.3333)).status == "correct"


@pytest.mark.parametrize("answer, phrase", [
    (1.0, "limit for L = w²"),  # the limit of w^2, not of 3 w^2
    (1 / 6, "best rate, not the largest"),  # the rate that lands in one step
    (0.5, "too large"),
    (0.25, "still converges"),
    (-0.1, "must be positive"),
    ("1/3", "must be a number"),
])
def test_05_1_wrong_answers_teach(answer, phrase):
    result, text = evaluate("05.1", answer)
    assert result.status == "wrong", text
    assert phrase in text
    assert_hidden(text, 1 / 3)


# --- 05.2: iterations of model.fit ------------------------------------------------------------------------------
def test_05_2_right_answer():
    assert exercises.evaluate("05.2", gd.iterations(1000, 64, 3)).status == "correct"
    assert exercises.evaluate("05.2", np.int64(48)).status == "correct"


@pytest.mark.parametrize("answer, phrase", [
    (45, "dropped the ragged last batch"),  # 3 * floor(1000 / 64)
    (3, "number of epochs"),
    (16, "one epoch's updates"),
    (3000, "batch_size=1"),
    (46.875, "not a whole number"),  # 3000 / 64
    (50, "count the batches"),
])
def test_05_2_wrong_answers_teach(answer, phrase):
    result, text = evaluate("05.2", answer)
    assert result.status == "wrong", text
    assert phrase in text
    assert "48" not in text


# --- 05.3: the batches of one epoch -----------------------------------------------------------------------------
def right_batches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def test_05_3_right_answers():
    assert exercises.evaluate("05.3", right_batches).status == "correct"
    assert exercises.evaluate("05.3", gd.epoch_batches).status == "correct"

    def with_shuffle(n, batch_size, rng):  # rng.shuffle of arange is another valid shuffle
        order = np.arange(n)
        rng.shuffle(order)
        return list(np.array_split(order, range(batch_size, n, batch_size)))

    assert exercises.evaluate("05.3", with_shuffle).status == "correct"


def drops_ragged(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(n // batch_size)]


def not_shuffled(n, batch_size, rng):
    return [np.arange(n)[start:start + batch_size] for start in range(0, n, batch_size)]


def with_replacement(n, batch_size, rng):
    order = rng.integers(0, n, size=n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def global_generator(n, batch_size, rng):
    order = np.random.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def empty_last(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(n // batch_size + 1)]


def one_array(n, batch_size, rng):
    return rng.permutation(n).reshape(-1, 1) if batch_size == 1 else rng.permutation(n)[None, :]


def equal_pieces(n, batch_size, rng):  # array_split into the right number of nearly equal batches
    return np.array_split(rng.permutation(n), -(-n // batch_size))


@pytest.mark.parametrize("answer, phrase", [
    (drops_ragged, "dropped the ragged last one"),
    (not_shuffled, "stored order"),
    (with_replacement, "exactly once"),
    (global_generator, "rng you are given"),
    (empty_last, "empty batch"),
    (one_array, "list of 1-D index arrays"),
    (equal_pieces, "only the last may be smaller"),
])
def test_05_3_wrong_answers_teach(answer, phrase):
    result, text = evaluate("05.3", answer)
    assert result.status == "wrong", text
    assert phrase in text


def test_05_3_stub_and_crash():
    def stub(n, batch_size, rng):
        """The batches."""
        ...

    def crash(n, batch_size, rng):
        return [rng.permutation(n)[start:start + batch_size] for start in range(0, n, batch_size)][n]

    assert exercises.evaluate("05.3", stub).status == "not attempted"
    result, text = evaluate("05.3", crash)
    assert result.status == "wrong" and "IndexError" in text


# --- 05.4: the regression problem's limit -----------------------------------------------------------------------
def test_05_4_reference_is_the_notebooks_limit():
    X, y = gd.line_data(200, seed=42)
    A = np.column_stack([X, np.ones(len(y))])
    assert LIMIT_4 == pytest.approx(2 / np.linalg.eigvalsh(2 * A.T @ A / len(y)).max(), rel=1e-12)
    below = gd.minibatch_gradient_descent(X, y, [-1.0, -2.0], 0.99 * LIMIT_4, batch_size=200, epochs=2000)
    above = gd.minibatch_gradient_descent(X, y, [-1.0, -2.0], 1.01 * LIMIT_4, batch_size=200, epochs=2000)
    assert below["loss"][-1] < below["loss"][0] < above["loss"][-1]
    assert exercises.evaluate("05.4", LIMIT_4 + 0.004).status == "correct"


@pytest.mark.parametrize("factor, phrase", [
    (0.5, "factor of 0.5"),  # 1 / c_max: the steepest direction lands in one step
    (2.0, "leave out the 2"),  # the curvature taken as mean(a^2), without the 2
    (1.1, "too large"),
    (0.8, "still converges"),
])
def test_05_4_wrong_answers_teach(factor, phrase):
    result, text = evaluate("05.4", factor * LIMIT_4)
    assert result.status == "wrong", text
    assert phrase in text
    assert_hidden(text, LIMIT_4)


def test_05_4_eigenvalue_of_the_wrong_matrix():
    X, _ = gd.line_data(200, seed=42)
    A = np.column_stack([X, np.ones(len(X))])
    no_mean = 2 / np.linalg.eigvalsh(2 * A.T @ A).max()  # forgot the 1/n: n times too small
    result, text = evaluate("05.4", no_mean)
    assert result.status == "wrong" and "still converges" in text
    assert_hidden(text, LIMIT_4)


# --- 05.5: cosine decay -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("initial, decay_steps, alpha", nb05._SETTINGS_5 + [(1.0, 3, 0.5)])
def test_05_5_reference_matches_keras(initial, decay_steps, alpha):
    keras = pytest.importorskip("keras")
    schedule = keras.optimizers.schedules.CosineDecay(initial, decay_steps, alpha=alpha)
    steps = np.arange(0, 2 * decay_steps + 1)
    expected = np.array([float(schedule(int(k))) for k in steps])
    np.testing.assert_allclose(nb05.reference_cosine_decay(steps, initial, decay_steps, alpha), expected,
                               rtol=1e-6, atol=1e-9)


def right_cosine(step, initial_learning_rate, decay_steps, alpha=0.0):
    k = np.minimum(step, decay_steps)
    return initial_learning_rate * ((1 - alpha) * 0.5 * (1 + np.cos(np.pi * k / decay_steps)) + alpha)


def no_clip(step, initial_learning_rate, decay_steps, alpha=0.0):
    return initial_learning_rate * ((1 - alpha) * 0.5 * (1 + np.cos(np.pi * step / decay_steps)) + alpha)


def no_pi(step, initial_learning_rate, decay_steps, alpha=0.0):
    k = np.minimum(step, decay_steps)
    return initial_learning_rate * ((1 - alpha) * 0.5 * (1 + np.cos(k / decay_steps)) + alpha)


def alpha_unscaled(step, initial_learning_rate, decay_steps, alpha=0.0):
    k = np.minimum(step, decay_steps)
    return initial_learning_rate * 0.5 * (1 + np.cos(np.pi * k / decay_steps)) + alpha


def scalar_only(step, initial_learning_rate, decay_steps, alpha=0.0):
    return float(right_cosine(np.asarray(step)[0], initial_learning_rate, decay_steps, alpha))


def test_05_5_right_answer():
    assert exercises.evaluate("05.5", right_cosine).status == "correct"


@pytest.mark.parametrize("answer, phrase", [
    (no_clip, "except where step > decay_steps"),
    (no_pi, "wrong in"),
    (alpha_unscaled, "wrong in"),
    (scalar_only, "shape"),
])
def test_05_5_wrong_answers_teach(answer, phrase):
    result, text = evaluate("05.5", answer)
    assert result.status == "wrong", text
    assert phrase in text
    verdicts = "\n".join(line for line in text.splitlines() if "initial_learning_rate=" not in line)
    for initial, decay_steps, alpha in nb05._SETTINGS_5:  # no expected rate inside the decay is printed
        steps = np.arange(1, decay_steps)
        for rate in nb05.reference_cosine_decay(steps, initial, decay_steps, alpha):
            shown = f"{rate:.4g}"
            assert len(shown) < 5 or shown not in verdicts, (shown, verdicts)
