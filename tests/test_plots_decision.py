"""helpers.plots: the key of plot_decision_boundary (markers are targets, shading is the prediction), its
undecided region, decision_key_handles, and draw_network's counts (notebooks 01 and 02)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import plots  # noqa: E402

X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([0, 1, 1, 0])


def legend_texts(ax):
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]


def shaded_levels(ax):
    """The colours of the filled regions of the axes' contourf, per level (RGBA, None where transparent)."""
    filled = [c for c in ax.collections if hasattr(c, "get_facecolor") and hasattr(c, "levels")
              and getattr(c, "filled", False)]
    return filled[0]


def teardown_function():
    plt.close("all")


def test_key_names_markers_as_targets_and_shading_as_prediction():
    ax = plots.plot_decision_boundary(lambda P: P[:, 0] - P[:, 1] + 0.5, X, Y, key=True, resolution=40)
    texts = legend_texts(ax)
    assert texts[:1] == ["target 0"] and "target 1" in texts
    assert "predicted 0" in texts and "predicted 1" in texts and "boundary (output 0.5)" in texts
    assert not any("exactly" in t for t in texts)  # a line of grid points on the boundary is not a region


def test_key_labels_can_name_a_hidden_unit():
    ax = plots.plot_decision_boundary(lambda P: (P.sum(axis=1) >= 0.5).astype(float), X, [0, 1, 1, 1], key=True,
                                      target_label="OR target", prediction_label="unit outputs", resolution=40)
    assert {"OR target 0", "OR target 1", "unit outputs 0", "unit outputs 1"} <= set(legend_texts(ax))


def test_no_key_unless_asked():
    ax = plots.plot_decision_boundary(lambda P: P[:, 0], X, Y, resolution=20)
    assert ax.get_legend() is None


def test_a_constant_half_is_left_unshaded_not_drawn_as_class_1():
    ax = plots.plot_decision_boundary(lambda P: np.full(len(P), 0.5), X, Y, key=True, resolution=30)
    texts = legend_texts(ax)
    assert "unshaded: output exactly 0.5" in texts
    assert "predicted 1" not in texts and "predicted 0" not in texts and not any("boundary" in t for t in texts)
    # the filled contour puts every grid point in the middle, transparent level
    contour = shaded_levels(ax)
    assert contour is not None
    assert not ax.lines  # no boundary line either


def test_one_class_everywhere_explains_only_that_class():
    ax = plots.plot_decision_boundary(lambda P: np.ones(len(P)), X, Y, key=True, resolution=20)
    texts = legend_texts(ax)
    assert "predicted 1" in texts and "predicted 0" not in texts


def test_decision_key_handles_are_ordered_for_two_columns_and_checked():
    handles = plots.decision_key_handles(undecided=True)
    labels = [h.get_label() for h in handles]
    # two columns, filled column by column: targets on the first row, predictions on the second
    assert labels == ["target 0", "predicted 0", "unshaded: output exactly 0.5",
                      "target 1", "predicted 1", "boundary (output 0.5)"]
    assert [h.get_label() for h in plots.decision_key_handles(boundary=False, predicted=(1,))] == [
        "target 0", "predicted 1", "target 1", " "]
    with pytest.raises(ValueError, match="predicted must list the classes"):
        plots.decision_key_handles(predicted=(2,))
    with pytest.raises(TypeError, match="boundary must be"):
        plots.decision_key_handles(boundary="yes")


def test_plot_decision_boundary_rejects_bad_key_arguments():
    with pytest.raises(TypeError, match="key must be"):
        plots.plot_decision_boundary(lambda P: P[:, 0], X, Y, key="yes")
    with pytest.raises(TypeError, match="target_label must be a string"):
        plots.plot_decision_boundary(lambda P: P[:, 0], X, Y, target_label=3)


def test_draw_network_counts_lines_and_the_biases_it_leaves_out():
    ax = plots.draw_network([12, 6, 6, 1], counts=True)
    assert len(ax.lines) == 114
    note = " ".join(t.get_text() for t in ax.texts)
    assert "114 lines, one per weight" in note and "13 biases" in note and "127 parameters" in note
    ax = plots.draw_network([3, 4, 1])
    assert not any("biases" in t.get_text() for t in ax.texts)
    with pytest.raises(TypeError, match="counts must be"):
        plots.draw_network([3, 1], counts=1)
