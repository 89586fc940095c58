"""The LLM response cache: a diskcache store of JSON strings (never pickles), keyed on everything that shapes an answer."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import diskcache


def stable_hash(obj: Any) -> str:
    """sha256 of a JSON value with sorted keys: the same prompt or schema always hashes the same."""
    text = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(*, base_url: str, model: str, mode: str, prompt_hash: str, schema_hash: str, input_hash: str) -> str:
    """The key of one structured call: endpoint, model, mode, rendered-prompt hash, schema hash and input hash."""
    return "xxgk-llm-1:" + stable_hash(
        {"base_url": base_url.rstrip("/"), "model": model, "mode": mode, "prompt": prompt_hash, "schema": schema_hash, "input": input_hash}
    )


class TextOnlyDisk(diskcache.Disk):
    """A diskcache Disk that stores and returns text only: a pickled row (planted or foreign) is never loaded."""

    def store(self, value: Any, read: bool, key: Any = diskcache.core.UNKNOWN) -> Any:
        if not isinstance(value, str):
            raise TypeError("the LLM cache stores JSON strings only")
        return super().store(value, read, key=key)

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == diskcache.core.MODE_PICKLE:
            return None
        return super().fetch(mode, filename, value, read)

    def put(self, key: Any) -> Any:
        if not isinstance(key, str):
            raise TypeError("the LLM cache takes string keys only")
        return super().put(key)


class ResponseCache:
    """JSON strings in a diskcache directory. Keys and values are ``str``, which diskcache stores as text, not pickle."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._cache = diskcache.Cache(str(self.directory), disk=TextOnlyDisk)

    def get(self, key: str) -> dict[str, Any] | None:
        raw = self._cache.get(key)
        if not isinstance(raw, str):  # absent, or written by something else: never unpickle, never trust
            return None
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        self._cache.set(key, json.dumps(value, ensure_ascii=False, sort_keys=True))

    def __len__(self) -> int:
        return len(self._cache)

    def clear(self) -> None:
        self._cache.clear()

    def close(self) -> None:
        self._cache.close()
