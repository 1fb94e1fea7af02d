"""Shared asserts for the tests/test_exercises_NN.py files: a wrong answer must be called wrong, with a message
that names the mistake and never contains the expected answer (``secrets``: the answer as a learner would see it
printed)."""

from __future__ import annotations

from helpers import exercises


def expect_wrong(secrets: dict, key: str, answer, *phrases: str) -> str:
    result = exercises.evaluate(key, answer)
    assert result.status == "wrong", result.text()
    text = result.text()
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in {text!r}"
    for secret in secrets.get(key, []):
        assert secret not in text, f"{key} shows its answer {secret!r}: {text!r}"
    return text


def expect_right(key: str, answer) -> None:
    result = exercises.evaluate(key, answer)
    assert result.status == "correct", result.text()
