"""Honest evaluation of the churn models of notebook 08 (plumbing the notebook calls and explains).

Four groups of functions:

- **Training k copies of a small network at once** (:func:`fit_copies`, :func:`predict_copies`,
  :func:`copy_model`). Cross-validating a network means training one copy per fold; the classic tutorial
  network trains on batches of 10, thousands of tiny steps whose cost is all overhead. :func:`fit_copies`
  trains the copies side by side in one compiled TensorFlow loop: copy ``j`` has its own weights (those of
  ``build()`` after ``keras.utils.set_random_seed(seed + j)``), its own rows, its own shuffled batches and
  its own dropout masks, and the update is the Keras optimizer's own, so each copy follows the same
  arithmetic as ``model.fit`` on its rows (``tests/test_evaluation.py`` holds the weights of two copies to a
  plain ``fit`` with the same batches). Only ``Dense`` and ``Dropout`` layers are supported.
- **Paired bootstrap on the test rows** (:func:`bootstrap_weights`, :func:`auc`, :func:`interval`,
  :func:`verdict`): one matrix of resampling counts, drawn once and reused for every model and every metric,
  so that the differences between models are paired (each resample scores every model on the same customers).
  Every metric is written for weighted rows, so one matrix product evaluates all resamples at once.
- **Decisions and calibration** (:func:`expected_cost`, :func:`cost_threshold`, :func:`reliability`,
  :func:`rates`): the cost of flagging at a threshold, the threshold that minimises it on validation rows,
  the points of a reliability diagram, and recall, false-positive rate and flag rate of a group.
- **The model card** (:func:`write_model_card`): what the model is for, how well it does (with intervals)
  and where it must not be trusted, written by code next to the saved model as Markdown and JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .validation import as_float_array, check_bool, check_callable, check_int, check_real

__all__ = [
    "fit_copies",
    "predict_copies",
    "copy_model",
    "bootstrap_weights",
    "auc",
    "interval",
    "verdict",
    "expected_cost",
    "cost_threshold",
    "reliability",
    "rates",
    "write_model_card",
]

_EPSILON = 1e-7  # keras.backend.epsilon(): Keras clips probabilities to [eps, 1 - eps] in binary cross-entropy


# ---------------------------------------------------------------------------------------------------------------
# Training k copies of a small network at once
# ---------------------------------------------------------------------------------------------------------------
def _architecture(build):
    """``(n_features, layers)`` of the model ``build()`` returns: ``("dense", units, activation, use_bias)`` and
    ``("dropout", rate)`` entries; anything else is refused."""
    import keras

    model = build()
    if not isinstance(model, keras.Sequential):
        raise TypeError(f"build must return a keras.Sequential, got {type(model).__name__}")
    layers = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            name = keras.activations.serialize(layer.activation)
            name = name if isinstance(name, str) else name.get("config", {}).get("name", str(name))
            if name not in _ACTIVATIONS:
                raise ValueError(f"build: Dense activation {name!r} is not supported; "
                                 f"use one of {sorted(_ACTIVATIONS)}")
            layers.append(("dense", int(layer.units), name, bool(layer.use_bias)))
        elif isinstance(layer, keras.layers.Dropout):
            layers.append(("dropout", float(layer.rate)))
        else:
            raise ValueError(f"build: only Dense and Dropout layers are supported, got {type(layer).__name__}")
    dense = [spec for spec in layers if spec[0] == "dense"]
    if not dense or dense[-1][1] != 1 or dense[-1][2] != "sigmoid":
        raise ValueError("build: the last Dense layer must have 1 unit and a sigmoid activation (a churn probability)")
    shape = model.inputs[0].shape
    if len(shape) != 2 or shape[1] is None:
        raise ValueError(f"build: the model's input must be (batch, features), got {shape}")
    return int(shape[1]), tuple(layers)


def _act_np(name, z):
    if name == "relu":
        return np.maximum(z, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-z))
    if name == "tanh":
        return np.tanh(z)
    return z


_ACTIVATIONS = {"relu", "sigmoid", "tanh", "linear"}
_COMPILED: dict = {}  # one compiled training loop per architecture, optimizer and shapes: fit_copies reuses it


def _initial_weights(build, copies, seed):
    """Copy j's weights: those of ``build()`` right after ``keras.utils.set_random_seed(seed + j)``."""
    import keras

    per_copy = []
    for j in range(copies):
        keras.utils.set_random_seed(seed + j)
        per_copy.append([np.asarray(w, dtype=np.float32) for w in build().get_weights()])
    keras.utils.set_random_seed(seed)
    return [np.stack([w[i] for w in per_copy]) for i in range(len(per_copy[0]))]


