"""The LLM client: instructor over ``openai.AsyncOpenAI`` for one endpoint, with cache, usage, concurrency and clear errors.

    XxgkError
    └── LLMError                   an LLM step failed (the document keeps its rules result)
        ├── LLMConnectionError     the endpoint does not answer
        ├── LLMTimeout             no answer within the timeout
        ├── LLMRateLimited         429 after every backoff
        ├── LLMAuthError           401 / 403: key missing or refused
        ├── LLMHTTPError           another HTTP error status
        └── LLMBadAnswer           the answer never validated, after every re-ask
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx2
import instructor
from instructor.core.hooks import Hooks
import openai
from instructor.core.exceptions import InstructorRetryException
from pydantic import BaseModel

from ..errors import XxgkError
from .cache import ResponseCache, cache_key, stable_hash
from .config import LLMSettings, cache_dir
from .prompts import RenderedPrompt
from .usage import Usage, current_usage

M = TypeVar("M", bound=BaseModel)
# instructor logs every failed attempt at ERROR; our LLMError messages say it once, clearly
logging.getLogger("instructor").addHandler(logging.NullHandler())
logging.getLogger("instructor").propagate = False

MODE = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
ENV_LOG = "XXGK_LLM_LOG"


class LLMError(XxgkError):
    """An LLM step failed."""


class LLMConnectionError(LLMError):
    """The endpoint does not answer."""


class LLMTimeout(LLMError):
    """No answer within the timeout."""


class LLMRateLimited(LLMError):
    """HTTP 429 after every backoff."""


class LLMAuthError(LLMError):
    """HTTP 401 / 403."""


class LLMHTTPError(LLMError):
    """Another HTTP error status."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class LLMBadAnswer(LLMError):
    """The model's answer did not validate after every re-ask."""


@dataclass
class CallResult:
    """One structured call: the parsed answer, whether it came from the cache, and what it cost."""

    parsed: BaseModel
    cached: bool
    usage: Usage
    reasks: list[str] = field(default_factory=list)  # validation errors sent back to the model


def _translate(e: BaseException, settings: LLMSettings) -> LLMError:
    """The LLMError for an exception raised by openai or instructor (instructor wraps API errors)."""
    seen: BaseException | None = e
    while seen is not None:
        where = f"{settings.base_url} ({settings.model})"
        if isinstance(seen, openai.APITimeoutError):
            return LLMTimeout(f"LLM 请求超时 (timed out after {settings.timeout:g}s, {settings.http_retries} retries): {where}")
        if isinstance(seen, openai.RateLimitError):
            return LLMRateLimited(f"LLM 端点限流 (HTTP 429 after {settings.http_retries} retries with backoff): {where}")
        if isinstance(seen, (openai.AuthenticationError, openai.PermissionDeniedError)):
            key = f"key from {settings.key_source}" if settings.api_key else "no key sent"
            return LLMAuthError(f"LLM 端点拒绝访问 (HTTP {seen.status_code}, {key}): {where}")
        if isinstance(seen, openai.APIStatusError):
            return LLMHTTPError(f"LLM 端点返回错误 (HTTP {seen.status_code}): {where}: {str(seen.message)[:200]}", seen.status_code)
        if isinstance(seen, openai.APIConnectionError):
            return LLMConnectionError(f"无法连接 LLM 端点 (cannot connect): {where}")
        seen = seen.__cause__ or seen.__context__
    if isinstance(e, InstructorRetryException):
        return LLMBadAnswer(f"模型的回答 {e.n_attempts} 次都不符合要求 (answer did not validate after {e.n_attempts} attempts): {str(e)[:300]}")
    return LLMError(f"LLM 调用失败 (call failed): {type(e).__name__}: {str(e)[:300]}")


