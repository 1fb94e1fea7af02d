"""Dropout, taught in notebook 07: inverted dropout from scratch, and the few tools the notebook uses to
show what it does to a network that is too large for its data.

- :func:`dropout_mask`, :func:`dropout_forward`, :func:`dropout_backward`: inverted dropout in NumPy, the
  same computation ``keras.layers.Dropout`` performs (and the tests hold them against it);
- :func:`mc_dropout_predict`: Monte Carlo dropout, dropout kept on at prediction time;
- :func:`fit_full_batch`: plumbing, full-batch training compiled into one TensorFlow graph, so the
  notebook's training runs take seconds instead of minutes;
- :func:`fit_many`: plumbing, several models of one architecture trained side by side in one graph (the
  notebook's repeats over seeds and its sweeps);
- :func:`plot_thinned_network`: the picture of one dropout draw (a "thinned" network).
"""

from __future__ import annotations

import numbers

import numpy as np

from .validation import as_float_array, check_bool, check_callable, check_choice, check_int, check_real

__all__ = [
    "dropout_mask",
    "dropout_forward",
    "dropout_backward",
    "mc_dropout_predict",
    "fit_full_batch",
    "fit_many",
    "plot_thinned_network",
]


def _check_rate(rate) -> float:
    """The drop probability p, as Keras defines ``rate``: 0 <= p < 1 (p = 1 would drop every unit)."""
    return check_real(rate, "rate", low=0, high=1, high_open=True)


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (e.g. np.random.default_rng(0)), got {type(rng).__name__}"
        )
    return rng


def _check_mask(mask, shape) -> np.ndarray:
    mask = as_float_array(mask, "mask")
    if mask.shape != shape:
        raise ValueError(f"mask must have the shape of the activations {shape}, got shape {mask.shape}")
    bad = (mask != 0) & (mask != 1)
    if np.any(bad):
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"mask must hold only 0 (dropped) and 1 (kept), got {float(mask[first])!r} at index {first} "
            f"({int(bad.sum())} bad entr{'y' if bad.sum() == 1 else 'ies'} in all)"
        )
    return mask


def dropout_mask(shape, rate, rng) -> np.ndarray:
    """A random keep-mask of 0s and 1s: each entry is 1 (kept) with probability ``1 - rate``, independently.

    Args:
        shape: the shape of the activations, a tuple of non-negative integers.
        rate: the drop probability p, 0 <= p < 1 (Keras's ``rate``: the fraction DROPPED, not kept).
        rng: a ``numpy.random.Generator``.
    """
    rate = _check_rate(rate)
    rng = _check_rng(rng)
    if isinstance(shape, numbers.Integral):
        shape = (shape,)
    if not isinstance(shape, tuple):
        raise TypeError(f"shape must be a tuple of integers, got {type(shape).__name__}")
    shape = tuple(check_int(s, "shape entry", minimum=0) for s in shape)
    return (rng.random(shape) >= rate).astype(np.float64)


def dropout_forward(x, rate, rng=None, *, training=True, mask=None):
    """Inverted dropout: ``out = x * mask / (1 - p)`` in training, ``out = x`` at inference.

    Dividing the kept activations by the keep probability 1 - p during training keeps every unit's expected
    value equal to ``x``, so nothing needs rescaling at test time.

    Args:
        x: the activations, an array of any shape.
        rate: the drop probability p, 0 <= p < 1.
        rng: a ``numpy.random.Generator`` to draw the mask (needed in training unless ``mask`` is given).
        training: ``False`` at inference: the identity, whatever ``rate`` is.
        mask: a given keep-mask of 0s and 1s (to reproduce a draw, e.g. Keras's); drawn from ``rng`` if None.

    Returns:
        ``(out, mask)``: the output and the keep-mask used (all ones at inference), for the backward pass.
    """
    x = as_float_array(x, "x")
    rate = _check_rate(rate)
    check_bool(training, "training")
    if not training:
        return x.copy(), np.ones_like(x)
    if mask is None:
        if rng is None:
            raise ValueError("dropout_forward needs rng (a numpy.random.Generator) to draw a training mask")
        mask = dropout_mask(x.shape, rate, rng)
    else:
        mask = _check_mask(mask, x.shape)
    scale = 1.0 / (1.0 - rate)  # the keep probability's inverse, computed once as TensorFlow does
    return np.where(mask == 1, x * scale, 0.0), mask


