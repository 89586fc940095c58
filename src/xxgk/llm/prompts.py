"""Prompt files: one TOML file per task under ``xxgk/prompts/``, with an id, a version and ``$variables``.

A file holds ``id``, ``version``, ``description``, ``variables`` (the names it needs), ``system`` and
``user`` (``string.Template`` text: ``$name`` or ``${name}``; braces in JSON examples stay literal).
Unknown keys in a file are an error, and so is rendering with a variable missing or unexpected.
"""

from __future__ import annotations

import re
import string
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ..errors import ConfigError
from .cache import stable_hash

_PLACEHOLDER = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


class MissingPromptVariables(ConfigError):
    """A prompt was rendered without some of the variables it needs."""

    def __init__(self, prompt_id: str, missing: list[str]) -> None:
        self.prompt_id = prompt_id
        self.missing = missing
        super().__init__(f"提示词 {prompt_id} 缺少变量 (missing variables): {', '.join(missing)}")


class UnexpectedPromptVariables(ConfigError):
    """A prompt was rendered with variables it does not use (usually a typo)."""

    def __init__(self, prompt_id: str, unexpected: list[str]) -> None:
        self.prompt_id = prompt_id
        self.unexpected = unexpected
        super().__init__(f"提示词 {prompt_id} 不使用这些变量 (unexpected variables): {', '.join(unexpected)}")


IMAGE_NOTE = (
    "\n另附该表所在页面的扫描图片（共 $n 张，按页序）。上面的原文是 OCR 识别的，可能有误：数字以图片为准，"
    "图片上看不清的写 \"?\"。"
)


class RenderedPrompt(BaseModel):
    """A prompt with its variables filled in: the chat messages and the hash that goes into the cache key.

    ``images`` (data URLs) go after the user text as ``image_url`` parts, for a model that reads images.
    """

    model_config = ConfigDict(frozen=True)
    id: str
    version: int
    system: str
    user: str
    images: tuple[str, ...] = ()

    def with_images(self, urls: list[str]) -> RenderedPrompt:
        """The same prompt with page images attached, and a line telling the model they are the source (no images: unchanged)."""
        if not urls:
            return self
        note = string.Template(IMAGE_NOTE).substitute(n=len(urls))
        return self.model_copy(update={"user": self.user.rstrip("\n") + "\n" + note, "images": tuple(urls)})

    @property
    def messages(self) -> list[dict[str, object]]:
        if not self.images:
            return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]
        parts: list[dict[str, object]] = [{"type": "text", "text": self.user}]
        parts.extend({"type": "image_url", "image_url": {"url": u}} for u in self.images)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": parts}]

    @property
    def hash(self) -> str:
        fields: dict[str, object] = {"id": self.id, "version": self.version, "system": self.system, "user": self.user}
        if self.images:
            fields["images"] = [stable_hash(u) for u in self.images]
        return stable_hash(fields)


class PromptTemplate(BaseModel):
    """One prompt file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    version: int
    description: str = ""
    variables: tuple[str, ...] = ()
    system: str
    user: str

    @model_validator(mode="after")
    def _declared_variables_are_used(self) -> PromptTemplate:
        used = self.used_variables()
        if set(self.variables) != used:
            raise ValueError(f"variables {sorted(self.variables)} do not match the placeholders {sorted(used)}")
        return self

    def used_variables(self) -> set[str]:
        return {a or b for a, b in _PLACEHOLDER.findall(self.system + "\n" + self.user)}

    def render(self, **variables: object) -> RenderedPrompt:
        """Fill in every variable; a missing or unexpected one raises a named error."""
        missing = sorted(set(self.variables) - set(variables))
        if missing:
            raise MissingPromptVariables(self.id, missing)
        unexpected = sorted(set(variables) - set(self.variables))
        if unexpected:
            raise UnexpectedPromptVariables(self.id, unexpected)
        values = {k: str(v) for k, v in variables.items()}
        return RenderedPrompt(
            id=self.id,
            version=self.version,
            system=string.Template(self.system).substitute(values),
            user=string.Template(self.user).substitute(values),
        )


def prompts_dir() -> Path:
    """The directory of the shipped prompt files."""
    return Path(str(resources.files("xxgk") / "prompts"))


def parse_prompt(text: str, origin: str = "<prompt>") -> PromptTemplate:
    """A PromptTemplate from the text of a prompt file."""
    try:
        return PromptTemplate.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as e:
        raise ConfigError(f"提示词文件有误 (bad prompt file): {e}", origin) from e


@cache
def load_prompt(prompt_id: str) -> PromptTemplate:
    """The shipped prompt with this id (file ``<id>.toml``)."""
    path = prompts_dir() / f"{prompt_id}.toml"
    if not path.exists():
        raise ConfigError(f"没有这个提示词 (no such prompt): {prompt_id}", path)
    template = parse_prompt(path.read_text(encoding="utf-8"), str(path))
    if template.id != prompt_id:
        raise ConfigError(f"提示词文件的 id 为 {template.id!r}，与文件名不符 (id does not match file name)", path)
    return template


def list_prompts() -> list[str]:
    """Ids of every shipped prompt."""
    return sorted(p.stem for p in prompts_dir().glob("*.toml"))


__all__ = [
    "MissingPromptVariables",
    "PromptTemplate",
    "RenderedPrompt",
    "UnexpectedPromptVariables",
    "list_prompts",
    "load_prompt",
    "parse_prompt",
    "prompts_dir",
]
