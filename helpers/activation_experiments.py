"""What the course measures about activation functions on a network (plumbing for notebooks 02, 04 and 05).

- :func:`plot_with_gradient`: the one figure style for "a function beside its derivative" (notebook 02).
- :func:`layer_gradient_norms`: the gradient norm of every layer, for vanishing gradients through depth
  (notebook 04).
- :func:`dead_unit_fraction`, and the stacked training below: dead units after one step that is too large
  (notebook 05).

The network itself is ``helpers.mlp``, the from-scratch NumPy network that notebook 04 teaches (parameters
``{"W1": ..., "b1": ..., ...}``, one activation name per layer, losses from ``helpers.losses.LOSSES``).
An experiment that repeats a training run over many random starts would call ``mlp.train`` once per start;
:func:`train_stack` runs the same full-batch gradient descent on K networks of one shape at once (each
weight array gets a leading axis of length K, see :func:`stack_networks`), which is many times faster and
gives the same numbers (``tests/test_activation_experiments.py`` holds it to ``mlp.train``). Every function
takes and returns NumPy arrays.
"""

from __future__ import annotations

import numpy as np

from . import mlp
from .activations import ACTIVATIONS, sigmoid
from .validation import as_float_array, check_choice, check_int, check_real

__all__ = ["layer_gradient_norms", "dead_unit_fraction", "plot_with_gradient", "stack_networks",
           "unstack_network", "train_stack", "hidden_units"]


def _activation(name: str, what: str):
    check_choice(name, what, ACTIVATIONS)
    return ACTIVATIONS[name]


def layer_gradient_norms(params, X, y, activations, loss: str = "mse"):
    """The Frobenius norm of the loss gradient for each layer's weight matrix, first layer first.

    The arguments are those of ``helpers.mlp.forward`` and ``helpers.mlp.backward``, which compute the
    gradients. A deep network whose first entries are orders of magnitude below its last has vanishing
    gradients: the layers near the input barely learn.
    """
    _, cache = mlp.forward(params, X, activations)
    grads = mlp.backward(params, cache, y, loss)
    return np.array([np.linalg.norm(grads[f"W{layer}"]) for layer in range(1, len(activations) + 1)])


def dead_unit_fraction(Z) -> float:
    """The fraction of units (columns of the pre-activations ``Z``, shape ``(n_examples, n_units)``) that
    are not positive for any example. A ReLU unit like that outputs 0 and gets a zero gradient on every
    example, so gradient descent can never revive it: it is dead."""
    Z = as_float_array(Z, "Z", ndim=2, min_size=1)
    return float(np.mean(np.all(Z <= 0, axis=0)))


def plot_with_gradient(curves, *, x=None, title: str | None = None, axes=None):
    """Draw activation functions on the left and their derivatives on the right, in the course's style.

    Args:
        curves: a dict ``{label: (f, f_grad)}``, or a list of names in ``ACTIVATIONS``.
        x: the inputs to draw over (default: 401 points from -5 to 5).
        title: the figure's title (default: the labels joined by commas).
        axes: a pair of matplotlib axes to draw on; a new 1 x 2 figure when ``None``.

    Returns the pair of axes ``(ax_f, ax_grad)``, so that a notebook can mark the points that matter.
    """
    import matplotlib.pyplot as plt

    from .plots import plot

    if isinstance(curves, (list, tuple)):
        curves = {name: _activation(name, "curves entry") for name in curves}
    if not isinstance(curves, dict) or not curves:
        raise TypeError(
            f"curves must be a non-empty dict {{label: (f, f_grad)}} or list of names, got {curves!r}"
        )
    for label, pair in curves.items():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(callable(g) for g in pair)):
            raise TypeError(
                f"curves[{label!r}] must be a pair (f, f_grad) of functions, got {pair!r} (type {type(pair).__name__})"
            )
    x = np.linspace(-5, 5, 401) if x is None else as_float_array(x, "x", ndim=1, min_size=2)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(8.4, 3.2))
    ax_f, ax_g = axes
    labels = list(curves)
    plot(x, [np.asarray(f(x), dtype=float) for f, _ in curves.values()], labels=labels, xlabel="$x$",
         ylabel="$f(x)$", title="function", ax=ax_f)
    plot(x, [np.asarray(g(x), dtype=float) for _, g in curves.values()], labels=labels, xlabel="$x$",
         ylabel="$f'(x)$", title="derivative", ax=ax_g)
    for ax in axes:
        ax.axhline(0, color="0.6", lw=0.8, zorder=0)
        ax.axvline(0, color="0.6", lw=0.8, zorder=0)
    ax_f.figure.suptitle(title if title is not None else ", ".join(labels), fontsize=12)
    return ax_f, ax_g


