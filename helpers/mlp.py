"""A multilayer network from scratch in NumPy: forward pass, backward pass, gradient descent (notebook 04).

Functions, not classes: each step of training is one short function that reads in one screen.

- The parameters are one dict, ``{"W1": (n0, n1), "b1": (n1,), "W2": (n1, n2), "b2": (n2,), ...}``, for
  layer sizes ``[n0, n1, n2, ...]`` (``n0`` inputs). Layer ``l`` computes ``Z_l = A_{l-1} @ W_l + b_l`` and
  ``A_l = g_l(Z_l)`` with ``A_0 = X``, one row per sample, as ``keras.layers.Dense`` does.
- ``activations`` is a list of one name per layer, from ``helpers.activations.ACTIVATIONS``, plus
  ``"softmax"`` for the output layer.
- ``loss`` is a name from ``helpers.losses.LOSSES`` (notebook 03), e.g. ``"binary_cross_entropy"``.

The gradient check that holds :func:`backward` against finite differences and TensorFlow is in
``helpers.gradcheck``.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, softmax
from .losses import LOSSES, _log_sigmoid
from .validation import as_float_array, check_callable, check_choice, check_int, check_real

__all__ = ["init_params", "forward", "backward", "compute_loss", "sgd_step", "train", "train_many", "predict",
           "count_flops", "OUTPUT_ONLY_ACTIVATIONS", "FUSED_OUTPUTS", "INITS"]

OUTPUT_ONLY_ACTIVATIONS = ("softmax",)
"""Activations that are not element-wise and may only be used in the last layer."""

FUSED_OUTPUTS = {("sigmoid", "binary_cross_entropy"), ("softmax", "categorical_cross_entropy")}
"""Output activation and loss pairs whose loss and gradient are computed from the pre-activation Z (the
logits), as Keras does: no probability is clipped, so neither saturates."""

INITS = ("glorot", "he")
"""The weight initialisations :func:`init_params` knows."""


# --- the network --------------------------------------------------------------------------------------------
def init_params(layer_sizes, rng, *, init="glorot"):
    """Random weights and zero biases, Glorot-uniform by default (the default of ``keras.layers.Dense``).

    Args:
        layer_sizes: ``[n_inputs, n_hidden_1, ..., n_outputs]``, at least two positive integers.
        rng: a ``numpy.random.Generator`` (the one ``helpers.setup`` returns).
        init: ``"glorot"``, uniform in ``+-sqrt(6 / (fan_in + fan_out))``; or ``"he"``, normal with standard
            deviation ``sqrt(2 / fan_in)``, made for ReLU (Keras's ``"he_normal"`` without its truncation).
    """
    sizes = _check_init(layer_sizes, rng, init)  # argument checks (plumbing)
    params = {}
    for layer in range(1, len(sizes)):
        fan_in, fan_out = sizes[layer - 1], sizes[layer]
        if init == "glorot":
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            params[f"W{layer}"] = rng.uniform(-limit, limit, size=(fan_in, fan_out))
        else:
            params[f"W{layer}"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        params[f"b{layer}"] = np.zeros(fan_out)
    return params


def forward(params, X, activations):
    """Run ``X`` through every layer; return the output and the cache of everything backward needs."""
    n_layers, A = _check_forward(params, X, activations)  # argument checks (plumbing)
    cache = {"A0": A, "activations": list(activations)}
    for layer in range(1, n_layers + 1):
        Z = A @ params[f"W{layer}"] + params[f"b{layer}"]  # the layer's pre-activation
        A = _activate(activations[layer - 1], Z)  # its output: the next layer's input
        cache[f"Z{layer}"], cache[f"A{layer}"] = Z, A
    return A, cache


def backward(params, cache, y, loss):
    """The gradient of the loss with respect to every parameter: the chain rule, from the output back."""
    n_layers, y = _check_backward(params, cache, y, loss)  # argument checks (plumbing)
    output, Z_out = cache[f"A{n_layers}"], cache[f"Z{n_layers}"]
    if (cache["activations"][-1], loss) in FUSED_OUTPUTS:
        # notebook 03: sigmoid + cross-entropy (softmax + categorical) give dL/dZ = (A - y) / n at once. Taken
        # from Z, a saturated, confidently wrong output keeps its full gradient, as in Keras.
        dZ = LOSSES[loss][1](y, Z_out, from_logits=True)
    else:
        dZ = _activation_backward(cache["activations"][-1], Z_out, output, LOSSES[loss][1](y, output))
    grads = {}
    for layer in range(n_layers, 0, -1):
        grads[f"W{layer}"] = cache[f"A{layer - 1}"].T @ dZ  # dL/dW = A_prev^T dL/dZ, summed over samples
        grads[f"b{layer}"] = dZ.sum(axis=0)  # b is added to every sample's row
        if layer > 1:
            dA = dZ @ params[f"W{layer}"].T  # dL/dA_prev: hand the error back one layer
            name, Z, A = cache["activations"][layer - 2], cache[f"Z{layer - 1}"], cache[f"A{layer - 1}"]
            dZ = _activation_backward(name, Z, A, dA)  # dL/dZ = dL/dA * g'(Z)
    return grads


def compute_loss(params, X, y, activations, loss):
    """The loss of the network on ``(X, y)``: a forward pass, then the loss function."""
    return _loss_value(forward(params, X, activations)[1], y, loss)


def sgd_step(params, grads, learning_rate):
    """One step against the gradient, ``W_new = W_old - learning_rate * dL/dW``, for every parameter (the
    step of notebook 04, section 1; notebook 05 calls it gradient descent).

    Returns new arrays; ``params`` is left as it was.
    """
    learning_rate = _check_step(params, grads, learning_rate)  # argument checks (plumbing)
    return {name: params[name] - learning_rate * grads[name] for name in params}


def train(params, X, y, activations, loss, learning_rate, epochs, *, backward_fn=backward):
    """Full-batch training: each of the ``epochs`` steps is one forward pass over all of ``X``, one backward
    pass and one :func:`sgd_step` (notebook 05: one pass over the data is an epoch). Returns the trained
    parameters and the loss before each step."""
    epochs = _check_train(epochs, backward_fn)  # argument checks (plumbing)
    history = np.empty(epochs)
    for epoch in range(epochs):
        _, cache = forward(params, X, activations)
        history[epoch] = _loss_value(cache, y, loss)
        grads = backward_fn(params, cache, y, loss)
        params = sgd_step(params, grads, learning_rate)
    return params, history


def train_many(params_list, X, y, activations, loss, learning_rate, epochs):
    """:func:`train` for many networks of one architecture at once (plumbing for experiments over seeds).

    Every network in ``params_list`` (dicts as :func:`init_params` makes them, for example one per seed) is
    trained exactly as :func:`train` would train it alone, with the same data, step and number of epochs;
    stacking them along a leading axis makes thirty small runs cost about as much as one. Hidden layers may
    use any element-wise activation; the output layer must be ``sigmoid`` with ``"binary_cross_entropy"``
    (computed from the logits, as :func:`backward` does) or any element-wise activation with ``"mse"``.

    Returns the list of trained parameter dicts and the loss before each step, shape
    ``(len(params_list), epochs)``.
    """
    if not isinstance(params_list, (list, tuple)) or not params_list:
        raise TypeError(f"params_list must be a non-empty list of parameter dicts, got {params_list!r:.60}")
    n_layers = _check_network(params_list[0], activations)
    for i, params in enumerate(params_list):
        if _check_network(params, activations) != n_layers or any(
                np.shape(params[k]) != np.shape(params_list[0][k]) for k in params):
            raise ValueError(f"params_list[{i}] must have the shapes of params_list[0] (one architecture)")
    output_name = activations[-1]
    if not ((output_name, loss) == ("sigmoid", "binary_cross_entropy")
            or (loss == "mse" and output_name not in OUTPUT_ONLY_ACTIVATIONS)):
        raise ValueError(f"train_many supports a sigmoid output with 'binary_cross_entropy' or an element-wise "
                         f"output with 'mse', got output {output_name!r} with loss {loss!r}")
    X = as_float_array(X, "X", shape=(None, params_list[0]["W1"].shape[0]), min_size=1)
    output = np.zeros((X.shape[0], params_list[0][f"W{n_layers}"].shape[1]))
    y = _check_targets(y, output, loss)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    epochs = check_int(epochs, "epochs", minimum=1)
    W = [np.stack([p[f"W{layer}"] for p in params_list]) for layer in range(1, n_layers + 1)]
    b = [np.stack([p[f"b{layer}"] for p in params_list])[:, None, :] for layer in range(1, n_layers + 1)]
    size = y.size  # the loss is the mean over samples and output units
    history = np.empty((len(params_list), epochs))
    for epoch in range(epochs):
        A, Z = [X[None]], []
        for layer in range(n_layers):  # forward: Z = A W + b, one matrix product per network
            Z.append(A[-1] @ W[layer] + b[layer])
            A.append(ACTIVATIONS[activations[layer]][0](Z[-1]))
        if loss == "binary_cross_entropy":  # from the logits, as in backward
            history[:, epoch] = -np.mean(y * _log_sigmoid(Z[-1]) + (1 - y) * _log_sigmoid(-Z[-1]), axis=(1, 2))
            dZ = (A[-1] - y) / size
        else:
            history[:, epoch] = np.mean((A[-1] - y) ** 2, axis=(1, 2))
            dZ = 2 * (A[-1] - y) / size * ACTIVATIONS[output_name][1](Z[-1])
        for layer in range(n_layers - 1, -1, -1):  # backward: the formulas of backward, batched over networks
            dW, db = np.swapaxes(A[layer], 1, 2) @ dZ, dZ.sum(axis=1, keepdims=True)  # summed over samples
            if layer:
                dZ = (dZ @ np.swapaxes(W[layer], 1, 2)) * ACTIVATIONS[activations[layer - 1]][1](Z[layer - 1])
            W[layer], b[layer] = W[layer] - learning_rate * dW, b[layer] - learning_rate * db
    trained = [{name: (W if name[0] == "W" else b)[int(name[1:]) - 1][i].reshape(np.shape(params[name]))
                for name in params} for i, params in enumerate(params_list)]
    return trained, history


def predict(params, X, activations):
    """The network's output for ``X`` (probabilities for a sigmoid or softmax output layer)."""
    return forward(params, X, activations)[0]


def count_flops(layer_sizes, n_samples):
    """Multiply-adds of the matrix products in one forward and one backward pass, as ``(forward, backward)``.

    Forward: ``A_prev @ W`` per layer. Backward: ``A_prev^T @ dZ`` per layer and ``dZ @ W^T`` per layer but
    the first (nobody needs the gradient with respect to the data). Element-wise work is not counted.
    """
    sizes = _check_layer_sizes(layer_sizes)
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    products = [n_samples * n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    return sum(products), 2 * sum(products) - products[0]


# --- plumbing: activations and argument checks ------------------------------------------------------------
def _loss_value(cache, y, loss):
    """The loss from a forward pass's cache; from the logits for the pairs in ``FUSED_OUTPUTS``."""
    n_layers = len(cache["activations"])
    output = cache[f"A{n_layers}"]
    y = _check_targets(y, output, loss)
    if (cache["activations"][-1], loss) in FUSED_OUTPUTS:
        return LOSSES[loss][0](y, cache[f"Z{n_layers}"], from_logits=True)
    return LOSSES[loss][0](y, output)


def _activate(name, Z):
    return softmax(Z, axis=1) if name == "softmax" else ACTIVATIONS[name][0](Z)


def _activation_backward(name, Z, A, dA):
    """``dL/dZ`` from ``dL/dA``: times ``g'(Z)`` element by element, or for softmax (not element-wise) the
    product with its Jacobian ``diag(s) - s s^T``, row by row."""
    if name == "softmax":
        return A * (dA - np.sum(dA * A, axis=1, keepdims=True))
    return dA * ACTIVATIONS[name][1](Z)


def _check_init(layer_sizes, rng, init):
    sizes = _check_layer_sizes(layer_sizes)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    check_choice(init, "init", INITS)
    return sizes


def _check_forward(params, X, activations):
    n_layers = _check_network(params, activations)
    return n_layers, as_float_array(X, "X", shape=(None, params["W1"].shape[0]), min_size=1)


def _check_backward(params, cache, y, loss):
    if not isinstance(cache, dict) or "activations" not in cache:
        raise TypeError(f"cache must be the dict that forward returns, got {type(cache).__name__}")
    n_layers = _check_network(params, cache["activations"])
    return n_layers, _check_targets(y, cache[f"A{n_layers}"], loss)


def _check_step(params, grads, learning_rate):
    _check_params(params)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    if not isinstance(grads, dict) or set(grads) != set(params):
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"grads must have the same keys as params, {sorted(params)}, got {got}")
    for name in params:
        as_float_array(grads[name], f"grads[{name!r}]", finite=False)
        if np.shape(grads[name]) != np.shape(params[name]):
            raise ValueError(f"grads[{name!r}] must have shape {np.shape(params[name])}, "
                             f"got {np.shape(grads[name])}")
    return learning_rate


def _check_train(epochs, backward_fn):
    epochs = check_int(epochs, "epochs", minimum=1)
    check_callable(backward_fn, "backward_fn")
    return epochs


def _check_layer_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__") or len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must be a list of at least two layer sizes "
                         f"[n_inputs, ..., n_outputs], got {layer_sizes!r}")
    return [check_int(s, f"layer_sizes[{i}]", minimum=1) for i, s in enumerate(layer_sizes)]


