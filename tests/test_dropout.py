"""Tests of helpers.dropout (notebook 07): inverted dropout against its definition, finite differences,
tf.GradientTape and keras.layers.Dropout, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import helpers
from helpers import checks
from helpers.dropout import (
    dropout_backward,
    dropout_forward,
    dropout_mask,
    fit_full_batch,
    fit_many,
    mc_dropout_predict,
    plot_thinned_network,
)

helpers.setup(seed=0, quiet=True)

import keras  # noqa: E402  (after setup: quiet TensorFlow start-up)
import tensorflow as tf  # noqa: E402


def rng(seed=0):
    return np.random.default_rng(seed)


# --- the mask -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [0.1, 0.5, 0.8])
def test_mask_keeps_each_unit_with_probability_one_minus_rate(rate):
    n = 400_000
    mask = dropout_mask((n,), rate, rng(1))
    assert set(np.unique(mask)) <= {0.0, 1.0}
    se = np.sqrt(rate * (1 - rate) / n)
    assert abs((1 - mask.mean()) - rate) < 5 * se


def test_mask_entries_are_independent_across_positions():
    masks = dropout_mask((200_000, 2), 0.5, rng(2))
    corr = np.corrcoef(masks[:, 0], masks[:, 1])[0, 1]
    assert abs(corr) < 5 / np.sqrt(200_000)


def test_mask_rate_zero_keeps_everything_and_shapes_are_respected():
    assert np.all(dropout_mask((3, 4), 0.0, rng()) == 1)
    assert dropout_mask(5, 0.3, rng()).shape == (5,)
    assert dropout_mask((2, 3, 4), 0.3, rng()).shape == (2, 3, 4)


def test_mask_is_reproducible_from_the_seed():
    np.testing.assert_array_equal(dropout_mask((10, 10), 0.4, rng(3)), dropout_mask((10, 10), 0.4, rng(3)))


# --- forward --------------------------------------------------------------------------------------------

def test_forward_scales_kept_units_and_zeroes_dropped_ones():
    x = rng(4).normal(size=(50, 40))
    out, mask = dropout_forward(x, 0.2, rng(5))
    np.testing.assert_array_equal(out[mask == 1], x[mask == 1] * (1 / (1 - 0.2)))
    np.testing.assert_allclose(out[mask == 1], x[mask == 1] / 0.8, rtol=1e-15)
    assert np.all(out[mask == 0] == 0)


def test_forward_is_the_identity_at_inference():
    x = rng(6).normal(size=(7, 3))
    out, mask = dropout_forward(x, 0.9, training=False)
    np.testing.assert_array_equal(out, x)
    assert np.all(mask == 1)
    assert out is not x  # a copy: the caller's array is never shared


def test_forward_with_rate_zero_is_the_identity_in_training():
    x = rng(7).normal(size=(4, 4))
    np.testing.assert_array_equal(dropout_forward(x, 0.0, rng())[0], x)


def test_forward_expected_value_is_unchanged():
    p, n = 0.4, 300_000
    x = np.array([-3.0, 0.25, 2.0])
    out, _ = dropout_forward(np.tile(x, (n, 1)), p, rng(8))
    se = np.abs(x) * np.sqrt(p / (1 - p)) / np.sqrt(n)
    assert np.all(np.abs(out.mean(axis=0) - x) < 5 * se)
    # and the variance is x^2 p / (1 - p)
    np.testing.assert_allclose(out.var(axis=0), x**2 * p / (1 - p), rtol=0.02)


def test_forward_uses_a_given_mask():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    mask = np.array([[1, 0, 1], [0, 0, 1]])
    out, used = dropout_forward(x, 0.5, mask=mask)
    np.testing.assert_array_equal(out, [[2, 0, 6], [0, 0, 12]])
    np.testing.assert_array_equal(used, mask)


# --- backward -------------------------------------------------------------------------------------------

def test_backward_matches_finite_differences():
    p = 0.3
    x, w = rng(9).normal(size=(3, 4)), rng(10).normal(size=(3, 4))
    _, mask = dropout_forward(x, p, rng(11))
    numeric = checks.numerical_gradient(lambda z: np.sum(w * dropout_forward(z, p, mask=mask)[0]), x)
    np.testing.assert_allclose(dropout_backward(w, mask, p), numeric, atol=1e-7)


def test_backward_matches_gradient_tape_with_the_same_mask():
    p = 0.6
    x, w = rng(12).normal(size=(5, 6)), rng(13).normal(size=(5, 6))
    _, mask = dropout_forward(x, p, rng(14))
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * xv * mask / (1 - p))
    np.testing.assert_allclose(dropout_backward(w, mask, p), tape.gradient(loss, xv).numpy(), atol=1e-12)


def test_backward_passes_gradient_only_through_kept_units():
    mask = np.array([1.0, 0.0, 1.0, 0.0])
    grad = dropout_backward(np.ones(4), mask, 0.5)
    np.testing.assert_array_equal(grad, [2.0, 0.0, 2.0, 0.0])


# --- against keras.layers.Dropout ----------------------------------------------------------------------

def test_keras_dropout_statistics_match_ours():
    p = 0.35
    layer = keras.layers.Dropout(p, seed=3, dtype="float64")
    x = np.ones((400, 500))
    keras_dropped = (layer(x, training=True).numpy() == 0).mean()
    ours_dropped = (dropout_forward(x, p, rng(15))[0] == 0).mean()
    se = np.sqrt(p * (1 - p) / x.size)
    assert abs(keras_dropped - p) < 5 * se
    assert abs(ours_dropped - keras_dropped) < 7 * se


def test_keras_dropout_is_identity_at_inference():
    x = rng(16).normal(size=(8, 9))
    layer = keras.layers.Dropout(0.5, dtype="float64")
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    np.testing.assert_array_equal(layer(x).numpy(), x)  # the default is training=False


def test_ours_equals_keras_forward_and_backward_given_keras_mask():
    p = 0.25
    x = rng(17).uniform(1, 2, size=(6, 7))  # no zeros: a zero output means a dropped unit
    w = rng(18).normal(size=(6, 7))
    layer = keras.layers.Dropout(p, seed=4, dtype="float64")
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        out = layer(xv, training=True)
        loss = tf.reduce_sum(w * out)
    grad = tape.gradient(loss, xv).numpy()
    mask = (out.numpy() != 0).astype(float)
    assert 0 < mask.sum() < mask.size
    np.testing.assert_array_equal(dropout_forward(x, p, mask=mask)[0], out.numpy())
    np.testing.assert_allclose(dropout_backward(w, mask, p), grad, atol=1e-12)


# --- Monte Carlo dropout and the trainer ----------------------------------------------------------------

def _tiny_model(rate, seed=0):
    keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=(1,)), keras.layers.Dense(16, activation="relu")]
    if rate:
        layers.append(keras.layers.Dropout(rate))
    layers.append(keras.layers.Dense(1))
    return keras.Sequential(layers)


def test_mc_dropout_shapes_and_spread():
    x = np.linspace(0.5, 1.5, 5).reshape(-1, 1)  # not 0: a ReLU net with zero biases maps 0 to a constant
    mean, std, samples = mc_dropout_predict(_tiny_model(0.5), x, n_samples=50)
    assert mean.shape == (5, 1) and std.shape == (5, 1) and samples.shape == (50, 5, 1)
    np.testing.assert_allclose(mean, samples.mean(axis=0))
    assert np.all(std > 0)
    _, std0, _ = mc_dropout_predict(_tiny_model(0.0), x, n_samples=10)
    np.testing.assert_allclose(std0, 0, atol=1e-6)  # no dropout layer: every pass is the same


def test_fit_full_batch_matches_keras_fit():
    """Without dropout, our compiled loop and model.fit take the same full-batch Adam steps."""
    x = np.linspace(-2, 2, 20).reshape(-1, 1)
    y = np.sin(x)
    ours = _tiny_model(0.0, seed=1)
    hist = fit_full_batch(ours, x, y, x, y, epochs=15, learning_rate=0.01)
    theirs = _tiny_model(0.0, seed=1)
    theirs.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    fit = theirs.fit(x, y, batch_size=len(x), epochs=15, verbose=0, shuffle=False)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(hist["loss"], fit.history["loss"], rtol=1e-4)
    assert set(hist) == {"loss", "train_loss", "val_loss"}
    assert all(v.shape == (15,) for v in hist.values())
    assert hist["train_loss"][-1] < hist["train_loss"][0]


def _fit_both(build, x, y, *, epochs, loss, learning_rate=0.01):
    """Train two copies of the same model, one with fit_full_batch and one with model.fit; a third copy, with
    another initialisation seed, next to a fourth copy of the first in one fit_many: that copy must take
    fit_full_batch's steps (one Adam on the stack is one Adam per model)."""
    ours = build()
    hist = fit_full_batch(ours, x, y, x, y, epochs=epochs, loss=loss, learning_rate=learning_rate)
    theirs = build()
    theirs.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss)
    fit = theirs.fit(x, y, batch_size=len(x), epochs=epochs, verbose=0, shuffle=False)
    other_seed, stacked = build(seed=9), build()
    hists = fit_many([other_seed, stacked], x, y, x, y, epochs=epochs, loss=loss, learning_rate=learning_rate)
    for a, b in zip(stacked.get_weights(), ours.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    for key in ("loss", "train_loss", "val_loss"):
        np.testing.assert_allclose(hists[1][key], hist[key], rtol=1e-4)
    assert not np.allclose(hists[0]["loss"], hist["loss"])  # the other model really is another one
    return ours, hist, theirs, fit.history


def test_fit_full_batch_with_l2_penalty_matches_keras_fit():
    """The L2 kernel penalty (as notebook 07's build_mlp adds it) enters the objective and the steps
    exactly as it does in model.fit."""
    lam = 0.05

    def build(seed=2):
        keras.utils.set_random_seed(seed)
        return keras.Sequential([
            keras.Input(shape=(1,)),
            keras.layers.Dense(16, activation="relu", kernel_regularizer=keras.regularizers.L2(lam)),
            keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L2(lam)),
        ])

    x = np.linspace(-2, 2, 20).reshape(-1, 1)
    y = np.sin(x)
    ours, hist, theirs, fit = _fit_both(build, x, y, epochs=15, loss="mse")
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(hist["loss"], fit["loss"], rtol=1e-4)
    # by hand: the first recorded objective is the MSE of the initial weights plus lam * sum(w^2) over both
    # kernels (not the biases); the recorded train_loss is the plain MSE after the step, without the penalty
    start = build()
    mse_start = np.mean((start(x.astype(np.float32)).numpy() - y) ** 2)
    penalty = lam * sum(np.sum(layer.kernel.numpy().astype(np.float64) ** 2) for layer in start.layers)
    assert penalty > 0.05 * mse_start  # the penalty is not negligible: the comparison has teeth
    np.testing.assert_allclose(hist["loss"][0], mse_start + penalty, rtol=1e-5)
    prediction = ours(x.astype(np.float32), training=False).numpy()
    np.testing.assert_allclose(hist["train_loss"][-1], np.mean((prediction - y) ** 2), rtol=1e-5)


