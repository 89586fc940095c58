"""The exceptions xxgk raises; the CLI turns each into a clear message and an exit code.

    XxgkError                      base; carries the file it concerns (``path``) where there is one
    ├── InputError                 the input cannot be read as a report
    │   ├── UnsupportedFileType    an extension / content xxgk does not read
    │   ├── EmptyDocument          no text at all
    │   ├── EncodingError          text whose encoding cannot be determined
    │   ├── CorruptFile            a damaged PDF / DOCX / HTML
    │   ├── EncryptedFile          a password-protected PDF or DOCX
    │   ├── NeedsOCR               a scan or a PDF without a usable text layer
    │   └── NotAReport             readable, but not a 政府信息公开工作年度报告
    └── ConfigError                a bad option or configuration value
"""

from __future__ import annotations

from pathlib import Path


class XxgkError(Exception):
    """Base of every xxgk error."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        super().__init__(f"{self.path}: {message}" if self.path else message)


class InputError(XxgkError):
    """The input cannot be read as a report."""


class UnsupportedFileType(InputError):
    """A file type xxgk does not read."""


class EmptyDocument(InputError):
    """The file holds no text."""


class EncodingError(InputError):
    """A text file whose encoding cannot be determined."""


class CorruptFile(InputError):
    """A damaged file."""


class EncryptedFile(InputError):
    """A password-protected file."""


class NeedsOCR(InputError):
    """A scan, or a PDF whose text layer is missing or garbage (``(cid:…)`` glyphs)."""

    def __init__(self, message: str, path: str | Path | None = None, pages: list[int] | None = None) -> None:
        super().__init__(message, path)
        self.pages = pages or []


class NotAReport(InputError):
    """Readable text that is not a 政府信息公开工作年度报告."""


class ConfigError(XxgkError):
    """A bad option or configuration value."""
