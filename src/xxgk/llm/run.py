"""Running the engines over documents: one document, or a batch with concurrent LLM calls (sync wrappers included)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ..document import Document
from ..errors import ConfigError, XxgkError
from ..models import Report
from .client import LLMClient
from .config import LLMSettings, endpoint_configured, resolve_settings
from .extract import Engine, improve_report
from .usage import Usage

R = TypeVar("R")
LLMArg = LLMClient | LLMSettings | str | None
ENGINES: tuple[str, ...] = ("rules", "llm", "auto")
NO_ENDPOINT_NOTE = "未配置 LLM 端点，auto 模式只用了规则引擎 (no LLM endpoint configured: rules engine only)"


def make_client(llm: LLMArg = None, *, use_cache: bool = True, concurrency: int | None = None) -> LLMClient:
    """An LLMClient from a client, settings, an endpoint name, or the configuration."""
    if isinstance(llm, LLMClient):
        if concurrency is not None and concurrency != llm.settings.concurrency:
            llm.settings = llm.settings.model_copy(update={"concurrency": concurrency})
        if not use_cache:
            llm.use_cache = False
        return llm
    settings = llm if isinstance(llm, LLMSettings) else resolve_settings(llm)
    if concurrency is not None:
        settings = settings.model_copy(update={"concurrency": concurrency})
    return LLMClient(settings, use_cache=use_cache)


async def _improve(report: Report, doc: Document, client: LLMClient, engine: Engine, use_cache: bool, claims: bool) -> Report:
    """The LLM steps for one document: the engine's (outline, tables, claims), or only the claims under ``rules``."""
    if engine == "rules":
        from .claims import aread_claims

        return await aread_claims(report, client, use_cache) if claims else report
    return await improve_report(report, doc, client, engine, use_cache=use_cache, claims=claims)


def client_for(engine: str, llm: LLMArg, *, use_cache: bool = True, concurrency: int | None = None, claims: bool = False) -> LLMClient | None:
    """The client an engine needs: None for ``rules`` (and for ``auto`` when nothing is configured).

    ``claims`` needs an endpoint whatever the engine: without one, a ConfigError names what is missing.
    """
    if engine not in ENGINES:
        raise ConfigError(f"未知的引擎 (unknown engine) {engine!r}: one of {', '.join(ENGINES)}")
    if not claims and (engine == "rules" or (engine == "auto" and llm is None and not endpoint_configured())):
        return None
    return make_client(llm, use_cache=use_cache, concurrency=concurrency)


def run_sync(coro: Coroutine[Any, Any, R]) -> R:
    """Run a coroutine from sync code, also when an event loop is already running (e.g. in Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as e:  # re-raised in the caller's thread
            box["error"] = e

    t = threading.Thread(target=target)
    t.start()
    t.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


async def aextract_document(doc: Document, engine: Engine = "auto", llm: LLMArg = None, *, use_cache: bool = True, claims: bool = False) -> Report:
    """The rules engine's Report, improved by the LLM where the engine asks for it (``claims``: also read the narrative's numbers)."""
    from ..pipeline import extract_document

    report = await asyncio.to_thread(extract_document, doc)
    client = client_for(engine, llm, use_cache=use_cache, claims=claims)
    if client is None:
        if engine == "auto":
            report.notes.append(NO_ENDPOINT_NOTE)
        return report
    try:
        return await _improve(report, doc, client, engine, use_cache, claims)
    finally:
        await client.aclose()  # its HTTP connections belong to this event loop


async def aextract_files(
    paths: Sequence[str | Path],
    engine: Engine = "auto",
    llm: LLMArg = None,
    *,
    use_cache: bool = True,
    concurrency: int | None = None,
    on_result: Callable[[Path, Report | XxgkError], None] | None = None,
    claims: bool = False,
) -> tuple[list[tuple[Path, Report | XxgkError]], Usage]:
    """Extract a batch; LLM calls run concurrently (at most ``concurrency`` at once). Bad files do not stop it.

    ``claims``: also have the model read the narrative's numbers for the checker (needs an endpoint, any engine).
    """
    from ..ingest import ingest
    from ..pipeline import extract_document

    client = client_for(engine, llm, use_cache=use_cache, concurrency=concurrency, claims=claims)
    total = Usage()

    in_flight = asyncio.Semaphore(max(4, 2 * (client.settings.concurrency if client else 2)))  # bound memory on big batches

    async def one(path: Path) -> Report | XxgkError:
        async with in_flight:
            return await _one(path)

    async def _one(path: Path) -> Report | XxgkError:
        try:
            doc = await asyncio.to_thread(ingest, path)
            report = await asyncio.to_thread(extract_document, doc)
            if client is None:
                if engine == "auto":
                    report.notes.append(NO_ENDPOINT_NOTE)
            else:
                report = await _improve(report, doc, client, engine, use_cache, claims)
                total.add(Usage.model_validate(report.extra["llm"]["usage"]))
            result: Report | XxgkError = report
        except XxgkError as e:
            result = e
        if on_result is not None:
            on_result(path, result)
        return result

    items = [Path(p) for p in paths]
    try:
        results = await asyncio.gather(*(one(p) for p in items))
    finally:
        if client is not None:
            await client.aclose()
    return list(zip(items, results, strict=True)), total


def extract_files(
    paths: Sequence[str | Path],
    engine: Engine = "auto",
    llm: LLMArg = None,
    *,
    use_cache: bool = True,
    concurrency: int | None = None,
    on_result: Callable[[Path, Report | XxgkError], None] | None = None,
    claims: bool = False,
) -> tuple[list[tuple[Path, Report | XxgkError]], Usage]:
    """Sync form of ``aextract_files``: ``(path, Report or error)`` in input order, and the run's usage."""
    return run_sync(aextract_files(paths, engine, llm, use_cache=use_cache, concurrency=concurrency, on_result=on_result, claims=claims))


__all__ = ["ENGINES", "aextract_document", "aextract_files", "client_for", "extract_files", "make_client", "run_sync"]