def _check_params(params):
    """Check that ``params`` is a dict of W1, b1, ..., WL, bL holding numbers; return the number of layers L."""
    if not isinstance(params, dict) or "W1" not in params:
        raise TypeError(f"params must be a dict {{'W1': ..., 'b1': ..., ...}} (see init_params), "
                        f"got {type(params).__name__}")
    n_layers = len(params) // 2
    expected = {f"{kind}{layer}" for layer in range(1, n_layers + 1) for kind in "Wb"}
    if set(params) != expected:
        raise ValueError(f"params must hold exactly {sorted(expected)}, got {sorted(params)}")
    for name, value in params.items():
        if not (isinstance(value, np.ndarray) and value.dtype.kind in "fiub"):  # fast path: a numeric array
            as_float_array(value, f"params[{name!r}]", finite=False)  # numbers, not strings or objects
    return n_layers


def _check_network(params, activations):
    """Check that ``params`` holds W1, b1, ..., WL, bL of chained shapes and that there is one activation
    name per layer; return the number of layers L."""
    n_layers = _check_params(params)
    for layer in range(1, n_layers + 1):
        W, b = params[f"W{layer}"], params[f"b{layer}"]
        if np.ndim(W) != 2 or np.shape(b) != (np.shape(W)[1],):
            raise ValueError(f"params['W{layer}'] must be 2-D and params['b{layer}'] must have one entry per "
                             f"column of it, got shapes {np.shape(W)} and {np.shape(b)}")
        if layer > 1 and np.shape(W)[0] != np.shape(params[f"W{layer - 1}"])[1]:
            raise ValueError(f"params['W{layer}'] must have {np.shape(params[f'W{layer - 1}'])[1]} rows (the "
                             f"width of layer {layer - 1}), got shape {np.shape(W)}")
    if isinstance(activations, str) or not isinstance(activations, (list, tuple)):
        raise TypeError(f"activations must be a list of one name per layer, got {activations!r}")
    if len(activations) != n_layers:
        raise ValueError(f"activations must name one activation per layer ({n_layers}), "
                         f"got {len(activations)}: {list(activations)}")
    for i, name in enumerate(activations):
        allowed = set(ACTIVATIONS) | (set(OUTPUT_ONLY_ACTIVATIONS) if i == n_layers - 1 else set())
        check_choice(name, f"activations[{i}]", allowed)
    return n_layers


def _check_targets(y, output, loss):
    """``y`` as an array shaped like the network's output (a 1-D ``y`` is accepted for one output unit);
    labels for a cross-entropy loss must lie in [0, 1]."""
    check_choice(loss, "loss", LOSSES)
    y = as_float_array(y, "y", ndim=(1, 2))
    given = y.shape
    if y.ndim == 1 and output.shape[1] == 1:
        y = y[:, None]
    if y.shape != output.shape:
        raise ValueError(f"y must have shape {output.shape} (one row per sample of X, one column per output "
                         f"unit), got shape {given}")
    if "cross_entropy" in loss and (y.min() < 0 or y.max() > 1):
        bad = y[(y < 0) | (y > 1)][0]
        raise ValueError(f"y must hold labels in [0, 1] for loss {loss!r}, but it holds {bad}")
    return y