class LLMClient:
    """Structured calls to one OpenAI-compatible endpoint."""

    def __init__(self, settings: LLMSettings, *, use_cache: bool = True, cache: ResponseCache | None = None, log_path: str | Path | None = None) -> None:
        self.settings = settings
        self.use_cache = use_cache
        self._cache = cache
        self.log_path = Path(log_path) if log_path else (Path(os.environ[ENV_LOG]) if os.environ.get(ENV_LOG) else None)
        self._per_loop: dict[int, tuple[openai.AsyncOpenAI, Any, asyncio.Semaphore]] = {}
        self.usage = Usage()  # everything this client did, across documents

    @property
    def cache(self) -> ResponseCache | None:
        if not self.use_cache:
            return None
        if self._cache is None:
            self._cache = ResponseCache(cache_dir(self.settings))
        return self._cache

    def openai_client(self) -> openai.AsyncOpenAI:
        """An AsyncOpenAI client that sends exactly the configured key (or none) to exactly the configured base URL."""
        s = self.settings
        http = httpx2.AsyncClient(
            timeout=s.timeout,
            follow_redirects=False,  # a redirect must never carry the key to another host
            event_hooks={"response": [_count_http_retry]},
        )
        client = openai.AsyncOpenAI(
            api_key=s.api_key or "",
            admin_api_key=None,
            base_url=s.base_url,
            timeout=s.timeout,
            max_retries=s.http_retries,
            http_client=http,
            _enforce_credentials=False,
        )
        # openai reads OPENAI_* variables for whatever was not passed: none of them belongs to this endpoint
        client.api_key = s.api_key or ""
        client.admin_api_key = None
        client.organization = None
        client.project = None
        client._custom_headers = {}
        return client

    def _bound(self) -> tuple[openai.AsyncOpenAI, Any, asyncio.Semaphore]:
        loop = asyncio.get_running_loop()
        entry = self._per_loop.get(id(loop))
        if entry is None:
            raw = self.openai_client()
            entry = (raw, instructor.from_openai(raw, mode=MODE[self.settings.mode]), asyncio.Semaphore(self.settings.concurrency))
            self._per_loop = {id(loop): entry}  # clients of finished loops cannot be reused
        return entry

    async def structured(
        self,
        prompt: RenderedPrompt,
        response_model: type[M],
        *,
        context: dict[str, Any] | None = None,
        max_retries: int | None = None,
        use_cache: bool = True,
    ) -> CallResult:
        """Ask for ``response_model`` with ``prompt``; from the cache when the same question was answered before."""
        s = self.settings
        schema_hash = stable_hash(response_model.model_json_schema())
        # prompt.hash covers the page images too
        key = cache_key(base_url=s.base_url, model=s.model, mode=s.mode, prompt_hash=prompt.hash, schema_hash=schema_hash, input_hash=stable_hash(prompt.user))
        store = self.cache if use_cache else None
        usage = Usage()
        doc_usage = current_usage.get()
        if store is not None:
            hit = store.get(key)
            if hit is not None and "response" in hit:
                try:
                    parsed = response_model.model_validate(hit["response"])
                except ValueError:
                    parsed = None
                if parsed is not None:
                    usage.cache_hits = 1
                    self._account(usage, doc_usage)
                    return CallResult(parsed=parsed, cached=True, usage=usage, reasks=list(hit.get("reasks", [])))

        raw, inst, sem = self._bound()
        reasks: list[str] = []
        hooks = Hooks()

        def on_response(response: Any) -> None:
            usage.calls += 1
            u = getattr(response, "usage", None)
            if u is not None:
                usage.prompt_tokens += int(getattr(u, "prompt_tokens", 0) or 0)
                usage.completion_tokens += int(getattr(u, "completion_tokens", 0) or 0)

        def on_parse_error(error: Exception, **_: Any) -> None:
            usage.retries += 1
            reasks.append(str(error))

        hooks.on("completion:response", on_response)
        hooks.on("parse:error", on_parse_error)
        started = time.monotonic()
        token = current_usage.set(usage)
        try:
            async with sem:
                parsed = await inst.create(
                    response_model=response_model,
                    messages=prompt.messages,
                    model=s.model,
                    temperature=0,
                    max_retries=s.max_retries if max_retries is None else max_retries,
                    context=context,
                    hooks=hooks,
                    # no key for this endpoint: send no Authorization header at all
                    **({} if s.api_key else {"extra_headers": {"Authorization": openai.Omit()}}),
                )
        except Exception as e:
            usage.failures += 1
            usage.retries = max(0, usage.retries - (1 if isinstance(e, InstructorRetryException) and reasks else 0))
            self._account(usage, doc_usage)
            error = _translate(e, s)
            self._log(prompt, None, usage, started, error=str(error))
            raise error from e
        finally:
            current_usage.reset(token)
        self._account(usage, doc_usage)
        dumped = parsed.model_dump(mode="json")
        if store is not None:
            store.set(key, {"response": dumped, "prompt": prompt.id, "version": prompt.version, "model": s.model, "reasks": reasks})
        self._log(prompt, dumped, usage, started)
        return CallResult(parsed=parsed, cached=False, usage=usage, reasks=reasks)

    def _account(self, usage: Usage, doc_usage: Usage | None) -> None:
        usage.price(self.settings.price)
        self.usage.add(usage)
        if doc_usage is not None:
            doc_usage.add(usage)

    def _log(self, prompt: RenderedPrompt, response: Any, usage: Usage, started: float, error: str | None = None) -> None:
        """Append the call to the JSONL log named by ``$XXGK_LLM_LOG`` (prompt, answer, usage), if any."""
        if self.log_path is None:
            return
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "endpoint": self.settings.name,
            "model": self.settings.model,
            "mode": self.settings.mode,
            "prompt": prompt.id,
            "version": prompt.version,
            "prompt_hash": prompt.hash,
            "messages": prompt.model_copy(update={"images": tuple(f"<image {len(u)} chars>" for u in prompt.images)}).messages,
            "response": response,
            "error": error,
            "usage": usage.model_dump(exclude_none=True),
            "seconds": round(time.monotonic() - started, 3),
        }
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")

    async def aclose(self) -> None:
        for raw, _, _ in self._per_loop.values():
            await raw.close()
        self._per_loop = {}


async def _count_http_retry(response: httpx2.Response) -> None:
    """HTTP event hook: a 429 or 5xx answer will be retried by the openai client; count it."""
    if response.status_code == 429 or response.status_code >= 500:
        usage = current_usage.get()
        if usage is not None:
            usage.http_errors += 1


__all__ = [
    "MODE",
    "CallResult",
    "LLMAuthError",
    "LLMBadAnswer",
    "LLMClient",
    "LLMConnectionError",
    "LLMError",
    "LLMHTTPError",
    "LLMRateLimited",
    "LLMTimeout",
]
