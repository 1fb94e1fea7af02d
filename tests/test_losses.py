"""Unit tests for helpers.losses: values against keras.losses, gradients against finite differences and
tf.GradientTape, numerical safety, and bad input."""

import numpy as np
import pytest

from helpers import losses as L
from helpers.checks import numerical_gradient

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

RNG = np.random.default_rng(3)
N, K = 7, 4
Y_BIN = np.array([1.0, 0, 0, 1, 0, 1, 1])
P_BIN = RNG.uniform(0.05, 0.95, N)
Z_BIN = RNG.normal(0, 3, N)
Y_CAT = np.eye(K)[RNG.integers(0, K, N)]
Z_CAT = RNG.normal(0, 2, (N, K))
P_CAT = np.exp(Z_CAT) / np.exp(Z_CAT).sum(axis=1, keepdims=True)
Y_REG = RNG.normal(size=(N, 3))
P_REG = RNG.normal(size=(N, 3))
W = RNG.uniform(0.2, 3.0, N)


def keras_loss(cls, y, p, sample_weight=None, **kwargs):
    """A keras.losses class with its default reduction, computed in float64."""
    return float(cls(dtype="float64", **kwargs)(y, p, sample_weight=sample_weight))


# --- values against Keras ---------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(N,), (N, 1), (N, 3)])
def test_mse_mae_match_keras(shape):
    y, p = Y_REG.ravel()[: np.prod(shape)].reshape(shape), P_REG.ravel()[: np.prod(shape)].reshape(shape)
    assert L.mse(y, p) == pytest.approx(keras_loss(keras.losses.MeanSquaredError, y, p), abs=1e-6)
    assert L.mae(y, p) == pytest.approx(keras_loss(keras.losses.MeanAbsoluteError, y, p), abs=1e-6)


@pytest.mark.parametrize("shape", [(N,), (N, 1)])
def test_sse_matches_keras_sum_reduction(shape):
    # one output per sample: Keras's per-sample squared error summed over the samples is the SSE
    y, p = Y_REG[:, 0].reshape(shape), P_REG[:, 0].reshape(shape)
    keras_sse = keras.losses.MeanSquaredError(reduction="sum", dtype="float64")
    y2, p2 = y.reshape(N, 1), p.reshape(N, 1)
    assert L.sse(y, p) == pytest.approx(float(keras_sse(y2, p2)), rel=1e-12, abs=1e-6)
    v = tf.Variable(p2, dtype=tf.float64)
    with tf.GradientTape() as tape:
        value = keras_sse(tf.constant(y2), v)
    np.testing.assert_allclose(L.sse_grad(y, p).reshape(N, 1), tape.gradient(value, v).numpy(),
                               rtol=1e-10, atol=1e-14)


def test_sse_is_n_times_mse():
    assert L.sse(Y_REG, P_REG) == pytest.approx(Y_REG.size * L.mse(Y_REG, P_REG), rel=1e-12)
    assert L.sse([1.0, 2.0], [0.0, 4.0]) == 5.0
    np.testing.assert_allclose(L.sse_grad(Y_REG, P_REG), Y_REG.size * L.mse_grad(Y_REG, P_REG))


@pytest.mark.parametrize("shape", [(N,), (N, 1)])
def test_binary_cross_entropy_matches_keras(shape):
    y, p, z = Y_BIN.reshape(shape), P_BIN.reshape(shape), Z_BIN.reshape(shape)
    bce = keras.losses.BinaryCrossentropy
    assert L.binary_cross_entropy(y, p) == pytest.approx(keras_loss(bce, y, p), abs=1e-6)
    assert L.binary_cross_entropy(y, z, from_logits=True) == pytest.approx(
        keras_loss(bce, y, z, from_logits=True), abs=1e-6
    )


def test_categorical_cross_entropy_matches_keras():
    cce = keras.losses.CategoricalCrossentropy
    assert L.categorical_cross_entropy(Y_CAT, P_CAT) == pytest.approx(keras_loss(cce, Y_CAT, P_CAT), abs=1e-6)
    assert L.categorical_cross_entropy(Y_CAT, Z_CAT, from_logits=True) == pytest.approx(
        keras_loss(cce, Y_CAT, Z_CAT, from_logits=True), abs=1e-6
    )