def dropout_backward(grad_out, mask, rate) -> np.ndarray:
    """The gradient through inverted dropout: ``grad_x = grad_out * mask / (1 - p)``.

    The forward pass is linear in ``x`` with a fixed mask, so a dropped unit gets no gradient and a kept one
    gets the upstream gradient times the same 1 / (1 - p).

    Args:
        grad_out: dL/d(out), an array of the shape of the activations.
        mask: the keep-mask the forward pass returned.
        rate: the drop probability p the forward pass used.
    """
    grad_out = as_float_array(grad_out, "grad_out")
    mask = _check_mask(mask, grad_out.shape)
    rate = _check_rate(rate)
    return np.where(mask == 1, grad_out * (1.0 / (1.0 - rate)), 0.0)


def mc_dropout_predict(model, x, n_samples=100):
    """Monte Carlo dropout: ``n_samples`` predictions with dropout ON, and their mean and spread.

    Each prediction runs a different thinned network. All samples go through the model in one batch
    (``x`` repeated ``n_samples`` times), which gives every row its own mask and is much faster than a loop.

    Args:
        model: a Keras model (or any callable ``model(batch, training=True)``) with dropout layers.
        x: ``(n, d)`` inputs.
        n_samples: T, the number of stochastic forward passes.

    Returns:
        ``(mean, std, samples)``: arrays of shape ``(n, k)``, ``(n, k)`` and ``(T, n, k)``.
    """
    check_callable(model, "model")
    x = as_float_array(x, "x", ndim=2, min_size=1)
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    batch = np.tile(x, (n_samples, 1)).astype(np.float32)
    out = np.asarray(model(batch, training=True), dtype=np.float64)
    samples = out.reshape(n_samples, x.shape[0], -1)
    return samples.mean(axis=0), samples.std(axis=0, ddof=1), samples


LOSSES = ("mse", "binary_crossentropy")


def fit_full_batch(model, x, y, x_val, y_val, *, epochs, loss="mse", learning_rate=0.01):
    """Train a Keras model (no ``compile`` needed) with one full-batch Adam step per epoch.

    Plumbing: it does what ``model.fit(x, y, batch_size=len(x), epochs=epochs, validation_data=(x_val,
    y_val))`` does with ``Adam(learning_rate)`` and the same ``loss``, but the whole loop runs inside one
    ``tf.function``. ``fit`` pays tens of milliseconds per epoch in bookkeeping, which dominates when an
    epoch is a single step on a few dozen points.

    Each epoch records three numbers (after the step, except ``loss``):

    - ``loss``: the objective the step minimised, with dropout ON (and the L2 penalty), as ``fit`` reports it;
    - ``train_loss``: the loss on the training set with dropout OFF (inference mode);
    - ``val_loss``: the loss on the validation set, inference mode.

    Args:
        model: a built Keras model mapping ``(n, d)`` to ``(n, 1)``; its weights are trained in place.
        x, y: training inputs ``(n, d)`` and targets ``(n, 1)``.
        x_val, y_val: validation inputs and targets.
        epochs: the number of full-batch steps.
        loss: ``"mse"`` or ``"binary_crossentropy"`` (for a model that ends in a sigmoid).
        learning_rate: Adam's step size.

    Returns:
        dict of NumPy arrays ``loss``, ``train_loss``, ``val_loss``, one value per epoch.
    """
    import keras
    import tensorflow as tf

    check_callable(model, "model")
    x = as_float_array(x, "x", ndim=2, min_size=1)
    y = as_float_array(y, "y", shape=(x.shape[0], 1))
    x_val = as_float_array(x_val, "x_val", shape=(None, x.shape[1]), min_size=1)
    y_val = as_float_array(y_val, "y_val", shape=(x_val.shape[0], 1))
    epochs = check_int(epochs, "epochs", minimum=1)
    loss = check_choice(loss, "loss", LOSSES)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)

    n_train = x.shape[0]
    both = tf.constant(np.concatenate([x, x_val]), tf.float32)
    x, y, y_val = (tf.constant(a, tf.float32) for a in (x, y, y_val))
    variables = model.trainable_variables
    optimizer = keras.optimizers.Adam(learning_rate)
    optimizer.build(variables)

    loss_fn = keras.losses.get(loss)

    def mean_loss(prediction, target):
        return tf.reduce_mean(loss_fn(target, prediction))

    @tf.function
    def run():
        history = [tf.TensorArray(tf.float32, size=epochs) for _ in range(3)]
        for epoch in tf.range(epochs):
            with tf.GradientTape() as tape:
                objective = mean_loss(model(x, training=True), y)
                if model.losses:
                    objective += tf.add_n(model.losses)
            optimizer.apply(tape.gradient(objective, variables), variables)
            inference = model(both, training=False)  # one call for the training and validation sets
            train_loss = mean_loss(inference[:n_train], y)
            val_loss = mean_loss(inference[n_train:], y_val)
            values = (objective, train_loss, val_loss)
            history = [h.write(epoch, v) for h, v in zip(history, values, strict=True)]
        return [h.stack() for h in history]

    objective, train_loss, val_loss = (t.numpy().astype(np.float64) for t in run())
    return {"loss": objective, "train_loss": train_loss, "val_loss": val_loss}