def test_fit_full_batch_with_binary_crossentropy_matches_keras_fit_and_hand_computation():
    def build(seed=3):
        keras.utils.set_random_seed(seed)
        return keras.Sequential([
            keras.Input(shape=(2,)),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.Dense(1, activation="sigmoid"),
        ])

    x = rng(19).normal(size=(24, 2))
    y = (x[:, :1] + 0.5 * x[:, 1:] > 0).astype(float)
    ours, hist, theirs, fit = _fit_both(build, x, y, epochs=15, loss="binary_crossentropy", learning_rate=0.05)
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(hist["loss"], fit["loss"], rtol=1e-4)
    # by hand: -mean(y log q + (1 - y) log(1 - q)) of the trained model's outputs q
    q = ours(x.astype(np.float32), training=False).numpy().astype(np.float64)
    by_hand = -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))
    np.testing.assert_allclose(hist["train_loss"][-1], by_hand, rtol=1e-4)
    assert hist["train_loss"][-1] < hist["train_loss"][0]


def test_fit_full_batch_with_dropout_objective_is_above_clean_training_loss():
    x = np.linspace(-2, 2, 20).reshape(-1, 1)
    hist = fit_full_batch(_tiny_model(0.5), x, np.sin(x), x, np.sin(x), epochs=100)
    assert hist["loss"][-50:].mean() > hist["train_loss"][-50:].mean()


