"""ann-crux helpers: the small package every notebook imports.

Each module owns one topic and names the notebook that teaches it:

- ``validation``             argument checks shared by every module (plumbing)
- ``checks``                 ``compare``, ``numerical_gradient``, ``claim``: code and claims held against a reference
- ``plots``                  the plot style and the plotting helpers every notebook shares
- ``neuron``                 notebook 01: a neuron, a dense layer, the perceptron rule
- ``activations``            notebook 02: activation functions and their derivatives
- ``activation_experiments`` notebook 02: gradient norms per layer, dead units, function-and-gradient plots
- ``losses``                 notebook 03: SSE/MSE/MAE, binary and categorical cross-entropy, gradients, weights
- ``mlp``                    notebook 04: a multilayer network from scratch (forward, backward, SGD)
- ``autodiff``               notebook 04: a gradient tape (record, walk back) and the computational-graph drawing
- ``gradcheck``              notebook 04: gradient checking against finite differences and TensorFlow
- ``gradient_descent``       notebook 05: the update rule; batch, stochastic and mini-batch gradient descent
- ``optimizers``             notebook 06: SGD, momentum, Nesterov, AdaGrad, RMSprop, Adam, AdamW from scratch
- ``surfaces``               notebook 06: test functions (saddle, local minima, ravine, Rosenbrock, noise)
- ``dropout``                notebook 07: inverted dropout, forward and backward
- ``churn_data``             notebook 08: the synthetic bank-churn replica and the validating loader
- ``churn``                  notebook 08: preprocessing, and saving/loading the model without executing code
- ``evaluation``             notebook 08: network copies trained together, bootstrap, costs, calibration, model card
- ``exercises``              every notebook's exercise checks; the expected answers live here, never in a notebook

Only :func:`setup` and :func:`show_source` live here. Modules are imported by name
(``from helpers import activations``) so that importing ``helpers`` stays fast and never imports TensorFlow by itself.
"""

from __future__ import annotations

import contextlib
import os
import platform
import random
import sys

__all__ = ["setup", "show_source", "__version__"]
__version__ = "0.1.0"

DEFAULT_SEED = 42


@contextlib.contextmanager
def _quiet_stderr_fd():
    """Send file descriptor 2 to /dev/null for the duration of the block.

    TensorFlow's C++ runtime writes its start-up banner (oneDNN, CUDA, absl) straight to file descriptor 2,
    below Python, so ``contextlib.redirect_stderr`` cannot catch it. Jupyter forwards that descriptor into
    the notebook, where the banner would end up in the stored outputs.
    """
    # Jupyter's kernel points descriptor 2 at a pipe it forwards into the notebook, and its sys.stderr
    # reports a copy of the original descriptor: silence descriptor 2 itself, and that copy if different.
    fds = {2}
    try:
        fds.add(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):  # no real descriptor (some IDEs)
        pass
    sys.stderr.flush()
    saved = {}
    try:
        with open(os.devnull, "w") as devnull:
            for fd in fds:
                try:
                    saved[fd] = os.dup(fd)
                    os.dup2(devnull.fileno(), fd)
                except OSError:  # the descriptor is closed: nothing to hide there
                    saved.pop(fd, None)
            yield
    finally:
        sys.stderr.flush()
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)


def _import_tensorflow():
    """Import TensorFlow and Keras quietly and return ``(tf, keras)``."""
    # Set before the first import of TensorFlow; later imports reuse the loaded module.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # C++ INFO and WARNING lines
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # the same float order on every CPU
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    with _quiet_stderr_fd():
        import keras
        import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    return tf, keras


def _reset_keras_seed_generator():
    """Drop Keras's global SeedGenerator so that unseeded ``keras.random`` calls restart from the new seed.

    Keras 3.13 and later do this inside ``set_random_seed``; Keras 3.12 (the newest release for Python 3.10)
    keeps the old generator, so a second ``setup`` in the same process would continue its stream."""
    try:
        from keras.src.backend.common import global_state
    except ImportError:  # a Keras without that private module: nothing to reset
        return
    global_state.set_global_attribute("global_seed_generator", None)


def setup(seed: int = DEFAULT_SEED, *, tensorflow: bool = True, deterministic: bool = True, quiet: bool = False):
    """Prepare a notebook: seeds, a quiet TensorFlow start-up, one plot style, a versions line.

    Call it once, in the set-up cell at the top of every notebook. It

    - seeds Python's ``random``, NumPy's global generator and Keras/TensorFlow with ``seed``
      (``keras.utils.set_random_seed``), and records ``PYTHONHASHSEED`` for any subprocess;
    - imports TensorFlow without its C++ start-up banner and turns on op determinism, so a training run
      gives the same numbers every time on the same machine;
    - applies the course's plot style (:func:`helpers.plots.use_style`) and NumPy print options;
    - prints the versions in one line, so a reader can tell which stack produced the stored outputs.

    Args:
        seed: a non-negative integer.
        tensorflow: import and seed TensorFlow and Keras too (``False`` for NumPy-only work).
        deterministic: call ``tf.config.experimental.enable_op_determinism()``.
        quiet: do not print the versions line.

    Returns:
        ``numpy.random.Generator`` seeded with ``seed``, for the notebook's own random numbers.
    """
    from .validation import check_int

    seed = check_int(seed, "seed", minimum=0)
    import numpy as np

    from . import plots

    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    np.set_printoptions(precision=4, suppress=True, linewidth=110)
    plots.use_style()

    parts = [f"Python {platform.python_version()}", f"NumPy {np.__version__}"]
    if tensorflow:
        tf, keras = _import_tensorflow()
        keras.utils.set_random_seed(seed)
        _reset_keras_seed_generator()
        if deterministic:
            tf.config.experimental.enable_op_determinism()
        gpus = tf.config.list_physical_devices("GPU")
        parts += [f"TensorFlow {tf.__version__}", f"Keras {keras.__version__}", f"GPU: {len(gpus) or 'none'}"]
    parts.append(f"seed {seed}")
    if not quiet:
        print(" | ".join(parts))
    return np.random.default_rng(seed)


def show_source(obj):
    """Display the source code of a helper in the notebook, so that code taught once and reused later is
    read where it is taught and written only once, in ``helpers``. Returns an IPython ``Markdown`` object
    (a fenced Python block) that Jupyter, Colab and GitHub all render."""
    import inspect

    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj) or inspect.ismodule(obj)):
        raise TypeError(f"obj must be a function, class or module, got {type(obj).__name__}")
    from IPython.display import Markdown

    return Markdown(f"```python\n{inspect.getsource(obj).rstrip()}\n```")