# --- many random starts at once: full-batch gradient descent on a stack of networks (notebook 05) -----------
def stack_networks(networks) -> dict:
    """Stack K networks of one shape (``helpers.mlp`` parameter dicts) into one dict whose arrays have a
    leading axis of length K: ``W1`` of shape ``(K, n0, n1)``, ``b1`` of shape ``(K, n1)``, and so on."""
    if isinstance(networks, dict) or not isinstance(networks, (list, tuple)) or not networks:
        raise TypeError(f"networks must be a non-empty list of parameter dicts (mlp.init_params), "
                        f"got {type(networks).__name__}")
    first = networks[0]
    mlp._check_params(first)
    for k, net in enumerate(networks):
        mlp._check_params(net)
        shapes = {name: np.shape(net[name]) for name in net}
        if set(net) != set(first) or any(shapes[name] != np.shape(first[name]) for name in first):
            raise ValueError(f"networks[{k}] must have the shapes of networks[0], "
                             f"{ {name: np.shape(first[name]) for name in first} }, got {shapes}")
    return {name: np.stack([np.asarray(net[name], dtype=float) for net in networks]) for name in first}


def unstack_network(stack, k: int) -> dict:
    """Network ``k`` of a stack, as an ordinary ``helpers.mlp`` parameter dict."""
    n_networks = _check_stack(stack)
    k = check_int(k, "k", minimum=0, maximum=n_networks - 1)
    return {name: value[k].copy() for name, value in stack.items()}


def _check_stack(stack) -> int:
    if not isinstance(stack, dict) or "W1" not in stack:
        raise TypeError(f"stack must be the dict that stack_networks returns, got {type(stack).__name__}")
    n_layers = len(stack) // 2
    if set(stack) != {f"{kind}{layer}" for layer in range(1, n_layers + 1) for kind in "Wb"}:
        raise ValueError(f"stack must hold W1, b1, ..., W{n_layers}, b{n_layers}, got {sorted(stack)}")
    n_networks = np.shape(stack["W1"])[0] if np.ndim(stack["W1"]) == 3 else None
    for layer in range(1, n_layers + 1):
        W, b = stack[f"W{layer}"], stack[f"b{layer}"]
        if np.ndim(W) != 3 or np.ndim(b) != 2 or W.shape[0] != n_networks or b.shape != (n_networks, W.shape[2]):
            raise ValueError(f"stack['W{layer}'] must have shape (K, fan_in, fan_out) and stack['b{layer}'] "
                             f"(K, fan_out), got {np.shape(W)} and {np.shape(b)}")
    return n_networks


def _check_stack_problem(stack, X, y, activations):
    _check_stack(stack)
    n_layers = len(stack) // 2
    if not isinstance(activations, (list, tuple)) or len(activations) != n_layers:
        raise ValueError(f"activations must name one activation per layer ({n_layers}), got {activations!r}")
    for i, name in enumerate(activations[:-1]):
        check_choice(name, f"activations[{i}]", ACTIVATIONS)
    if activations[-1] != "sigmoid":
        raise ValueError(f"the stacked networks learn binary cross-entropy through a sigmoid output, so "
                         f"activations[-1] must be 'sigmoid', got {activations[-1]!r}")
    X = as_float_array(X, "X", shape=(None, stack["W1"].shape[1]), min_size=1)
    y = as_float_array(y, "y", ndim=1)
    if len(y) != len(X) or stack[f"W{n_layers}"].shape[2] != 1:
        raise ValueError(f"y must hold one label per row of X ({len(X)}) for one output unit, got {len(y)} labels "
                         f"and {stack[f'W{n_layers}'].shape[2]} output units")
    if y.min() < 0 or y.max() > 1:
        raise ValueError(f"y must hold labels in [0, 1] for binary cross-entropy, got values from {y.min()} "
                         f"to {y.max()}")
    return X, y


def _forward_stack(stack, X, activations):
    A = X
    cache = {"A0": X}
    for layer, name in enumerate(activations, start=1):
        Z = A @ stack[f"W{layer}"] + stack[f"b{layer}"][:, None, :]  # (K, n, units)
        A = ACTIVATIONS[name][0](Z)
        cache[f"Z{layer}"], cache[f"A{layer}"] = Z, A
    return cache


