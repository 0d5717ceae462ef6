"""Exceptions as the one-line messages of EnvError replies and logs."""

from __future__ import annotations


def one_line(error: BaseException) -> str:
    """"TypeName: first line of the message" (just the type's name for an empty message)."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
