"""Endpoints as configuration: presets, the user config file, environment variables, and which key goes where.

Resolution, later wins: preset → ``[endpoints.<name>]`` in ``config.toml`` → ``XXGK_LLM_*`` environment.
The config file lives in ``$XXGK_CONFIG_DIR`` or ``~/.config/xxgk``::

    [llm]
    endpoint = "deepseek"          # which endpoint to use by default
    concurrency = 4
    timeout = 60

    [endpoints.office]             # a custom endpoint: base_url + model + mode
    base_url = "http://10.1.2.3:8000/v1"
    model = "Qwen2.5-VL-7B-Instruct"
    mode = "json_schema"
    api_key_env = "OFFICE_LLM_KEY" # the key for this base URL, read from this variable
    vision = true                  # the model reads images: scanned tables go to it as page images

    [prices."deepseek-chat"]       # optional: per million tokens
    prompt = 2.0
    completion = 8.0
    currency = "CNY"

A key is bound to the base URL it was configured with (see ``resolve_api_key``): a preset's usual key
variable (``DEEPSEEK_API_KEY`` …) is only sent to that preset's own base URL, ``XXGK_LLM_API_KEY`` only
to the endpoint the same environment names, and a config entry's ``api_key``/``api_key_env`` only to
that entry's base URL. Nothing else is ever sent anywhere.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import ConfigError

ModeName = Literal["tools", "json_schema", "json", "md_json"]
MODES: tuple[ModeName, ...] = ("tools", "json_schema", "json", "md_json")

ENV_ENDPOINT = "XXGK_LLM_ENDPOINT"
ENV_BASE_URL = "XXGK_LLM_BASE_URL"
ENV_MODEL = "XXGK_LLM_MODEL"
ENV_API_KEY = "XXGK_LLM_API_KEY"
ENV_MODE = "XXGK_LLM_MODE"
ENV_VISION = "XXGK_LLM_VISION"
ENV_CONFIG_DIR = "XXGK_CONFIG_DIR"
ENV_CACHE_DIR = "XXGK_CACHE_DIR"


class Preset(BaseModel):
    """A known kind of OpenAI-compatible endpoint: where it is, a default model, the mode that suits it."""

    model_config = ConfigDict(frozen=True)
    name: str
    base_url: str
    model: str | None
    mode: ModeName
    key_env: str | None = None  # the variable its users usually keep the key in
    needs_key: bool = True
    description: str = ""


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(name="openai", base_url="https://api.openai.com/v1", model="gpt-4o-mini", mode="tools", key_env="OPENAI_API_KEY", description="OpenAI"),
        Preset(name="deepseek", base_url="https://api.deepseek.com/v1", model="deepseek-chat", mode="json", key_env="DEEPSEEK_API_KEY", description="DeepSeek (JSON mode)"),
        Preset(
            name="dashscope",
            base_url="https://dashscope.aliyuncs.com/compatible-mode/v1",
            model="qwen-plus",
            mode="json",
            key_env="DASHSCOPE_API_KEY",
            description="通义千问 Qwen via DashScope compatible mode",
        ),
        Preset(name="ollama", base_url="http://127.0.0.1:11434/v1", model="qwen2.5:7b", mode="json_schema", needs_key=False, description="local Ollama"),
        Preset(name="vllm", base_url="http://127.0.0.1:8000/v1", model=None, mode="json_schema", needs_key=False, description="local vLLM (set the model)"),
        Preset(name="llamacpp", base_url="http://127.0.0.1:8080/v1", model="local", mode="json_schema", needs_key=False, description="llama.cpp server / llama-cpp-python[server]"),
    )
}


class Price(BaseModel):
    """What a model costs per million tokens."""

    model_config = ConfigDict(extra="forbid")
    prompt: float = 0.0
    completion: float = 0.0
    currency: str = "USD"


class EndpointEntry(BaseModel):
    """One ``[endpoints.<name>]`` table of the config file."""

    model_config = ConfigDict(extra="forbid")
    preset: str | None = None
    base_url: str | None = None
    model: str | None = None
    mode: ModeName | None = None
    api_key: str | None = None
    api_key_env: str | None = None
    vision: bool | None = None  # the model reads images: scanned tables are sent to it as page images


class LLMSection(BaseModel):
    """The ``[llm]`` table of the config file."""

    model_config = ConfigDict(extra="forbid")
    endpoint: str | None = None
    concurrency: int = Field(4, ge=1, le=64)
    timeout: float = Field(120.0, gt=0)
    max_retries: int = Field(2, ge=0, le=10)  # validation re-asks (instructor); each is one more call
    http_retries: int = Field(3, ge=0, le=10)  # 429 / 5xx / connection retries with backoff (openai client)
    cache_dir: str | None = None


class ConfigFile(BaseModel):
    """The whole user config file."""

    model_config = ConfigDict(extra="forbid")
    llm: LLMSection = Field(default_factory=LLMSection)
    endpoints: dict[str, EndpointEntry] = Field(default_factory=dict)
    prices: dict[str, Price] = Field(default_factory=dict)


class LLMSettings(BaseModel):
    """A resolved endpoint: everything the client needs, and where each part came from."""

    model_config = ConfigDict(frozen=True)
    name: str  # preset or endpoint name, or "env"
    base_url: str
    model: str
    mode: ModeName
    api_key: str | None = Field(default=None, repr=False)
    key_source: str | None = None  # "DEEPSEEK_API_KEY", "config:office", … (never the key)
    timeout: float = 120.0
    max_retries: int = 2
    http_retries: int = 3
    concurrency: int = 4
    cache_dir: str | None = None
    price: Price | None = None
    vision: bool = False  # send the page images of scanned tables (the model must accept image input)

    def describe(self) -> str:
        key = f"key from {self.key_source}" if self.api_key else "no key"
        return f"{self.name}: {self.base_url} model={self.model} mode={self.mode}{' vision' if self.vision else ''} ({key})"


def config_dir(env: Mapping[str, str] | None = None) -> Path:
    """The user config directory: ``$XXGK_CONFIG_DIR`` or ``~/.config/xxgk``."""
    env = os.environ if env is None else env
    if env.get(ENV_CONFIG_DIR):
        return Path(env[ENV_CONFIG_DIR])
    return Path.home() / ".config" / "xxgk"


def cache_dir(settings: LLMSettings | None = None, env: Mapping[str, str] | None = None) -> Path:
    """Where the LLM response cache lives: config, ``$XXGK_CACHE_DIR``, else ``<config dir>/llm-cache``."""
    env = os.environ if env is None else env
    if settings is not None and settings.cache_dir:
        return Path(settings.cache_dir)
    if env.get(ENV_CACHE_DIR):
        return Path(env[ENV_CACHE_DIR])
    return config_dir(env) / "llm-cache"


def load_config_file(env: Mapping[str, str] | None = None) -> ConfigFile:
    """Read ``config.toml`` from the config directory (an empty config when there is none)."""
    path = config_dir(env) / "config.toml"
    if not path.exists():
        return ConfigFile()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return ConfigFile.model_validate(data)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"配置文件无法解析 (cannot parse config): {e}", path) from e
    except ValidationError as e:
        raise ConfigError(f"配置文件有误 (bad config): {e.errors()[0]['loc']}: {e.errors()[0]['msg']}", path) from e


def same_origin(a: str, b: str) -> bool:
    """True when two URLs share scheme, host and port (a key bound to one may be sent to the other)."""
    ua, ub = urlsplit(a), urlsplit(b)
    return (ua.scheme, ua.hostname, ua.port) == (ub.scheme, ub.hostname, ub.port)


def endpoint_configured(env: Mapping[str, str] | None = None) -> bool:
    """True when the environment or config file names an endpoint (``auto`` then becomes the CLI default)."""
    env = os.environ if env is None else env
    if env.get(ENV_ENDPOINT) or env.get(ENV_BASE_URL):
        return True
    try:
        return load_config_file(env).llm.endpoint is not None
    except ConfigError:
        return False


def resolve_settings(
    endpoint: str | None = None,
    *,
    model: str | None = None,
    env: Mapping[str, str] | None = None,
    config: ConfigFile | None = None,
) -> LLMSettings:
    """The endpoint to use: named, else ``$XXGK_LLM_ENDPOINT``, else the config's default, else ``$XXGK_LLM_BASE_URL``."""
    env = os.environ if env is None else env
    config = load_config_file(env) if config is None else config
    name = endpoint or env.get(ENV_ENDPOINT) or config.llm.endpoint
    env_base = env.get(ENV_BASE_URL) or None
    if name is None and env_base is None:
        raise ConfigError(
            "没有配置 LLM 端点 (no LLM endpoint configured): set XXGK_LLM_BASE_URL, XXGK_LLM_ENDPOINT "
            f"(one of {', '.join(PRESETS)}) or [llm] endpoint in {config_dir(env) / 'config.toml'}"
        )
    entry = config.endpoints.get(name) if name else None
    preset_name = (entry.preset if entry and entry.preset else name) if name else None
    preset = PRESETS.get(preset_name) if preset_name else None
    if name and entry is None and preset is None:
        raise ConfigError(f"未知的 LLM 端点 (unknown endpoint) {name!r}: presets are {', '.join(PRESETS)}; or define [endpoints.{name}]")

    base_url = preset.base_url if preset else None
    mode: str | None = preset.mode if preset else None
    chosen_model = preset.model if preset else None
    if entry is not None:
        base_url = entry.base_url or base_url
        mode = entry.mode or mode
        chosen_model = entry.model or chosen_model
    base_from_env = False
    if env_base:
        base_from_env = env_base.rstrip("/") != (base_url or "").rstrip("/")
        base_url = env_base
    mode = env.get(ENV_MODE) or mode or "json_schema"
    chosen_model = model or env.get(ENV_MODEL) or chosen_model
    if base_url is None:
        raise ConfigError(f"端点 {name!r} 没有 base_url (endpoint has no base_url)")
    if mode not in MODES:
        raise ConfigError(f"未知的调用模式 (unknown mode) {mode!r}: one of {', '.join(MODES)}")
    if not chosen_model:
        raise ConfigError(f"端点 {name or base_url!r} 没有指定模型 (no model): set XXGK_LLM_MODEL or model = … in the config")
    vision = bool(entry.vision) if entry is not None and entry.vision is not None else False
    if env.get(ENV_VISION):
        flag = env[ENV_VISION].strip().lower()
        if flag not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
            raise ConfigError(f"{ENV_VISION} 应为 1 或 0 (should be 1 or 0), not {env[ENV_VISION]!r}")
        vision = flag in ("1", "true", "yes", "on")

    api_key, key_source = resolve_api_key(
        base_url=base_url, preset=preset, entry=entry, entry_name=name, base_from_env=base_from_env, env=env
    )
    return LLMSettings(
        name=name or "env",
        base_url=base_url.rstrip("/"),
        model=chosen_model,
        mode=mode,  # type: ignore[arg-type]
        api_key=api_key,
        key_source=key_source,
        timeout=config.llm.timeout,
        max_retries=config.llm.max_retries,
        http_retries=config.llm.http_retries,
        concurrency=config.llm.concurrency,
        cache_dir=config.llm.cache_dir,
        price=config.prices.get(chosen_model),
        vision=vision,
    )