def _trainer(layers, optimizer_config, shapes, jit):
    """The compiled loop (and its variables) for one architecture, optimizer and shape: built once, reused."""
    import keras
    import tensorflow as tf

    settings = {k: v for k, v in optimizer_config["config"].items() if k != "name"}  # names count up: adam_1, ...
    key = (layers, optimizer_config["class"], json.dumps(settings, sort_keys=True, default=str), shapes, jit)
    if key in _COMPILED:
        return _COMPILED[key]
    copies, n_rows, n_features, steps, batch = shapes
    variables, width = [], n_features
    for spec in layers:
        if spec[0] == "dense":
            variables.append(keras.Variable(np.zeros((copies, width, spec[1]), np.float32), name="kernel"))
            if spec[3]:
                variables.append(keras.Variable(np.zeros((copies, spec[1]), np.float32), name="bias"))
            width = spec[1]
    optimizer = optimizer_config["class"].from_config(optimizer_config["config"])
    optimizer.build(variables)
    fresh_state = [np.asarray(v.numpy()) for v in optimizer.variables]
    activations = {"relu": tf.nn.relu, "sigmoid": tf.sigmoid, "tanh": tf.tanh, "linear": tf.identity}

    def forward(h, seed, training):
        i = 0
        for spec in layers:
            if spec[0] == "dense":
                h = tf.einsum("kbi,kio->kbo", h, variables[i].value)
                if spec[3]:
                    h = h + variables[i + 1].value[:, None, :]
                i += 2 if spec[3] else 1
                h = activations[spec[2]](h)
            elif training and spec[1] > 0:
                keep = tf.random.stateless_uniform(tf.shape(h), seed=seed, alg="philox") >= spec[1]
                h = tf.where(keep, h / (1.0 - spec[1]), tf.zeros_like(h))
                seed = seed + tf.constant([0, 1_000_003], tf.int32)
        return h[..., 0]

    spec = [
        tf.TensorSpec((copies, n_rows, n_features), tf.float32),
        tf.TensorSpec((n_rows,), tf.float32),
        tf.TensorSpec((steps, copies, batch), tf.int32),
        tf.TensorSpec((steps, copies, batch), tf.float32),
        tf.TensorSpec((), tf.int32),
        tf.TensorSpec((), tf.int32),
    ]

    @tf.function(input_signature=spec, jit_compile=jit, reduce_retracing=True)
    def epoch(x, y, index, weight, n_steps, seed):
        total, rows = tf.zeros((copies,)), tf.zeros((copies,))
        for s in tf.range(steps):  # a fixed trip count (XLA compiles once); the padding steps do nothing
            if s < n_steps:
                xb = tf.gather(x, index[s], batch_dims=1)  # (copies, batch, features): each copy its own rows
                yb = tf.gather(y, index[s])
                wb = weight[s]  # 1 for a real row, 0 for the padding of a smaller last batch
                with tf.GradientTape() as tape:
                    p = forward(xb, tf.stack([seed, s]), True)
                    bce = keras.ops.binary_crossentropy(yb, p)
                    losses = tf.reduce_sum(wb * bce, axis=1) / tf.reduce_sum(wb, axis=1)  # each copy's batch mean
                    loss = tf.reduce_sum(losses)  # copies share no weight: each gets its own gradient
                grads = tape.gradient(loss, [v.value for v in variables])
                optimizer.apply_gradients(zip(grads, variables))
                total += losses * tf.reduce_sum(wb, axis=1)
                rows += tf.reduce_sum(wb, axis=1)
        return total / rows  # the mean over the epoch's rows, as Keras reports a training loss

    @tf.function(input_signature=spec[:1], jit_compile=jit, reduce_retracing=True)
    def predict(x):
        return forward(x, tf.zeros((2,), tf.int32), False)

    _COMPILED[key] = (variables, optimizer, fresh_state, epoch, predict)
    return _COMPILED[key]


