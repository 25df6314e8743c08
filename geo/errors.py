"""The atlas's errors: one hierarchy, so the CLI turns each kind into its exit code in one place.

A `Problem` is one thing wrong with the data (file, record id, field, message); a `DataError`
carries every problem found at once. `UsageError` is what the user asked for wrongly (exit 2);
every other `AtlasError` is a failure (exit 1).
"""

from __future__ import annotations

from dataclasses import dataclass

MESSAGE_LIMIT = 400


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data: where it is and what is wrong."""

    file: str
    record: str
    field: str
    message: str

    def __post_init__(self) -> None:
        # A report quotes at most an excerpt of a value: an expanded alias or a huge field must
        # not turn one problem into megabytes of output.
        if len(self.message) > MESSAGE_LIMIT:
            cut = len(self.message) - MESSAGE_LIMIT
            object.__setattr__(self, "message", f"{self.message[:MESSAGE_LIMIT]}… ({cut} more characters)")

    def __str__(self) -> str:
        # field '-' marks a problem of the whole file or record: naming no field reads better.
        where = "" if self.field == "-" else f"field '{self.field}': "
        return f"{self.file}: {self.record}: {where}{self.message}"


class AtlasError(Exception):
    """Base of every error the atlas raises on purpose; the CLI exits 1 with its message."""


class DataError(AtlasError):
    """The data in data/ is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found in the atlas data:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class UsageError(AtlasError):
    """The command was asked for something it must not or cannot do; the CLI exits 2, nothing is written."""


class OutputError(AtlasError):
    """A map, image, export or site file could not be written (read-only, full disk, vanished): exit 1."""
