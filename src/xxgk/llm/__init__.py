"""The LLM engine: endpoints as configuration, prompt files, a JSON cache, per-table calls kept honest by the checker.

    from xxgk.llm import LLMClient, resolve_settings
    from xxgk.pipeline import extract_file
    report = extract_file("report.pdf", engine="auto", llm=LLMClient(resolve_settings("deepseek")))
    report.extra["llm"]["usage"]
"""

from __future__ import annotations

from .client import (
    CallResult,
    LLMAuthError,
    LLMBadAnswer,
    LLMClient,
    LLMConnectionError,
    LLMError,
    LLMHTTPError,
    LLMRateLimited,
    LLMTimeout,
)
from .config import PRESETS, LLMSettings, Preset, endpoint_configured, resolve_settings
from .extract import Engine, improve_report, needs_llm
from .prompts import MissingPromptVariables, load_prompt
from .usage import Usage

__all__ = [
    "PRESETS",
    "CallResult",
    "Engine",
    "LLMAuthError",
    "LLMBadAnswer",
    "LLMClient",
    "LLMConnectionError",
    "LLMError",
    "LLMHTTPError",
    "LLMRateLimited",
    "LLMSettings",
    "LLMTimeout",
    "MissingPromptVariables",
    "Preset",
    "Usage",
    "endpoint_configured",
    "improve_report",
    "load_prompt",
    "needs_llm",
    "resolve_settings",
]
