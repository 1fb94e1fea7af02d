"""helpers.exercises itself: verdicts, stub detection, diagnoses that never show the expected value."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import Wrong

SECRET = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]])


@exercises.exercise("99.1", "a test exercise")
def _check_secret(answer, report):
    got = exercises.call(answer, np.ones(2))
    problem = exercises.diagnose(got, SECRET, factors={2.0: "you doubled it"},
                                 regions={"x < 0": SECRET < 0})
    if problem:
        raise Wrong(problem)


@exercises.exercise("99.2", "a multi-part test exercise")
def _check_parts(answer, report):
    a, b = exercises.call(answer)
    report.compare("dA", a, SECRET)
    report.compare("db", b, SECRET.sum(axis=0))


def stub(x):
    ...


def stub_with_doc(x):
    """Return the secret."""


def stub_raising(x):
    raise NotImplementedError


def right(x):
    return SECRET.copy()


@pytest.mark.parametrize("answer", [None, ..., stub, stub_with_doc, stub_raising])
def test_placeholders_are_not_attempted(answer):
    assert exercises.evaluate("99.1", answer).status == "not attempted"


def test_right_answer_is_correct_and_printed(capsys):
    exercises.check("99.1", right)
    out = capsys.readouterr().out
    assert "correct" in out and "99.1" in out
    assert exercises.last_result("99.1").passed


@pytest.mark.parametrize("wrong, phrase", [
    (lambda x: SECRET.T, "transposed"),
    (lambda x: -SECRET, "wrong sign"),
    (lambda x: 2 * SECRET, "factor of 2: you doubled it"),
    (lambda x: 3 * SECRET, "factor of 3"),
    (lambda x: np.where(SECRET < 0, 0.0, SECRET), "except where x < 0"),
    (lambda x: SECRET[:1], "shape (1, 3)"),
    (lambda x: SECRET.ravel(), "wrong shape"),
    (lambda x: SECRET * np.nan, "NaN"),
    (lambda x: "abc", "string"),
    (lambda x: 1 / 0, "ZeroDivisionError"),
])
def test_wrong_answers_get_a_teaching_message_without_the_answer(wrong, phrase):
    result = exercises.evaluate("99.1", wrong)
    assert result.status == "wrong"
    assert phrase in result.message
    for value in SECRET.ravel():
        assert f"{value}" not in result.message.replace("(1, 3)", "").replace("(2, 3)", "").replace("(3, 2)", "")


def test_forgotten_return_is_named():
    def forgot(x):
        SECRET.copy()

    result = exercises.evaluate("99.1", forgot)
    assert result.status == "wrong" and "return" in result.message


def test_inputs_are_copied():
    seen = []

    def mutating(x):
        x[:] = 99
        seen.append(x)
        return SECRET

    exercises.evaluate("99.1", mutating)
    assert seen[0] is not None


def test_multi_part_prints_one_line_per_quantity():
    result = exercises.evaluate("99.2", lambda: (SECRET, SECRET.sum(axis=0) / 2))
    assert result.status == "wrong"
    assert result.lines[0].startswith("dA") and "exact" in result.lines[0]
    assert result.lines[1].startswith("db") and "factor of 0.5" in result.lines[1]
    assert exercises.evaluate("99.2", lambda: (SECRET, SECRET.sum(axis=0))).passed


def test_as_number():
    assert exercises.as_number(np.float32(0.5)) == 0.5
    assert exercises.as_number(np.array([2.0])) == 2.0
    with pytest.raises(Wrong, match="bool"):
        exercises.as_number(True)
    with pytest.raises(Wrong, match="number"):
        exercises.as_number("3")
    with pytest.raises(Wrong, match="finite"):
        exercises.as_number(float("inf"))


@pytest.mark.parametrize("key", ["1.1", "01", "01-1", 1.1, "99.7"])
def test_bad_keys_are_named(key):
    with pytest.raises((ValueError, TypeError), match="exercise|key"):
        exercises.evaluate(key, 1)


def test_registration_refuses_bad_keys():
    with pytest.raises(ValueError, match="04.2"):
        exercises.exercise("4.2", "x")
    with pytest.raises(TypeError, match="title"):
        exercises.exercise("98.1", "")
