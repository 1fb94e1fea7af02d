"""Tests of helpers.evaluation (notebook 08): side-by-side network copies against plain Keras ``fit``, the paired
bootstrap against scikit-learn, costs, thresholds, calibration points, group rates, the model card, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

import helpers
from helpers import evaluation

helpers.setup(0, quiet=True)
import keras  # noqa: E402  (after the quiet TensorFlow start-up)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(95, 4)).astype("float32")
Y = (RNG.random(95) < 0.3).astype(float)


def small():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="relu"),
                             keras.layers.Dense(3, activation="tanh"), keras.layers.Dense(1, activation="sigmoid")])


def with_dropout():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dropout(0.5),
                             keras.layers.Dense(1, activation="sigmoid")])


# ---------------------------------------------------------------------------------------------- fit_copies
@pytest.mark.parametrize("jit", [False, True])
def test_each_copy_follows_keras_fit_on_its_own_rows(jit):
    """Two copies, each with its own rows and a ragged last batch (43 rows, batches of 10), trained side by side,
    end with the weights that a plain model.fit reaches from the same seed and the same batches."""
    rows = [np.arange(0, 43), np.arange(40, 83)]
    result = evaluation.fit_copies(small, lambda: keras.optimizers.Adamax(), X, Y, rows, batch_size=10, epochs=3,
                                   shuffle=False, seed=5, jit=jit)
    assert result["epochs"] == 3 and result["train_loss"].shape == (3, 2)
    for j in range(2):
        keras.utils.set_random_seed(5 + j)
        model = small()
        model.compile(optimizer=keras.optimizers.Adamax(), loss="binary_crossentropy")
        history = model.fit(X[rows[j]], Y[rows[j]], batch_size=10, epochs=3, shuffle=False, verbose=0)
        for ours, theirs in zip(result["weights"], model.get_weights(), strict=True):
            np.testing.assert_allclose(ours[j], theirs, atol=2e-6)
        np.testing.assert_allclose(result["train_loss"][:, j], history.history["loss"], rtol=1e-5)
        reference = model.predict(X, verbose=0).ravel()
        np.testing.assert_allclose(evaluation.predict_copies(result, X)[j], reference, atol=1e-6)
        np.testing.assert_allclose(evaluation.copy_model(small, result, j).predict(X, verbose=0).ravel(), reference,
                                   atol=1e-6)


def test_per_copy_inputs_and_out_of_fold_predictions():
    folds = [(np.arange(0, 60), np.arange(60, 95)), (np.arange(35, 95), np.arange(0, 35))]
    xs = np.stack([X, X * 2])
    result = evaluation.fit_copies(small, lambda: keras.optimizers.Adam(0.01), xs, Y, [t for t, v in folds],
                                   val_rows=[v for t, v in folds], batch_size=16, epochs=4, seed=1, jit=False)
    p = evaluation.predict_copies(result, xs)
    for j, (_, val) in enumerate(folds):
        np.testing.assert_allclose(result["oof"][val], p[j, val], atol=1e-6)
        assert result["val_auc"][j] == pytest.approx(roc_auc_score(Y[val], p[j, val]))
    assert result["val_loss"].shape == (4, 2)
    never_held_out = np.arange(35, 60)
    assert np.isnan(result["oof"][never_held_out]).all()
    assert np.isfinite(np.delete(result["oof"], never_held_out)).all()


def test_early_stopping_keeps_the_best_epoch_of_the_mean_validation_loss():
    rows, val = [np.arange(0, 60)] * 2, [np.arange(60, 95)] * 2
    result = evaluation.fit_copies(with_dropout, lambda: keras.optimizers.Adam(0.05), X, Y, rows, val_rows=val,
                                   batch_size=8, epochs=60, patience=3, seed=2, jit=False)
    mean = result["val_loss"].mean(axis=1)
    run = len(mean)
    assert result["epochs"] == int(np.argmin(mean)) + 1
    assert run == 60 or run - result["epochs"] == 3
    # the kept weights are those of the best epoch: their validation loss is the best one recorded
    p = evaluation.predict_copies(result, X)
    losses = [-np.mean(Y[v] * np.log(np.clip(p[j, v], 1e-7, 1)) + (1 - Y[v]) * np.log(np.clip(1 - p[j, v], 1e-7, 1)))
              for j, v in enumerate(val)]
    assert np.mean(losses) == pytest.approx(mean.min(), rel=1e-4)


def test_dropout_copies_differ_and_are_reproducible():
    rows = [np.arange(95)] * 3
    a = evaluation.fit_copies(with_dropout, lambda: keras.optimizers.Adam(0.01), X, Y, rows, batch_size=10, epochs=2)
    b = evaluation.fit_copies(with_dropout, lambda: keras.optimizers.Adam(0.01), X, Y, rows, batch_size=10, epochs=2)
    for wa, wb in zip(a["weights"], b["weights"], strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert not np.allclose(a["weights"][0][0], a["weights"][0][1])


@pytest.mark.parametrize("kwargs, error, phrase", [
    ({"train_rows": np.arange(10)}, TypeError, "train_rows must be a non-empty list"),
    ({"train_rows": [np.arange(10), np.arange(25)]}, ValueError, "same number of batches"),
    ({"train_rows": [np.array([0, 0, 1])]}, ValueError, "distinct row indices"),
    ({"train_rows": [np.array([0, 200])]}, ValueError, "between 0 and 94"),
    ({"batch_size": 0}, ValueError, "batch_size"),
    ({"patience": 2}, ValueError, "patience needs val_rows"),
    ({"x": X[:, :3]}, ValueError, "4 features"),
    ({"y": Y * 2}, ValueError, "0/1 labels"),
    ({"build": lambda: keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])}, ValueError, "sigmoid"),
    ({"build": lambda: keras.Sequential([keras.Input((4,)), keras.layers.BatchNormalization(),
                                         keras.layers.Dense(1, activation="sigmoid")])}, ValueError, "only Dense"),
    ({"optimizer": "adam"}, TypeError, "optimizer"),
])
def test_fit_copies_refuses_bad_input(kwargs, error, phrase):
    args = {"build": small, "optimizer": lambda: keras.optimizers.Adam(), "x": X, "y": Y,
            "train_rows": [np.arange(20)], "batch_size": 10, "epochs": 1}
    args.update(kwargs)
    with pytest.raises(error, match=phrase):
        evaluation.fit_copies(args.pop("build"), args.pop("optimizer"), args.pop("x"), args.pop("y"),
                              args.pop("train_rows"), **args)


def test_copy_model_refuses_another_architecture():
    result = evaluation.fit_copies(small, lambda: keras.optimizers.Adam(), X, Y, [np.arange(20)], batch_size=10,
                                   epochs=1, jit=False)
    with pytest.raises(ValueError, match="architecture"):
        evaluation.copy_model(with_dropout, result, 0)
    with pytest.raises(ValueError, match="j"):
        evaluation.copy_model(small, result, 1)
    with pytest.raises(TypeError, match="fit_copies"):
        evaluation.predict_copies({"weights": []}, X)


# ---------------------------------------------------------------------------------------------- bootstrap
def test_bootstrap_weights_count_draws_with_replacement():
    w = evaluation.bootstrap_weights(50, resamples=200, seed=3)
    assert w.shape == (200, 50) and np.all(w.sum(axis=1) == 50) and np.all(w >= 0)
    assert (w == 0).mean() == pytest.approx((1 - 1 / 50) ** 50, abs=0.03)  # about 36 % of rows left out
    np.testing.assert_array_equal(w, evaluation.bootstrap_weights(50, resamples=200, seed=3))


def test_auc_equals_sklearn_with_ties_and_weights():
    y = (RNG.random(300) < 0.3).astype(float)
    p = np.round(RNG.random(300) + 0.4 * y, 1)  # many ties
    assert evaluation.auc(y, p) == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    w = evaluation.bootstrap_weights(300, resamples=20, seed=1)
    got = evaluation.auc(y, p, w)
    for i in range(20):
        assert got[i] == pytest.approx(roc_auc_score(y, p, sample_weight=w[i]), abs=1e-12)
    assert evaluation.auc(y, p, w[0]) == pytest.approx(got[0])


def test_interval_and_verdict():
    values = np.arange(1001) / 1000
    assert evaluation.interval(values) == pytest.approx((0.025, 0.975))
    assert evaluation.verdict(0.01, 0.03, "a", "b") == "a is better"
    assert evaluation.verdict(-0.03, -0.01, "a", "b") == "b is better"
    assert evaluation.verdict(-0.01, 0.03) == "within noise"
    with pytest.raises(ValueError, match="low must not exceed high"):
        evaluation.verdict(0.2, 0.1)
    with pytest.raises(ValueError, match="level"):
        evaluation.interval(values, level=1.5)


# ---------------------------------------------------------------------------------------------- decisions
def test_expected_cost_and_threshold():
    y = np.array([1, 1, 0, 0, 0])
    p = np.array([0.9, 0.2, 0.3, 0.1, 0.05])
    # t = 0.25: flags 0.9 and 0.3: one miss (0.2), one alarm (0.3)
    assert evaluation.expected_cost(y, p, 0.25, 5, 1) == pytest.approx((5 + 1) / 5)
    assert evaluation.expected_cost(y, p, 0.0, 5, 1) == pytest.approx(3 / 5)  # flag everyone: 3 alarms
    assert evaluation.expected_cost(y, p, 1.1, 5, 1) == pytest.approx(10 / 5)  # flag no one: 2 misses
    assert evaluation.cost_threshold(y, p, 5, 1) == pytest.approx(0.11)  # flags 0.9, 0.2, 0.3: one alarm
    w = np.array([[1, 1, 1, 1, 1], [2, 0, 1, 1, 1]], dtype=float)
    np.testing.assert_allclose(evaluation.expected_cost(y, p, 0.25, 5, 1, weights=w), [6 / 5, 1 / 5])
    with pytest.raises(ValueError, match="cost_miss"):
        evaluation.expected_cost(y, p, 0.5, -1, 1)


def test_rates_and_reliability():
    y = np.array([1, 1, 0, 0, 0, 0])
    flagged = np.array([1, 0, 1, 0, 0, 0])
    assert evaluation.rates(y, flagged) == pytest.approx({"recall": 0.5, "false-positive rate": 0.25,
                                                          "flag rate": 2 / 6})
    points = evaluation.reliability(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.7, 0.9]), bins=2)
    np.testing.assert_allclose(points["predicted"], [0.15, 0.8])
    np.testing.assert_allclose(points["observed"], [0, 1])
    np.testing.assert_array_equal(points["count"], [2, 2])
    with pytest.raises(ValueError, match="same length"):
        evaluation.rates(y, flagged[:3])


# ---------------------------------------------------------------------------------------------- model card
def test_model_card_is_written_as_json_and_markdown(tmp_path):
    card = {"title": "A card", "Intended use": "ranking", "Limits": ["one", "two"],
            "Subgroups": [{"group": "a", "recall": "0.5"}, {"group": "b", "recall": "0.6"}]}
    paths = evaluation.write_model_card(tmp_path / "m", card)
    assert json.loads(paths["json"].read_text(encoding="utf-8")) == card
    text = paths["markdown"].read_text(encoding="utf-8")
    assert text.startswith("# A card") and "## Limits" in text and "- two" in text
    assert "| group | recall |" in text and "| b | 0.6 |" in text
    with pytest.raises(TypeError, match="title"):
        evaluation.write_model_card(tmp_path, {"Limits": []})
    with pytest.raises(TypeError, match="card\\['x'\\]"):
        evaluation.write_model_card(tmp_path, {"title": "t", "x": 3})
