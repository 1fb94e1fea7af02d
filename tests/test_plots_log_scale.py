"""helpers.plots.log_scale (added for notebook 04's log-scale figures): plain labels, no minor ticks, checks."""

from __future__ import annotations

import matplotlib
import pytest

matplotlib.use("Agg")


def test_log_scale_sets_plain_labels_and_no_minor_ticks():
    import matplotlib.pyplot as plt

    from helpers import plots

    _, ax = plt.subplots()
    ax.plot([1e-3, 1e-1, 10.0], [1e-6, 1e-2, 1e2])
    assert plots.log_scale(ax, x=True) is ax
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.yaxis.get_major_formatter()(1e-5, 0) == "1e-05"
    assert len(ax.yaxis.get_minorticklocs()) == 0
    _, ax2 = plt.subplots()
    plots.log_scale(ax2)
    assert ax2.get_xscale() == "linear" and ax2.get_yscale() == "log"
    with pytest.raises(TypeError, match="ax must be a matplotlib axes"):
        plots.log_scale("ax")
    with pytest.raises(TypeError, match="x"):
        plots.log_scale(ax2, x="yes")
    plt.close("all")