def plot_thinned_network(masks, *, ax=None, title=None, legend=False):
    """Draw a small fully connected network with the units a dropout draw removed crossed out.

    Args:
        masks: one keep-mask (1-D, 0s and 1s) per layer, inputs first; a layer that is never dropped
            (the output) gets a mask of ones.
        ax: the axes to draw on; a new figure when ``None``.
        title: the axes title.
        legend: add a key (kept unit, dropped unit, live and dead connections) below the drawing.
    """
    import matplotlib.pyplot as plt

    from .plots import COLORS

    if not isinstance(masks, (list, tuple)) or len(masks) < 2:
        raise TypeError("masks must be a list of at least two 1-D keep-masks (one per layer)")
    check_bool(legend, "legend")
    masks = [_check_mask(m, np.shape(m)) for m in masks]
    if any(m.ndim != 1 or m.size == 0 for m in masks):
        raise ValueError(f"every mask must be 1-D and non-empty, got shapes {[m.shape for m in masks]}")
    if ax is None:
        _, ax = plt.subplots(figsize=(3.2, 3.0))
    top = max(m.size for m in masks)
    pos = [np.linspace(0, top - 1, m.size) if m.size > 1 else np.array([(top - 1) / 2]) for m in masks]
    pos = [p - p.mean() + (top - 1) / 2 for p in pos]
    for i in range(len(masks) - 1):
        for j, yj in enumerate(pos[i]):
            for k, yk in enumerate(pos[i + 1]):
                alive = masks[i][j] == 1 and masks[i + 1][k] == 1
                ax.plot([i, i + 1], [yj, yk], color="0.25" if alive else "0.88", lw=0.9 if alive else 0.6,
                        zorder=1)
    for i, (m, ys) in enumerate(zip(masks, pos, strict=True)):
        for keep, yy in zip(m, ys, strict=True):
            ax.scatter(i, yy, s=170, zorder=2, edgecolors="k",
                       c=COLORS[0] if keep == 1 else "white", linewidths=1.0)
            if keep == 0:
                ax.scatter(i, yy, s=90, marker="x", c=COLORS[3], zorder=3, linewidths=2)
    ax.set_xticks(range(len(masks)))
    ax.set_xticklabels(["input"] + [f"hidden {i}" for i in range(1, len(masks) - 1)] + ["output"])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlim(-0.4, len(masks) - 0.6)
    ax.set_ylim(-0.8, top - 0.2)
    if title:
        ax.set_title(title)
    if legend:
        from matplotlib.lines import Line2D

        handles = [
            Line2D([], [], ls="", marker="o", ms=10, mfc=COLORS[0], mec="k", label="unit kept"),
            Line2D([], [], ls="", marker="X", ms=10, mfc=COLORS[3], mec="white", label="unit dropped"),
            Line2D([], [], color="0.25", lw=0.9, label="connection in use"),
            Line2D([], [], color="0.8", lw=0.9, label="connection unused (a dropped end)"),
        ]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return ax