def _mlp(rate=0.0, l2=0.0, seed=0, hidden=(16, 16), activation="relu", n_inputs=1, output="linear"):
    """A small notebook-07-style MLP (Dense layers, a Dropout after each hidden one when rate > 0)."""
    keras.utils.set_random_seed(seed)
    reg = keras.regularizers.L2(l2) if l2 else None
    layers = [keras.Input(shape=(n_inputs,))]
    for i, units in enumerate(hidden):
        layers.append(keras.layers.Dense(units, activation=activation, kernel_regularizer=reg))
        if rate:
            layers.append(keras.layers.Dropout(rate, seed=seed + i + 1))
    layers.append(keras.layers.Dense(1, activation=output))
    return keras.Sequential(layers)


def test_fit_many_dropout_objective_has_the_expected_value_of_inverted_dropout():
    """A linear model with Dropout(p) on its inputs: averaged over masks, the first objective is
    mean((x w + b - y)^2) + p / (1 - p) * mean(sum_d x_d^2 w_d^2). Many examples average the masks out; a wrong
    rate, a missing 1 / (1 - p) or masks shared across examples would all miss it by far."""
    p, n, d = 0.3, 20_000, 5
    x = rng(21).normal(size=(n, d))
    y = rng(22).normal(size=(n, 1))
    keras.utils.set_random_seed(4)
    model = keras.Sequential([keras.Input(shape=(d,)), keras.layers.Dropout(p), keras.layers.Dense(1)])
    w, b = (v.copy() for v in model.get_weights())
    (hist,) = fit_many([model], x, y, x[:10], y[:10], epochs=1, seed=5)
    expected = np.mean((x @ w + b - y) ** 2) + p / (1 - p) * np.mean((x**2) @ (w**2))
    assert hist["loss"][0] == pytest.approx(expected, rel=0.02)
    assert abs(hist["loss"][0] - np.mean((x @ w + b - y) ** 2)) > 0.1 * expected  # dropout's share is visible


