"""The errors every layer shares: each carries one message a person understands.

``SpecError`` (a bad experiment file or panel value), ``DataError`` (bad data: a file, line
or column), ``RunError`` (a run folder that cannot be read) and ``CliError`` (a bad command
line) are ValueErrors so callers that only want "bad input" can catch that. They live in
the core, not in the command line or the window, so neither imports the other for them.
"""

from __future__ import annotations


class SpecError(ValueError):
    """A spec that cannot be used, with a message a person understands.

    ``path`` names the field (``model.hidden_size``) when one field is at fault, so the
    window can show the message beside that field without parsing the text.
    """

    def __init__(self, message: str, *, path: str | None = None):
        super().__init__(message)
        self.path = path


class DataError(ValueError):
    """Data that cannot be used; the message names the field, file, line or column."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: str | None = None, field: str | None = None):
        super().__init__(message)
        self.path, self.line, self.column = path, line, column
        self.field = field


class RunError(ValueError):
    """A run folder that cannot be read, with a message naming the file."""


class CliError(Exception):
    """A command-line error to print as one line (exit code 2)."""


__all__ = ["SpecError", "DataError", "RunError", "CliError"]
