"""pytest configuration shared by the unit tests and by nbval's notebook tests.

nbval compares every stream a checked cell printed, stderr included. TensorFlow and Python warnings write to
stderr in ways that depend on the machine (CPU features, library versions), so the comparison here keeps
stdout, results and displays and leaves stderr out (DESIGN.md, "Tests and stored outputs").
"""

from __future__ import annotations

import os

# Headless plotting for the unit tests; nbval's kernels use the inline backend.
os.environ.setdefault("MPLBACKEND", "Agg")
# The same quiet, CPU-independent TensorFlow in the kernels nbval starts (they inherit this environment).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
# The stored outputs of notebook 08 come from the synthetic replica: test against it even where a user has put
# the real Churn_Modelling.csv in data/ or pointed CHURN_DATA at it (helpers.churn_data.load_churn).
os.environ["CHURN_DATA"] = "replica"


def _without_stderr(outputs):
    return [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


try:
    from nbval.plugin import IPyNbCell
except ImportError:  # nbval missing: the notebook tests cannot run, the unit tests still can
    IPyNbCell = None

if IPyNbCell is not None and not getattr(IPyNbCell.compare_outputs, "_ignores_stderr", False):
    _original_compare = IPyNbCell.compare_outputs

    def compare_outputs(self, test, ref, skip_compare=None):
        return _original_compare(self, _without_stderr(test), _without_stderr(ref), skip_compare)

    compare_outputs._ignores_stderr = True
    IPyNbCell.compare_outputs = compare_outputs