def test_fit_many_records_the_last_epochs_and_writes_the_weights_back():
    x = np.linspace(-2, 2, 20).reshape(-1, 1)
    models = [_mlp(rate=0.5, seed=5), _mlp(seed=6)]
    hists = fit_many(models, x, np.sin(x), x, np.sin(x), epochs=30, record_last=5, seed=1)
    for hist, model in zip(hists, models, strict=True):
        assert hist["loss"].shape == (30,) and hist["train_loss"].shape == hist["val_loss"].shape == (5,)
        prediction = model(x.astype(np.float32), training=False).numpy()
        np.testing.assert_allclose(hist["train_loss"][-1], np.mean((prediction - np.sin(x)) ** 2), rtol=1e-5)
    assert hists[0]["loss"][-5:].mean() > hists[0]["train_loss"].mean()  # dropout inflates the objective
    np.testing.assert_allclose(hists[1]["loss"][-1], hists[1]["train_loss"][-2], rtol=1e-5)  # no dropout: equal


def test_fit_many_restore_best_keeps_the_weights_of_the_lowest_validation_loss_and_patience_stops():
    x = np.linspace(-3, 3, 15).reshape(-1, 1)
    y = np.sin(x) + 0.5 * rng(23).normal(size=x.shape)
    x_val = np.linspace(-3, 3, 50).reshape(-1, 1)
    models = [_mlp(seed=7, hidden=(64, 64)), _mlp(seed=8, hidden=(64, 64))]
    hists = fit_many(models, x, y, x_val, np.sin(x_val), epochs=200, restore_best=True, patience=10)
    ran = len(hists[0]["val_loss"])
    assert ran < 200 and all(len(h["loss"]) == len(h["train_loss"]) == ran for h in hists)
    for hist in hists:
        assert hist["best_epoch"] == int(np.argmin(hist["val_loss"])) + 1
        assert 1 < hist["best_epoch"], hist["best_epoch"]  # a real early stop, so the test has teeth
    waits = [ran - h["best_epoch"] for h in hists]
    assert min(waits) == 10, waits  # every model waited 10 epochs or more, the last one exactly 10
    # the weights kept are those of the best epoch: the same as a run of exactly that many epochs
    rerun = _mlp(seed=8, hidden=(64, 64))
    (again,) = fit_many([rerun], x, y, x_val, np.sin(x_val), epochs=hists[1]["best_epoch"])
    np.testing.assert_allclose(again["val_loss"], hists[1]["val_loss"][:hists[1]["best_epoch"]], rtol=1e-6)
    for a, b in zip(models[1].get_weights(), rerun.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_fit_many_rejects_models_it_cannot_stack():
    x, y = np.ones((4, 1)), np.ones((4, 1))
    with pytest.raises(TypeError, match="models must be a non-empty list"):
        fit_many([], x, y, x, y, epochs=1)
    with pytest.raises(TypeError, match="models must be a non-empty list"):
        fit_many(_mlp(), x, y, x, y, epochs=1)
    with pytest.raises(ValueError, match=r"models\[1\] has Dense layers"):
        fit_many([_mlp(), _mlp(hidden=(8, 16))], x, y, x, y, epochs=1)
    with pytest.raises(ValueError, match=r"other activations"):
        fit_many([_mlp(), _mlp(activation="tanh")], x, y, x, y, epochs=1)
    with pytest.raises(ValueError, match="only Dense and Dropout layers"):
        fit_many([keras.Sequential([keras.Input(shape=(1,)), keras.layers.BatchNormalization(),
                                    keras.layers.Dense(1)])], x, y, x, y, epochs=1)
    with pytest.raises(ValueError, match="ends in a Dropout layer"):
        fit_many([keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(1), keras.layers.Dropout(0.5)])],
                 x, y, x, y, epochs=1)
    with pytest.raises(ValueError, match="only an L2 kernel regularizer"):
        fit_many([keras.Sequential([keras.Input(shape=(1,)),
                                    keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L1(0.1))])],
                 x, y, x, y, epochs=1)
    with pytest.raises(ValueError, match=r"x must have 2 column\(s\)"):
        fit_many([_mlp(n_inputs=2)], x, y, x, y, epochs=1)
    with pytest.raises(ValueError, match="record_last must be <= 3"):
        fit_many([_mlp()], x, y, x, y, epochs=3, record_last=4)
    with pytest.raises(TypeError, match="restore_best must be True or False"):
        fit_many([_mlp()], x, y, x, y, epochs=3, restore_best=1)
    with pytest.raises(ValueError, match="seed must be >= 0"):
        fit_many([_mlp()], x, y, x, y, epochs=3, seed=-1)
    with pytest.raises(ValueError, match="patience needs restore_best=True"):
        fit_many([_mlp()], x, y, x, y, epochs=3, patience=2)
    with pytest.raises(ValueError, match="patience needs restore_best=True and every epoch recorded"):
        fit_many([_mlp()], x, y, x, y, epochs=3, patience=2, restore_best=True, record_last=2)