def _stack_plan(models):
    """The shared layer plan of several Sequential models: Dense layers, with a dropout rate before each.

    Returns ``(dense_layers_per_model, rates, l2)``: ``rates[k][i]`` is model k's drop rate in front of its
    i-th Dense layer (0 where it has no Dropout there), ``l2[k][i]`` its L2 factor on that layer's kernel.
    """
    import keras

    plans = []
    for k, model in enumerate(models):
        layers = getattr(model, "layers", None)
        if layers is None:
            raise TypeError(f"models[{k}] must be a keras.Sequential of Dense and Dropout layers, "
                            f"got {type(model).__name__}")
        dense, rates, l2, pending = [], [], [], 0.0
        for layer in layers:
            if isinstance(layer, keras.layers.Dropout):
                if pending:
                    raise ValueError(f"models[{k}] has two Dropout layers in a row ({layer.name})")
                pending = float(layer.rate)
            elif isinstance(layer, keras.layers.Dense):
                reg = layer.kernel_regularizer
                if reg is not None and not isinstance(reg, keras.regularizers.L2):
                    raise ValueError(f"models[{k}] layer {layer.name}: only an L2 kernel regularizer is "
                                     f"supported, got {type(reg).__name__}")
                if layer.bias_regularizer is not None or layer.activity_regularizer is not None:
                    raise ValueError(f"models[{k}] layer {layer.name}: bias and activity regularizers are "
                                     "not supported")
                if not layer.use_bias:
                    raise ValueError(f"models[{k}] layer {layer.name}: a Dense layer without a bias is not "
                                     "supported")
                dense.append(layer)
                rates.append(pending)
                l2.append(float(reg.l2) if reg is not None else 0.0)
                pending = 0.0
            else:
                raise ValueError(f"models[{k}] holds a {type(layer).__name__} layer ({layer.name}); only "
                                 "Dense and Dropout layers can be stacked")
        if pending:
            raise ValueError(f"models[{k}] ends in a Dropout layer; dropout after the output is not supported")
        if not dense:
            raise ValueError(f"models[{k}] has no Dense layer")
        plans.append((dense, rates, l2))
    first = plans[0][0]
    shape = [tuple(layer.kernel.shape) for layer in first]
    for k, (dense, _, _) in enumerate(plans[1:], start=1):
        other = [tuple(layer.kernel.shape) for layer in dense]
        acts = [layer.activation for layer in dense]
        if other != shape or acts != [layer.activation for layer in first]:
            raise ValueError(f"models[{k}] has Dense layers {other} with other activations or shapes than "
                             f"models[0]'s {shape}; only models of one architecture can be trained together")
    return [p[0] for p in plans], np.array([p[1] for p in plans]), np.array([p[2] for p in plans])