def resolve_api_key(
    *,
    base_url: str,
    preset: Preset | None,
    entry: EndpointEntry | None,
    entry_name: str | None,
    base_from_env: bool,
    env: Mapping[str, str],
) -> tuple[str | None, str | None]:
    """The key for ``base_url`` and where it came from; None unless a source is bound to that base URL."""
    # 1. a config entry's own key: it was configured together with the entry's base URL
    if entry is not None and not base_from_env:
        if entry.api_key:
            return entry.api_key, f"config:{entry_name}"
        if entry.api_key_env:
            value = env.get(entry.api_key_env)
            return (value, entry.api_key_env) if value else (None, None)
        if entry.base_url and not (preset and same_origin(entry.base_url, preset.base_url)):
            # a custom base URL without its own key gets no key at all
            return None, None
    # 2. XXGK_LLM_API_KEY goes with the base URL the same environment chose (or the preset's own URL)
    env_key = env.get(ENV_API_KEY)
    if env_key and (base_from_env or (preset is not None and same_origin(base_url, preset.base_url))):
        return env_key, ENV_API_KEY
    # 3. the preset's usual variable, only for the preset's own base URL
    if preset is not None and preset.key_env and same_origin(base_url, preset.base_url):
        value = env.get(preset.key_env)
        if value:
            return value, preset.key_env
    return None, None


__all__ = [
    "MODES",
    "PRESETS",
    "ConfigFile",
    "EndpointEntry",
    "LLMSettings",
    "ModeName",
    "Preset",
    "Price",
    "cache_dir",
    "config_dir",
    "endpoint_configured",
    "load_config_file",
    "resolve_settings",
    "same_origin",
]