def test_plot_thinned_network_draws():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = plot_thinned_network([np.ones(2), np.array([1, 0, 1]), np.ones(1)], title="t")
    assert ax.get_title() == "t" and ax.get_legend() is None
    ax = plot_thinned_network([np.ones(2), np.array([1, 0, 1]), np.ones(1)], legend=True)
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["unit kept", "unit dropped"]
    plt.close("all")


# --- bad input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5])
def test_rate_outside_zero_one_is_rejected(rate):
    with pytest.raises(ValueError, match=r"rate must be"):
        dropout_forward(np.ones(3), rate, rng())
    with pytest.raises(ValueError, match=r"rate must be"):
        dropout_mask((3,), rate, rng())
    with pytest.raises(ValueError, match=r"rate must be"):
        dropout_backward(np.ones(3), np.ones(3), rate)


def test_rate_of_wrong_type_is_rejected():
    with pytest.raises(TypeError, match="rate must be a real number"):
        dropout_forward(np.ones(3), "0.5", rng())
    with pytest.raises(ValueError, match="rate must be finite"):
        dropout_forward(np.ones(3), float("nan"), rng())


def test_non_finite_input_is_rejected():
    with pytest.raises(ValueError, match="x must be finite"):
        dropout_forward(np.array([1.0, np.nan]), 0.5, rng())
    with pytest.raises(ValueError, match="grad_out must be finite"):
        dropout_backward(np.array([np.inf, 1.0]), np.ones(2), 0.5)


