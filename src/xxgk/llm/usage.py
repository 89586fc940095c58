"""Usage and cost of LLM calls: per call, per document, per run."""

from __future__ import annotations

from contextvars import ContextVar

from pydantic import BaseModel

from .config import Price


COUNTS = ("calls", "prompt_tokens", "completion_tokens", "retries", "http_errors", "cache_hits", "failures")


class Usage(BaseModel):
    """Counts that add up: HTTP calls made, tokens, re-asks, HTTP retries, cache hits, failures."""

    calls: int = 0  # chat-completion responses received (each re-ask is one more)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0  # validation re-asks (bad JSON, wrong type, failed identity)
    http_errors: int = 0  # 429 / 5xx answers received (the openai client retries them with backoff while retries remain)
    cache_hits: int = 0
    failures: int = 0  # calls that ended in an error
    cost: float | None = None
    currency: str | None = None

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def add(self, other: Usage) -> Usage:
        """Add another usage into this one (in place) and return self."""
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.cost is not None:
            self.cost = (self.cost or 0.0) + other.cost
            self.currency = other.currency
        return self

    def since(self, before: Usage) -> Usage:
        """What was used after ``before`` (an earlier copy of this running total)."""
        out = self.model_copy()
        for name in COUNTS:
            setattr(out, name, getattr(self, name) - getattr(before, name))
        if before.cost is not None and self.cost is not None:
            out.cost = round(self.cost - before.cost, 6)
        return out

    def price(self, price: Price | None) -> Usage:
        """Set the cost from per-million-token prices (no-op without prices)."""
        if price is not None:
            self.cost = round((self.prompt_tokens * price.prompt + self.completion_tokens * price.completion) / 1_000_000, 6)
            self.currency = price.currency
        return self

    def summary(self) -> str:
        """One line for the end of a batch."""
        text = (
            f"LLM：调用 {self.calls} 次，令牌 {self.prompt_tokens}+{self.completion_tokens}，"
            f"重问 {self.retries} 次，缓存命中 {self.cache_hits} 次"
        )
        if self.http_errors:
            text += f"，限流/服务器错误 {self.http_errors} 次"
        if self.failures:
            text += f"，失败 {self.failures} 次"
        if self.cost is not None:
            text += f"，费用约 {self.cost:.4f} {self.currency}"
        return text


# The usage of the document being processed; the HTTP event hook adds retries to it.
current_usage: ContextVar[Usage | None] = ContextVar("xxgk_llm_usage", default=None)

__all__ = ["Usage", "current_usage"]
