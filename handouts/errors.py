"""One exception hierarchy: every error a user can cause, with the place and the fix."""

from __future__ import annotations


class HandoutError(Exception):
    """Base of every error the user can fix; its message names the place and the fix."""

    exit_code = 1


class ContentError(HandoutError):
    """The content tree has problems; `problems` lists each with its file and line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = "the content has a problem" if len(problems) == 1 else f"the content has {len(problems)} problems"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in problems))


class UnknownConditionError(HandoutError):
    """A condition id that the library does not have."""


class UnknownPointError(HandoutError):
    """A point code that the library does not have."""


class VisitError(HandoutError):
    """A visit field (option, visit file or batch row) that cannot be used."""


class VisitErrors(VisitError):
    """Several visit fields that cannot be used; `errors` holds each field's VisitError, one per line of the message."""

    def __init__(self, errors: list[VisitError]):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in errors))


class SafetyError(HandoutError):
    """A visit that would print something unsafe for this patient."""


class OutputError(HandoutError):
    """The output file cannot be written where the user asked."""


class PrintError(HandoutError):
    """The printer could not take the job: CUPS missing or stopped, an unknown printer, or `lp` refused it."""