def test_wrong_shapes_are_rejected():
    shape_msg = r"mask must have the shape of the activations "
    with pytest.raises(ValueError, match=shape_msg + r"\(2, 3\), got shape \(3, 2\)"):
        dropout_forward(np.ones((2, 3)), 0.5, mask=np.ones((3, 2)))
    with pytest.raises(ValueError, match=shape_msg + r"\(4,\), got shape \(3,\)"):
        dropout_backward(np.ones(4), np.ones(3), 0.5)
    with pytest.raises(ValueError, match=r"x must have 2 dimension\(s\)"):
        mc_dropout_predict(_tiny_model(0.5), np.ones(3))
    with pytest.raises(ValueError, match=r"y must have shape \(3, 1\)"):
        fit_full_batch(_tiny_model(0.0), np.ones((3, 1)), np.ones((4, 1)), np.ones((2, 1)), np.ones((2, 1)),
                       epochs=1)
    with pytest.raises(ValueError, match=r"x_val must have shape \(any, 1\)"):
        fit_full_batch(_tiny_model(0.0), np.ones((3, 1)), np.ones((3, 1)), np.ones((2, 2)), np.ones((2, 1)),
                       epochs=1)


def test_bad_mask_values_and_other_arguments_are_rejected():
    with pytest.raises(ValueError, match=r"mask must hold only 0 \(dropped\) and 1 \(kept\), got 0\.5 at index \(1,\)"):
        dropout_forward(np.ones(3), 0.5, mask=np.array([1, 0.5, 0]))
    with pytest.raises(ValueError, match=r"got 2\.0 at index \(1, 0\) \(2 bad entries in all\)"):
        dropout_backward(np.ones((2, 2)), np.array([[1, 0], [2, -1]]), 0.5)
    with pytest.raises(ValueError, match="needs rng"):
        dropout_forward(np.ones(3), 0.5)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        dropout_forward(np.ones(3), 0.5, 42)
    with pytest.raises(TypeError, match="training must be True or False"):
        dropout_forward(np.ones(3), 0.5, rng(), training="no")
    with pytest.raises(TypeError, match="shape must be a tuple"):
        dropout_mask([2, 3], 0.5, rng())
    with pytest.raises(ValueError, match="shape entry must be >= 0"):
        dropout_mask((2, -1), 0.5, rng())
    with pytest.raises(ValueError, match="n_samples must be >= 2"):
        mc_dropout_predict(_tiny_model(0.5), np.ones((3, 1)), n_samples=1)
    with pytest.raises(TypeError, match="model must be callable"):
        mc_dropout_predict("model", np.ones((3, 1)))
    with pytest.raises(ValueError, match="loss must be one of"):
        fit_full_batch(_tiny_model(0.0), np.ones((3, 1)), np.ones((3, 1)), np.ones((2, 1)), np.ones((2, 1)),
                       epochs=1, loss="hinge")
    with pytest.raises(ValueError, match="epochs must be >= 1"):
        fit_full_batch(_tiny_model(0.0), np.ones((3, 1)), np.ones((3, 1)), np.ones((2, 1)), np.ones((2, 1)),
                       epochs=0)
    with pytest.raises(TypeError, match="masks must be a list"):
        plot_thinned_network(np.ones(3))
    with pytest.raises(TypeError, match="legend must be True or False"):
        plot_thinned_network([np.ones(2), np.ones(1)], legend="yes")
