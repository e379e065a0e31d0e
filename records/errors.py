"""Exceptions for infrastructure problems. Domain problems are `Finding`s, not exceptions."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    ok = 0
    bad_args = 1
    input_file = 2
    missing_dependency = 3
    storage = 5
    engine = 7
    rules = 9
    other = 15
    ctrl_c = 130


class IntakeError(Exception):
    """Base of every error the pipeline raises on purpose."""

    exit_code: ExitCode = ExitCode.other
    retryable: bool = False


class InputError(IntakeError):
    """The file cannot be read: corrupt, encrypted, unsupported, or over a limit."""

    exit_code = ExitCode.input_file


class LimitExceeded(InputError):
    """The file is over a configured limit (bytes, pixels, pages, inflated size, seconds)."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit


class DependencyError(IntakeError):
    """A model, binary or font the pipeline needs is missing."""

    exit_code = ExitCode.missing_dependency


class StorageError(IntakeError):
    """Object storage is unreachable or failed; retrying may help."""

    exit_code = ExitCode.storage
    retryable = True


class EngineError(IntakeError):
    """An OCR engine or parser crashed on a page."""

    exit_code = ExitCode.engine


class RuleError(IntakeError):
    """A rules/*.yml file is malformed (raised at load time)."""

    exit_code = ExitCode.rules