def test_sample_weight_matches_keras_for_column_outputs():
    y, p, z = Y_BIN[:, None], P_BIN[:, None], Z_BIN[:, None]
    bce = keras.losses.BinaryCrossentropy
    assert L.binary_cross_entropy(y, p, sample_weight=W) == pytest.approx(keras_loss(bce, y, p, W), abs=1e-6)
    assert L.binary_cross_entropy(y, z, True, W) == pytest.approx(keras_loss(bce, y, z, W, from_logits=True))
    mse_k = keras_loss(keras.losses.MeanSquaredError, Y_REG, P_REG, W)
    assert L.mse(Y_REG, P_REG, sample_weight=W) == pytest.approx(mse_k, abs=1e-6)
    cce_k = keras_loss(keras.losses.CategoricalCrossentropy, Y_CAT, P_CAT, W)
    assert L.categorical_cross_entropy(Y_CAT, P_CAT, sample_weight=W) == pytest.approx(cce_k, abs=1e-6)
    # weights of 1 change nothing
    assert L.binary_cross_entropy(y, p, sample_weight=np.ones(N)) == pytest.approx(
        L.binary_cross_entropy(y, p)
    )


def test_closed_form_values():
    assert L.binary_cross_entropy([1.0], [0.5]) == pytest.approx(np.log(2))
    assert L.binary_cross_entropy([1.0], [0.0], from_logits=True) == pytest.approx(np.log(2))
    assert L.categorical_cross_entropy(
        [[0.0, 1.0, 0.0]], [[0.0, 0.0, 0.0]], from_logits=True
    ) == pytest.approx(np.log(3))
    assert L.mae([0.0, 0.0], [1.0, -3.0]) == 2.0