def _forward_np(layers, weights, x):
    """Probabilities of every copy on its inputs ``x`` (copies, rows, features), no dropout: (copies, rows)."""
    h, i = x.astype(np.float32), 0
    for spec in layers:
        if spec[0] == "dense":
            h = np.matmul(h, weights[i])
            if spec[3]:
                h = h + weights[i + 1][:, None, :]
            i += 2 if spec[3] else 1
            h = _act_np(spec[2], h)
    return h[..., 0]


def _log_loss(y, p):
    p = np.clip(p, _EPSILON, 1 - _EPSILON)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _per_copy_inputs(x, copies, name):
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 2:
        x = np.broadcast_to(x, (copies, *x.shape))
    if x.ndim != 3 or x.shape[0] != copies:
        raise ValueError(f"{name} must be one (rows, features) array, or one per copy ({copies}, rows, features); "
                         f"got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} holds NaN or infinite values")
    return np.ascontiguousarray(x)


def fit_copies(build, optimizer, x, y, train_rows, *, batch_size: int, epochs: int, val_rows=None,
               patience: int | None = None, seed: int = 0, shuffle: bool = True, jit: bool = True) -> dict:
    """Train one copy of ``build()`` per entry of ``train_rows``, side by side, and return what they learned.

    Each copy learns as ``model.fit(x[rows], y[rows], batch_size=batch_size, epochs=..., shuffle=True)``
    would, with binary cross-entropy and the optimizer ``optimizer()`` (a function returning a fresh Keras
    optimizer, such as ``lambda: keras.optimizers.Adamax()``); the last batch of an epoch may be smaller.

    Args:
        build: a function returning the (uncompiled) ``keras.Sequential`` to train: ``Dense`` and ``Dropout``
            layers, one sigmoid output unit.
        optimizer: a function returning a fresh Keras optimizer.
        x: the inputs, ``(rows, features)`` for all copies, or ``(copies, rows, features)``: each copy its own
            (for example each fold preprocessed by a preprocessor fit on that fold's training rows).
        y: the 0/1 labels, ``(rows,)``.
        train_rows: one array of row indices per copy; every copy must have the same number of batches.
        batch_size: rows per update.
        epochs: the number of epochs, or the most epochs when ``val_rows`` is given.
        val_rows: one array of row indices per copy, or ``None``. With them, the loss of each copy on its
            validation rows is recorded after every epoch, and with ``patience`` training stops once the
            mean over the copies has not improved for ``patience`` epochs; the weights of the best epoch
            (of that mean) are kept.
        patience: see ``val_rows``; ``None`` trains all ``epochs``.
        seed: copy j starts from the weights ``build()`` makes after ``keras.utils.set_random_seed(seed + j)``;
            the shuffles and dropout masks follow from ``seed`` too.
        shuffle: shuffle each copy's rows before every epoch (as ``fit`` does); ``False`` keeps their order.
        jit: compile the training loop with XLA (much faster for tiny batches).

    Returns:
        A dict: ``"epochs"`` (the number of epochs whose weights were kept), ``"weights"`` (the kept weights,
        each array with the copies along its first axis), ``"train_loss"`` and ``"val_loss"`` (one row per
        epoch run, one column per copy; ``val_loss`` is absent without ``val_rows``), ``"val_auc"`` (each
        copy's ROC AUC on its validation rows with the kept weights), ``"oof"`` (each row's probability from
        the copy that held it out, NaN where none did), plus what :func:`predict_copies` and
        :func:`copy_model` need.
    """
    check_callable(build, "build")
    check_callable(optimizer, "optimizer")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=1)
    seed = check_int(seed, "seed", minimum=0, maximum=2**31 - 2)
    shuffle = check_bool(shuffle, "shuffle")
    jit = check_bool(jit, "jit")
    if patience is not None:
        patience = check_int(patience, "patience", minimum=1)
        if val_rows is None:
            raise ValueError("patience needs val_rows: early stopping watches the loss on validation rows")
    n_features, layers = _architecture(build)
    y = as_float_array(y, "y", ndim=1, min_size=2)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    if not isinstance(train_rows, (list, tuple)) or not train_rows:
        raise TypeError("train_rows must be a non-empty list of index arrays (one per copy), "
                        f"got {type(train_rows).__name__}")
    copies = len(train_rows)
    train_rows = [_rows(r, len(y), f"train_rows[{j}]") for j, r in enumerate(train_rows)]
    if val_rows is not None:
        if not isinstance(val_rows, (list, tuple)) or len(val_rows) != copies:
            raise ValueError(f"val_rows must be a list of {copies} index arrays (one per copy), or None")
        val_rows = [_rows(r, len(y), f"val_rows[{j}]") for j, r in enumerate(val_rows)]
    x = _per_copy_inputs(x, copies, "x")
    if x.shape[1] != len(y) or x.shape[2] != n_features:
        raise ValueError(f"x must have {len(y)} rows (like y) and {n_features} features (build()'s input), "
                         f"got shape {x.shape}")
    steps = {-(-len(r) // batch_size) for r in train_rows}
    if len(steps) != 1:
        raise ValueError(f"every copy must have the same number of batches per epoch; the training sets hold "
                         f"{sorted({len(r) for r in train_rows})} rows, which give {sorted(steps)} batches "
                         f"of {batch_size}")
    n_steps = steps.pop()
    max_steps = -(-len(y) // batch_size)  # padding to the most batches any subset could need: one compilation
    opt = optimizer()
    config = {"class": type(opt), "config": opt.get_config()}
    shapes = (copies, len(y), n_features, max_steps, batch_size)
    variables, keras_optimizer, fresh_state, epoch, predict = _trainer(layers, config, shapes, jit)
    for v, w in zip(variables, _initial_weights(build, copies, seed), strict=True):
        v.assign(w)
    for v, w in zip(keras_optimizer.variables, fresh_state, strict=True):
        v.assign(w)

    import tensorflow as tf

    rng = np.random.default_rng(seed)
    x_tensor, y_tensor = tf.constant(x), tf.constant(y.astype(np.float32))
    index = np.zeros((max_steps, copies, batch_size), np.int32)
    weight = np.zeros((max_steps, copies, batch_size), np.float32)
    train_loss, val_loss, kept, best, best_epoch = [], [], None, np.inf, 0
    for e in range(epochs):
        index[:], weight[:] = 0, 0
        for j, rows in enumerate(train_rows):
            order = np.zeros(n_steps * batch_size, np.int64)
            order[: len(rows)] = rng.permutation(rows) if shuffle else rows
            index[:n_steps, j] = order.reshape(n_steps, batch_size)
            weight[:n_steps, j] = (np.arange(n_steps * batch_size) < len(rows)).reshape(n_steps, batch_size)
        losses = epoch(x_tensor, y_tensor, index, weight, np.int32(n_steps), np.int32(seed * 7919 + e))
        train_loss.append(np.asarray(losses))
        if val_rows is None:
            continue
        weights = [v.numpy() for v in variables]
        p = predict(x_tensor).numpy()
        val_loss.append(np.array([_log_loss(y[r], p[j, r]) for j, r in enumerate(val_rows)]))
        mean = float(val_loss[-1].mean())
        if mean < best:
            best, best_epoch, kept = mean, e + 1, weights
        elif patience is not None and e + 1 - best_epoch >= patience:
            break
    if val_rows is None or kept is None:
        kept, best_epoch = [v.numpy() for v in variables], len(train_loss)
    result = {"epochs": best_epoch, "weights": kept, "train_loss": np.array(train_loss), "layers": layers,
              "n_features": n_features}
    if val_rows is not None:
        for v, w in zip(variables, kept, strict=True):
            v.assign(w)
        p = predict(x_tensor).numpy()
        oof = np.full(len(y), np.nan)
        for j, r in enumerate(val_rows):
            oof[r] = p[j, r]
        result.update(val_loss=np.array(val_loss), oof=oof,
                      val_auc=np.array([auc(y[r], p[j, r]) for j, r in enumerate(val_rows)]))
    return result


def _rows(rows, n, name):
    rows = np.asarray(rows)
    if rows.ndim != 1 or rows.size == 0 or not np.issubdtype(rows.dtype, np.integer):
        raise ValueError(f"{name} must be a non-empty 1-D array of row indices, got {rows.dtype} of shape {rows.shape}")
    if rows.min() < 0 or rows.max() >= n or len(np.unique(rows)) != len(rows):
        raise ValueError(f"{name} must hold distinct row indices between 0 and {n - 1}")
    return rows


def _check_result(result):
    if not isinstance(result, dict) or not {"weights", "layers", "n_features"} <= set(result):
        raise TypeError("result must be the dict fit_copies() returned")
    return result


def predict_copies(result: dict, x) -> np.ndarray:
    """The churn probability of every copy of :func:`fit_copies`'s ``result`` for the rows ``x``.

    ``x`` is ``(rows, features)`` (the same inputs for every copy) or ``(copies, rows, features)``; returns
    ``(copies, rows)``, computed in NumPy (float32).
    """
    result = _check_result(result)
    copies = result["weights"][0].shape[0]
    x = _per_copy_inputs(x, copies, "x")
    if x.shape[2] != result["n_features"]:
        raise ValueError(f"x must have {result['n_features']} features, got shape {x.shape}")
    return _forward_np(result["layers"], result["weights"], x)


def copy_model(build, result: dict, j: int):
    """Copy ``j`` of :func:`fit_copies`'s ``result`` as an ordinary Keras model: ``build()`` with its weights."""
    check_callable(build, "build")
    result = _check_result(result)
    copies = result["weights"][0].shape[0]
    j = check_int(j, "j", minimum=0, maximum=copies - 1)
    n_features, layers = _architecture(build)
    if (n_features, layers) != (result["n_features"], result["layers"]):
        raise ValueError("build must return the architecture that fit_copies() trained")
    model = build()
    model.set_weights([w[j] for w in result["weights"]])
    return model


# ---------------------------------------------------------------------------------------------------------------
# The paired bootstrap
# ---------------------------------------------------------------------------------------------------------------
def bootstrap_weights(n: int, resamples: int = 1000, seed: int = 0) -> np.ndarray:
    """``(resamples, n)`` counts: how often each of ``n`` rows is drawn in each bootstrap resample.

    A resample draws ``n`` rows with replacement; a row drawn twice counts twice. Reuse the same matrix for
    every model and every metric: the comparisons are then paired.
    """
    n = check_int(n, "n", minimum=1)
    resamples = check_int(resamples, "resamples", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    draws = np.random.default_rng(seed).integers(0, n, size=(resamples, n))
    offsets = (np.arange(resamples) * n)[:, None]
    return np.bincount((draws + offsets).ravel(), minlength=resamples * n).reshape(resamples, n).astype(np.float64)


def _labels_scores(y, p, name="p"):
    y = as_float_array(y, "y", ndim=1, min_size=2)
    p = as_float_array(p, name, ndim=1)
    if p.shape != y.shape:
        raise ValueError(f"y and {name} must have the same length, got {y.shape[0]} and {p.shape[0]}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    return y, p


def _weights(weights, n):
    if weights is None:
        return np.ones((1, n)), True
    w = as_float_array(weights, "weights", ndim=(1, 2))
    single = w.ndim == 1
    w = w.reshape(1, -1) if single else w
    if w.shape[1] != n or np.any(w < 0):
        raise ValueError(f"weights must be non-negative with {n} columns (one per row), got shape {w.shape}")
    return w, single


def auc(y, p, weights=None):
    """ROC AUC of scores ``p`` for labels ``y``, for weighted rows: a number, or one per row of ``weights``.

    The share of (churner, stayer) pairs that the scores put in the right order, ties counting one half;
    with ``weights`` (such as :func:`bootstrap_weights`), each pair counts the product of its rows' weights,
    which is the ROC AUC of the resample. Equal to ``sklearn.metrics.roc_auc_score(y, p, sample_weight=w)``.
    """
    y, p = _labels_scores(y, p)
    w, single = _weights(weights, len(y))
    order = np.argsort(p, kind="mergesort")
    ps, ys, ws = p[order], y[order], w[:, order]
    starts = np.flatnonzero(np.r_[True, ps[1:] != ps[:-1]])
    pos = np.add.reduceat(ws * ys, starts, axis=1)
    neg = np.add.reduceat(ws * (1 - ys), starts, axis=1)
    below = np.cumsum(neg, axis=1) - neg
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.sum(pos * (below + 0.5 * neg), axis=1) / (pos.sum(axis=1) * neg.sum(axis=1))
    return float(value[0]) if single else value


def interval(values, level: float = 0.95) -> tuple[float, float]:
    """The percentile interval holding the middle ``level`` of the bootstrap ``values`` (NaN ignored)."""
    values = as_float_array(values, "values", ndim=1, finite=False, min_size=2)
    level = check_real(level, "level", low=0, high=1, low_open=True, high_open=True)
    low, high = np.nanpercentile(values, [50 * (1 - level), 50 * (1 + level)])
    return float(low), float(high)


def verdict(low: float, high: float, better: str = "first", worse: str = "second") -> str:
    """What an interval of a difference (first minus second) says: which is better, or that it is noise.

    ``"first is better"`` when the whole interval lies above 0, ``"second is better"`` when it lies below,
    ``"within noise"`` when it holds 0: a difference the test rows cannot tell from chance.
    """
    low = check_real(low, "low")
    high = check_real(high, "high")
    if low > high:
        raise ValueError(f"low must not exceed high, got {low} > {high}")
    if low > 0:
        return f"{better} is better"
    if high < 0:
        return f"{worse} is better"
    return "within noise"


# ---------------------------------------------------------------------------------------------------------------
# Decisions, calibration, subgroups
# ---------------------------------------------------------------------------------------------------------------
def expected_cost(y, p, threshold, cost_miss: float = 5.0, cost_alarm: float = 1.0, weights=None):
    """Cost per customer of flagging every customer with ``p >= threshold``: a miss (a churner not flagged)
    costs ``cost_miss``, an alarm (a stayer flagged) ``cost_alarm``. ``threshold`` may be 0 (flag everyone)
    or above 1 (flag no one). With ``weights``, one value per resample."""
    y, p = _labels_scores(y, p)
    threshold = check_real(threshold, "threshold")
    cost_miss = check_real(cost_miss, "cost_miss", low=0)
    cost_alarm = check_real(cost_alarm, "cost_alarm", low=0)
    flagged = p >= threshold
    per_row = cost_miss * ((y == 1) & ~flagged) + cost_alarm * ((y == 0) & flagged)
    w, single = _weights(weights, len(y))
    value = w @ per_row / w.sum(axis=1)
    return float(value[0]) if single else value


def cost_threshold(y, p, cost_miss: float = 5.0, cost_alarm: float = 1.0, grid=None) -> float:
    """The threshold of ``grid`` (default 0.01, 0.02, ..., 0.99) with the lowest :func:`expected_cost` on the
    rows given: pass validation rows, never test rows. Ties go to the lowest threshold."""
    y, p = _labels_scores(y, p)
    grid = np.linspace(0.01, 0.99, 99) if grid is None else as_float_array(grid, "grid", ndim=1, min_size=1)
    costs = [expected_cost(y, p, t, cost_miss, cost_alarm) for t in grid]
    return float(grid[int(np.argmin(costs))])


def reliability(y, p, bins: int = 10) -> dict:
    """Points of a reliability diagram: the customers sorted into ``bins`` equal-count groups by ``p``; for
    each group its mean predicted probability, its observed churn rate and its size."""
    y, p = _labels_scores(y, p)
    bins = check_int(bins, "bins", minimum=1, maximum=len(y))
    groups = np.array_split(np.argsort(p, kind="mergesort"), bins)
    return {"predicted": np.array([p[g].mean() for g in groups]),
            "observed": np.array([y[g].mean() for g in groups]),
            "count": np.array([len(g) for g in groups])}


def rates(y, flagged, weights=None) -> dict:
    """Recall (churners flagged), false-positive rate (stayers flagged) and flag rate (everyone flagged), for
    weighted rows: numbers, or one per row of ``weights``."""
    y, flagged = _labels_scores(y, flagged, "flagged")
    w, single = _weights(weights, len(y))
    out = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        out["recall"] = w @ (y * flagged) / (w @ y)
        out["false-positive rate"] = w @ ((1 - y) * flagged) / (w @ (1 - y))
        out["flag rate"] = w @ flagged / w.sum(axis=1)
    return {k: float(v[0]) for k, v in out.items()} if single else out


# ---------------------------------------------------------------------------------------------------------------
# The model card
# ---------------------------------------------------------------------------------------------------------------
def write_model_card(directory, card: dict) -> dict:
    """Write ``card`` next to a saved model: ``model_card.json`` (as given) and ``model_card.md`` (for people).

    ``card`` maps section titles to a string, a list of strings (bullets) or a list of dicts (a table);
    ``card["title"]`` heads the page. Returns ``{"json": path, "markdown": path}``.
    """
    import os

    if not isinstance(directory, (str, os.PathLike)) or str(directory) == "":
        raise TypeError(f"directory must be a non-empty string or a path, got {directory!r}")
    if not isinstance(card, dict) or not isinstance(card.get("title"), str):
        raise TypeError("card must be a dict with a string under 'title'")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lines = [f"# {card['title']}", ""]
    for section, body in card.items():
        if section == "title":
            continue
        lines += [f"## {section}", ""]
        if isinstance(body, str):
            lines.append(body)
        elif isinstance(body, list) and body and all(isinstance(row, dict) for row in body):
            columns = list(body[0])
            lines.append("| " + " | ".join(columns) + " |")
            lines.append("|" + "---|" * len(columns))
            lines += ["| " + " | ".join(str(row.get(c, "")) for c in columns) + " |" for row in body]
        elif isinstance(body, list):
            lines += [f"- {item}" for item in body]
        else:
            raise TypeError(f"card[{section!r}] must be a string, a list of strings or a list of dicts")
        lines.append("")
    paths = {"json": directory / "model_card.json", "markdown": directory / "model_card.md"}
    paths["json"].write_text(json.dumps(card, indent=1), encoding="utf-8")
    paths["markdown"].write_text("\n".join(lines), encoding="utf-8")
    return paths