def fit_many(models, x, y, x_val, y_val, *, epochs, loss="mse", learning_rate=0.01, record_last=None,
             restore_best=False, patience=None, seed=0):
    """Train several models of one architecture side by side, each as :func:`fit_full_batch` would.

    Plumbing for notebook 07's repeats and sweeps: the models' weights are stacked into one network with a
    leading "model" axis and trained in one TensorFlow graph, so ten models cost a few times one, not ten
    times. Each model takes its own full-batch Adam steps on its own objective (its loss plus its own L2
    penalty): the models share no weight, and Adam works weight by weight, so one Adam on the stack is one
    Adam per model. The models may differ in their weights, their drop rates (a model without a Dropout
    layer in some place has rate 0 there) and their L2 factors, not in their Dense layers.

    One difference from :func:`fit_full_batch`: the dropout masks are drawn by TensorFlow's stateless
    generator from ``seed`` (a fresh mask for every model, example, unit and epoch), not by each ``Dropout``
    layer's own generator: other draws from the same distribution.

    Args:
        models: a list of ``keras.Sequential`` models of ``Dense`` and ``Dropout`` layers (an L2 kernel
            regularizer allowed), mapping ``(n, d)`` to ``(n, 1)``; trained in place.
        x, y, x_val, y_val, epochs, loss, learning_rate: as for :func:`fit_full_batch`.
        record_last: record the inference-mode losses over the last ``record_last`` epochs only (each record
            costs an evaluation on the training and validation sets); ``None`` records every epoch.
        restore_best: end each model with its weights of the recorded epoch of lowest validation loss (what
            ``keras.callbacks.EarlyStopping(restore_best_weights=True)`` does), instead of the last ones.
        patience: with ``restore_best`` and every epoch recorded: stop the training once every model has gone
            ``patience`` epochs without a lower validation loss (``EarlyStopping(patience=...)``); ``None``
            trains all ``epochs``.
        seed: the seed of the dropout masks, an integer >= 0.

    Returns:
        a list with one dict per model, as :func:`fit_full_batch` returns: ``loss`` for every epoch,
        ``train_loss`` and ``val_loss`` for the recorded epochs (the last ``record_last``, or all; with
        ``patience``, the epochs run), and with ``restore_best`` the epoch (counted from 1) whose weights the
        model ends with, ``best_epoch``.
    """
    import keras
    import tensorflow as tf

    if not isinstance(models, (list, tuple)) or not models:
        raise TypeError(f"models must be a non-empty list of Keras models, got {type(models).__name__}")
    dense, rates, l2 = _stack_plan(models)
    x = as_float_array(x, "x", ndim=2, min_size=1)
    y = as_float_array(y, "y", shape=(x.shape[0], 1))
    x_val = as_float_array(x_val, "x_val", shape=(None, x.shape[1]), min_size=1)
    y_val = as_float_array(y_val, "y_val", shape=(x_val.shape[0], 1))
    epochs = check_int(epochs, "epochs", minimum=1)
    loss = check_choice(loss, "loss", LOSSES)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    if record_last is None:
        record_last = epochs
    record_last = check_int(record_last, "record_last", minimum=1, maximum=epochs)
    check_bool(restore_best, "restore_best")
    if patience is not None:
        patience = check_int(patience, "patience", minimum=1)
        if not restore_best or record_last != epochs:
            raise ValueError("patience needs restore_best=True and every epoch recorded (record_last=None), got "
                             f"restore_best={restore_best}, record_last={record_last} of {epochs} epochs")
    seed = check_int(seed, "seed", minimum=0)
    n_inputs = int(dense[0][0].kernel.shape[0])
    if n_inputs != x.shape[1]:
        raise ValueError(f"x must have {n_inputs} column(s), the models' input size, got shape {x.shape}")
    if int(dense[0][-1].kernel.shape[1]) != 1:
        raise ValueError(f"the models must have one output, got {int(dense[0][-1].kernel.shape[1])}")

    n_models, n_layers, n_train = len(models), len(dense[0]), x.shape[0]
    activations = [layer.activation for layer in dense[0]]
    kernels = [tf.Variable(np.stack([d[i].kernel.numpy() for d in dense])) for i in range(n_layers)]
    biases = [tf.Variable(np.stack([d[i].bias.numpy() for d in dense])[:, None, :]) for i in range(n_layers)]
    variables = kernels + biases
    best = [tf.Variable(v) for v in variables]  # the weights of each model's best recorded epoch so far
    keep = tf.constant((1.0 - rates)[:, :, None, None], tf.float32)  # (models, layers, 1, 1)
    scale = tf.constant((1.0 / (1.0 - rates))[:, :, None, None], tf.float32)
    l2_t = tf.constant(l2, tf.float32)
    has_dropout = [bool(np.any(rates[:, i] > 0)) for i in range(n_layers)]
    optimizer = keras.optimizers.Adam(learning_rate)
    optimizer.build(variables)
    loss_fn = keras.losses.get(loss)
    data = np.concatenate([x, x_val])
    both = tf.constant(np.broadcast_to(data, (n_models, *data.shape)), tf.float32)
    x_t = both[:, :n_train]
    y_t = tf.constant(np.broadcast_to(y, (n_models, *y.shape)), tf.float32)
    y_val_t = tf.constant(np.broadcast_to(y_val, (n_models, *y_val.shape)), tf.float32)
    first_record = epochs - record_last

    def forward(h, epoch=None):  # epoch=None: inference, no dropout
        for i in range(n_layers):
            if epoch is not None and has_dropout[i]:
                draw = tf.random.stateless_uniform(tf.shape(h), seed=tf.stack([seed, epoch * n_layers + i]))
                h = tf.where(draw < keep[:, i], h * scale[:, i], 0.0)
            h = activations[i](tf.matmul(h, kernels[i]) + biases[i])
        return h

    def per_model(prediction, target):  # the mean loss of each model, shape (models,)
        return tf.reduce_mean(loss_fn(target, prediction), axis=-1)

    def step(epoch):  # one full-batch Adam step of every model; returns each model's objective
        with tf.GradientTape() as tape:
            objective = per_model(forward(x_t, epoch), y_t)
            objective += tf.add_n([l2_t[:, i] * tf.reduce_sum(tf.square(kernels[i]), axis=(1, 2))
                                   for i in range(n_layers)])
            total = tf.reduce_sum(objective)  # the models share no weight: each gets its own gradient
        optimizer.apply(tape.gradient(total, variables), variables)
        return objective

    @tf.function
    def run():
        objectives = tf.TensorArray(tf.float32, size=epochs)
        train = tf.TensorArray(tf.float32, size=record_last)
        val = tf.TensorArray(tf.float32, size=record_last)
        best_val = tf.fill([n_models], np.inf)
        best_epoch = tf.zeros([n_models], tf.int32)
        ran = tf.constant(first_record)
        for epoch in tf.range(first_record):  # the epochs before the recorded ones
            objectives = objectives.write(epoch, step(epoch))
        for epoch in tf.range(first_record, epochs):  # the recorded epochs
            objectives = objectives.write(epoch, step(epoch))
            ran = epoch + 1
            inference = forward(both)
            val_loss = per_model(inference[:, n_train:], y_val_t)
            train = train.write(epoch - first_record, per_model(inference[:, :n_train], y_t))
            val = val.write(epoch - first_record, val_loss)
            if restore_best:
                better = val_loss < best_val
                best_val = tf.where(better, val_loss, best_val)
                best_epoch = tf.where(better, epoch + 1, best_epoch)
                for kept, now in zip(best, variables, strict=True):
                    kept.assign(tf.where(better[:, None, None], now, kept))
            if patience is not None:
                if tf.reduce_all(ran - best_epoch >= patience):  # every model waited long enough
                    break
        return objectives.stack(), train.stack(), val.stack(), best_epoch, ran

    objective, train_loss, val_loss, best_epoch, ran = run()
    ran = int(ran)
    objective = objective.numpy().astype(np.float64)[:ran]
    if patience is not None:
        train_loss, val_loss = train_loss[:ran], val_loss[:ran]
    train_loss, val_loss = (t.numpy().astype(np.float64) for t in (train_loss, val_loss))
    final = best if restore_best else variables
    for k, model_dense in enumerate(dense):
        for i, layer in enumerate(model_dense):
            layer.kernel.assign(final[i][k])
            layer.bias.assign(final[n_layers + i][k, 0])
    histories = [{"loss": objective[:, k], "train_loss": train_loss[:, k], "val_loss": val_loss[:, k]}
                 for k in range(n_models)]
    if restore_best:
        for history, epoch in zip(histories, best_epoch.numpy(), strict=True):
            history["best_epoch"] = int(epoch)
    return histories