# --- numerical safety -------------------------------------------------------------------------------------
def test_cross_entropy_is_finite_at_the_extremes():
    y, z = np.array([1.0, 0.0, 1.0, 0.0]), np.array([1000.0, -1000.0, -1000.0, 1000.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert L.binary_cross_entropy(y, z, from_logits=True) == pytest.approx(
            500.0
        )  # (0 + 0 + 1000 + 1000) / 4
        g = L.binary_cross_entropy_grad(y, z, from_logits=True)
        np.testing.assert_allclose(g, [0, 0, -0.25, 0.25])
        loss_p = L.binary_cross_entropy([1.0, 0.0], [0.0, 1.0])
        assert np.isfinite(loss_p) and loss_p == pytest.approx(-np.log(L.EPSILON), rel=1e-6)
        assert np.all(np.isfinite(L.binary_cross_entropy_grad([1.0, 0.0], [0.0, 1.0])))
        zc = np.array([[1000.0, -1000.0, 0.0]])
        assert L.categorical_cross_entropy([[0.0, 1.0, 0.0]], zc, from_logits=True) == pytest.approx(2000.0)
        np.testing.assert_allclose(
            L.categorical_cross_entropy_grad([[0.0, 1.0, 0.0]], zc, True), [[1, -1, 0]]
        )


# --- gradients --------------------------------------------------------------------------------------------
CASES = [
    ("mse", L.mse, L.mse_grad, Y_REG, P_REG, {}),
    ("mse_w", L.mse, L.mse_grad, Y_REG, P_REG, {"sample_weight": W}),
    ("sse", L.sse, L.sse_grad, Y_REG, P_REG, {}),
    ("mae", L.mae, L.mae_grad, Y_REG, P_REG, {}),
    ("bce_p", L.binary_cross_entropy, L.binary_cross_entropy_grad, Y_BIN, P_BIN, {}),
    ("bce_p_2d", L.binary_cross_entropy, L.binary_cross_entropy_grad, Y_BIN[:, None], P_BIN[:, None], {}),
    ("bce_z", L.binary_cross_entropy, L.binary_cross_entropy_grad, Y_BIN, Z_BIN, {"from_logits": True}),
    (
        "bce_z_w",
        L.binary_cross_entropy,
        L.binary_cross_entropy_grad,
        Y_BIN,
        Z_BIN,
        {"from_logits": True, "sample_weight": W},
    ),
    ("cce_p", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, Y_CAT, P_CAT, {}),
    (
        "cce_z",
        L.categorical_cross_entropy,
        L.categorical_cross_entropy_grad,
        Y_CAT,
        Z_CAT,
        {"from_logits": True},
    ),
    (
        "cce_z_w",
        L.categorical_cross_entropy,
        L.categorical_cross_entropy_grad,
        Y_CAT,
        Z_CAT,
        {"from_logits": True, "sample_weight": W},
    ),
]


@pytest.mark.parametrize("name,f,grad,y,p,kw", CASES, ids=[c[0] for c in CASES])
def test_gradient_matches_finite_differences(name, f, grad, y, p, kw):
    g = grad(y, p, **kw)
    assert g.shape == p.shape
    np.testing.assert_allclose(g, numerical_gradient(lambda q: f(y, q, **kw), p), atol=1e-6)


def _tf_mean(per_sample, w):
    return tf.reduce_mean(per_sample) if w is None else tf.reduce_sum(w * per_sample) / per_sample.shape[0]


@pytest.mark.parametrize("w", [None, W])
def test_gradients_match_gradient_tape(w):
    """Differentiate Keras's own losses (float64) with tf.GradientTape and compare."""

    def tape_grad(loss_fn, y, p):
        v = tf.Variable(p, dtype=tf.float64)
        with tf.GradientTape() as tape:
            loss = _tf_mean(loss_fn(tf.constant(y), v), None if w is None else tf.constant(w))
        return tape.gradient(loss, v).numpy()

    kl = keras.losses
    checks = [
        (L.mse_grad, lambda y, p: kl.mean_squared_error(y, p), Y_REG, P_REG, {}),
        (L.mae_grad, lambda y, p: kl.mean_absolute_error(y, p), Y_REG, P_REG, {}),
        (
            L.binary_cross_entropy_grad,
            lambda y, p: kl.binary_crossentropy(y, p),
            Y_BIN[:, None],
            P_BIN[:, None],
            {},
        ),
        (
            L.binary_cross_entropy_grad,
            lambda y, p: kl.binary_crossentropy(y, p, from_logits=True),
            Y_BIN[:, None],
            Z_BIN[:, None],
            {"from_logits": True},
        ),
        # from probabilities, our formula -sum(y log p) (Keras also renormalises p, which moves its gradient)
        (
            L.categorical_cross_entropy_grad,
            lambda y, p: -tf.reduce_sum(y * tf.math.log(p), axis=1),
            Y_CAT,
            P_CAT,
            {},
        ),
        (
            L.categorical_cross_entropy_grad,
            lambda y, p: kl.categorical_crossentropy(y, p, from_logits=True),
            Y_CAT,
            Z_CAT,
            {"from_logits": True},
        ),
    ]
    for grad, loss_fn, y, p, kw in checks:
        np.testing.assert_allclose(
            grad(y, p, sample_weight=w, **kw), tape_grad(loss_fn, y, p), rtol=1e-10, atol=1e-14,
            err_msg=grad.__name__,
        )


def test_gradient_is_zero_where_the_clip_makes_the_loss_flat():
    # p beyond the clip range [EPSILON, 1 - EPSILON]: the loss is constant there, so is Keras's (clip_by_value)
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    p = np.array([[1e-9], [1 - 1e-9], [0.3], [0.6]])
    g = L.binary_cross_entropy_grad(y, p)
    assert g[0, 0] == 0.0 and g[1, 0] == 0.0 and np.all(g[2:] != 0)
    v = tf.Variable(p, dtype=tf.float64)
    with tf.GradientTape() as tape:
        value = keras.losses.BinaryCrossentropy(dtype="float64")(tf.constant(y), v)
    np.testing.assert_allclose(g, tape.gradient(value, v).numpy(), rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(g, numerical_gradient(lambda q: L.binary_cross_entropy(y, q), p, eps=1e-10),
                               rtol=1e-4, atol=1e-12)
    yc = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    pc = np.array([[1e-9, 0.5, 0.5 - 1e-9], [0.2, 0.3, 0.5]])
    gc = L.categorical_cross_entropy_grad(yc, pc)
    assert gc[0, 0] == 0.0 and gc[1, 1] == pytest.approx(-1 / 0.3 / 2)
    assert np.isfinite(L.categorical_cross_entropy(yc, pc))


@pytest.mark.parametrize("compiled", [False, True])
def test_keras_uses_the_logit_of_a_sigmoid_layer_but_clips_an_array(compiled):
    """Notebook 03: at z = -40, y = 1 an array of probabilities is clipped (loss 16.1, gradient 0), but the output
    of Dense(1, activation="sigmoid") reaches BinaryCrossentropy() with its logit (loss 40, dL/db = -1), eagerly,
    in a tf.function and in model.evaluate (Keras's TensorFlow backend)."""
    bce = keras.losses.BinaryCrossentropy(dtype="float64")
    y = tf.constant([[1.0]], dtype=tf.float64)
    layer = keras.layers.Dense(1, activation="sigmoid", dtype="float64")
    layer.build((None, 1))
    layer.set_weights([np.array([[0.0]]), np.array([-40.0])])
    p_array = tf.Variable([[1 / (1 + np.exp(40.0))]], dtype=tf.float64)

    def both():
        with tf.GradientTape(persistent=True) as tape:
            from_array = bce(y, p_array)
            from_layer = bce(y, layer(tf.constant([[1.0]], dtype=tf.float64)))
        return from_array, tape.gradient(from_array, p_array), from_layer, tape.gradient(from_layer, layer.bias)

    from_array, grad_array, from_layer, grad_layer = (tf.function(both) if compiled else both)()
    assert float(from_array) == pytest.approx(-np.log(L.EPSILON), rel=1e-9) and float(grad_array[0, 0]) == 0.0
    assert float(from_layer) == pytest.approx(40.0, rel=1e-12)
    assert float(grad_layer[0]) == pytest.approx(-1.0, rel=1e-12)
    if compiled:
        model = keras.Sequential([keras.Input(shape=(1,), dtype="float64"), layer])
        model.compile(loss=bce)
        assert model.evaluate(np.array([[1.0]]), np.array([[1.0]]), verbose=0) == pytest.approx(40.0, rel=1e-6)


def test_logit_gradients_are_the_error():
    s = 1 / (1 + np.exp(-Z_BIN))
    np.testing.assert_allclose(L.binary_cross_entropy_grad(Y_BIN, Z_BIN, from_logits=True), (s - Y_BIN) / N)
    np.testing.assert_allclose(
        L.categorical_cross_entropy_grad(Y_CAT, Z_CAT, from_logits=True), (P_CAT - Y_CAT) / N
    )


def test_losses_table():
    assert set(L.LOSSES) == {"mse", "mae", "binary_cross_entropy", "categorical_cross_entropy"}
    for f, g in L.LOSSES.values():
        assert callable(f) and callable(g)
    assert L.LOSSES["mse"] == (L.mse, L.mse_grad)


# --- class imbalance --------------------------------------------------------------------------------------
def test_balanced_class_weight():
    y = np.array([1.0] * 2 + [0.0] * 8)
    cw = L.balanced_class_weight(y)
    assert cw == pytest.approx({0: 0.625, 1: 2.5})
    sw = L.class_to_sample_weight(y, cw)
    assert sw.sum() == pytest.approx(y.size)  # both classes carry half the total weight
    assert sw[y == 1].sum() == pytest.approx(sw[y == 0].sum())
    sklearn_cw = pytest.importorskip("sklearn.utils.class_weight")
    assert L.balanced_class_weight(y[:, None]) == cw  # a column of labels is fine
    np.testing.assert_allclose(
        sklearn_cw.compute_class_weight("balanced", classes=np.array([0, 1]), y=y), [cw[0], cw[1]]
    )


# --- bad input --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call,error,match",
    [
        (
            lambda: L.mse([1.0, 2.0], [1.0, 2.0, 3.0]),
            ValueError,
            r"y_true and y_pred must have the same shape",
        ),
        (lambda: L.mse(1.0, 2.0), ValueError, r"y_true must have 1 or 2 dimension"),
        (lambda: L.mse(np.ones((2, 2, 2)), np.ones((2, 2, 2))), ValueError, r"y_true must have 1 or 2"),
        (lambda: L.mae([], []), ValueError, r"y_true must have at least 1 element"),
        (lambda: L.mse(["a", "b"], [1.0, 2.0]), TypeError, r"y_true must contain numbers"),
        (lambda: L.sse([1.0, 2.0], "ab"), TypeError, r"y_pred must be a number or an array"),
        (lambda: L.mse([1.0, np.nan], [1.0, 2.0]), ValueError, r"y_true must be finite"),
        (lambda: L.mse_grad([1.0, 2.0], [1.0, np.inf]), ValueError, r"y_pred must be finite"),
        (
            lambda: L.binary_cross_entropy([0.0, 2.0], [0.5, 0.5]),
            ValueError,
            r"y_true must lie in \[0, 1\].*2\.0",
        ),
        (
            lambda: L.binary_cross_entropy([0.0, -1.0], [0.5, 0.5], True),
            ValueError,
            r"y_true must lie in \[0, 1\]",
        ),
        (
            lambda: L.binary_cross_entropy_grad([0.0, 1.0], [0.5, 3.0]),
            ValueError,
            r"y_pred must lie.*from_logits",
        ),
        (
            lambda: L.binary_cross_entropy([0.0, 1.0], [0.5, 0.5], sample_weight=[1.0]),
            ValueError,
            r"sample_weight must have shape \(2\)",
        ),
        (
            lambda: L.mse([0.0, 1.0], [0.5, 0.5], sample_weight=[1.0, -1.0]),
            ValueError,
            r"sample_weight must be >= 0",
        ),
        (
            lambda: L.categorical_cross_entropy([0, 1, 0], [0.2, 0.5, 0.3]),
            ValueError,
            r"y_true must have 2 dim",
        ),
        (lambda: L.categorical_cross_entropy([[1.0, 1.0]], [[0.5, 0.5]]), ValueError, r"row 0 sums to 2\.0"),
        (
            lambda: L.categorical_cross_entropy_grad([[1.0, 0.0]], [[1.5, -0.5]]),
            ValueError,
            r"y_pred must lie",
        ),
        (
            lambda: L.categorical_cross_entropy([[1.0, 0.0]], [[0.5, 0.4]]),
            ValueError,
            r"each row of y_pred must sum to 1.*row 0 sums to 0\.9",
        ),
        (
            lambda: L.categorical_cross_entropy_grad([[1.0, 0.0]], [[0.7, 0.7]]),
            ValueError,
            r"each row of y_pred must sum to 1",
        ),
        (lambda: L.balanced_class_weight([1.0, 1.0]), ValueError, r"both classes"),
        (
            lambda: L.balanced_class_weight([[1.0, 0.0], [0.0, 1.0]]),
            ValueError,
            r"y_true must have shape \(n,\) or \(n, 1\).*got shape \(2, 2\)",
        ),
        (lambda: L.balanced_class_weight([0.0, 0.5]), ValueError, r"y_true must hold only 0 and 1"),
        (lambda: L.class_to_sample_weight([0.0, 1.0], [1, 2]), TypeError, r"class_weight must be a dict"),
        (
            lambda: L.class_to_sample_weight([0.0, 1.0], {0: 1.0, 1: -2.0}),
            ValueError,
            r"class weights must be >= 0",
        ),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(call, error, match):
    with pytest.raises(error, match=match):
        call()