def _loss_stack(cache, y, n_layers):
    z = cache[f"Z{n_layers}"][..., 0]  # the logits, (K, n): binary cross-entropy from the logits, as mlp does
    log_p = np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))  # log sigmoid(z), without overflow
    log_not_p = log_p - z  # log(1 - sigmoid(z)) = log sigmoid(z) - z
    return -np.mean(y * log_p + (1 - y) * log_not_p, axis=1)


def _backward_stack(stack, cache, y, activations):
    n_layers = len(activations)
    dZ = (sigmoid(cache[f"Z{n_layers}"]) - y[None, :, None]) / len(y)  # sigmoid + cross-entropy: (p - y) / n
    grads = {}
    for layer in range(n_layers, 0, -1):
        A_prev = cache[f"A{layer - 1}"]
        if A_prev.ndim == 2:  # the data, shared by every network
            grads[f"W{layer}"] = np.einsum("ni,knj->kij", A_prev, dZ)
        else:
            grads[f"W{layer}"] = np.swapaxes(A_prev, 1, 2) @ dZ
        grads[f"b{layer}"] = dZ.sum(axis=1)
        if layer > 1:
            dA = dZ @ np.swapaxes(stack[f"W{layer}"], 1, 2)
            dZ = dA * ACTIVATIONS[activations[layer - 2]][1](cache[f"Z{layer - 1}"])
    return grads


def train_stack(stack, X, y, activations, learning_rate, steps):
    """Full-batch gradient descent on every network of a stack at once, with binary cross-entropy.

    Each network takes exactly the steps that ``helpers.mlp.train(network, X, y, activations,
    "binary_cross_entropy", learning_rate, steps)`` would take on its own: a forward pass over all of ``X``,
    the backward pass, ``W <- W - learning_rate * dL/dW``. The output layer is a sigmoid, fused with the
    loss as in ``mlp`` (its gradient with respect to the logits is ``(p - y) / n``).

    Args:
        stack: K networks, from :func:`stack_networks`.
        X: the inputs, shape ``(n, n0)``; y: the 0/1 labels, shape ``(n,)``.
        activations: one name per layer, the last one ``"sigmoid"``.
        learning_rate: a positive number; steps: an integer >= 0.

    Returns:
        the trained stack, and the loss of every network before each step, shape ``(steps, K)``.
    """
    X, y = _check_stack_problem(stack, X, y, activations)
    learning_rate = check_real(learning_rate, "learning_rate", low=0, low_open=True)
    steps = check_int(steps, "steps", minimum=0)
    history = np.empty((steps, stack["W1"].shape[0]))
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            cache = _forward_stack(stack, X, activations)
            history[step] = _loss_stack(cache, y, len(activations))
            grads = _backward_stack(stack, cache, y, activations)
            stack = {name: stack[name] - learning_rate * grads[name] for name in stack}
    return stack, history


def hidden_units(stack, X, y, activations) -> dict:
    """What every hidden unit of every network of a stack does on ``(X, y)``.

    Returns a dict of arrays; K networks, U hidden units in all (the first hidden layer's first):

    - ``"Z"``: the pre-activations, one array ``(K, n, units)`` per hidden layer (a list);
    - ``"off"``: ``(K, U)``, True where a unit's pre-activation is ``<= 0`` on every example;
    - ``"grad_norm"``: ``(K, U)``, the norm of the loss gradient for the unit's incoming weights and bias;
    - ``"layer"``: ``(U,)``, the hidden layer of each unit (1, 2, ...);
    - ``"loss"``: ``(K,)``; ``"grads"``: the gradient of every parameter, stacked.
    """
    X, y = _check_stack_problem(stack, X, y, activations)
    n_layers = len(activations)
    with np.errstate(over="ignore", invalid="ignore"):
        cache = _forward_stack(stack, X, activations)
        grads = _backward_stack(stack, cache, y, activations)
    hidden = range(1, n_layers)
    Z = [cache[f"Z{layer}"] for layer in hidden]
    norms = [np.sqrt(np.sum(grads[f"W{layer}"] ** 2, axis=1) + grads[f"b{layer}"] ** 2) for layer in hidden]
    return {
        "Z": Z,
        "off": np.concatenate([np.all(z <= 0, axis=1) for z in Z], axis=1),
        "grad_norm": np.concatenate(norms, axis=1),
        "layer": np.concatenate([np.full(z.shape[2], layer) for layer, z in zip(hidden, Z, strict=True)]),
        "loss": _loss_stack(cache, y, n_layers),
        "grads": grads,
    }
