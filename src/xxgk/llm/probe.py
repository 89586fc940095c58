"""``xxgk llm check``: does the configured endpoint answer, and which instructor mode works with it."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .client import LLMClient, LLMError
from .config import MODES, LLMSettings, ModeName
from .prompts import load_prompt
from .responses import Probe


class ModeResult(BaseModel):
    """One mode tried: whether the answer validated and was right."""

    mode: ModeName
    ok: bool
    detail: str = ""


class EndpointCheck(BaseModel):
    """What ``xxgk llm check`` found."""

    endpoint: str
    base_url: str
    model: str
    key: str  # where the key came from, or "none" (never the key itself)
    reachable: bool = False
    models: list[str] = Field(default_factory=list)
    modes: list[ModeResult] = Field(default_factory=list)
    error: str | None = None

    @property
    def working_mode(self) -> ModeName | None:
        return next((m.mode for m in self.modes if m.ok), None)


async def check_endpoint(settings: LLMSettings, modes: list[ModeName] | None = None, all_modes: bool = False) -> EndpointCheck:
    """List the endpoint's models, then ask the probe question in the configured mode (and the others if it fails)."""
    result = EndpointCheck(endpoint=settings.name, base_url=settings.base_url, model=settings.model, key=settings.key_source or "none")
    probe_client = LLMClient(settings.model_copy(update={"http_retries": 0, "max_retries": 0}), use_cache=False)
    try:
        raw = probe_client.openai_client()
        try:
            extra = {} if settings.api_key else {"extra_headers": {"Authorization": __import__("openai").Omit()}}
            page = await raw.models.list(**extra)
            result.models = [m.id for m in page.data]
            result.reachable = True
        except Exception as e:  # a server without /models may still chat
            result.error = f"/models: {type(e).__name__}: {str(e)[:160]}"
        finally:
            await raw.close()
        order = modes or [settings.mode, *[m for m in MODES if m != settings.mode]]
        prompt = load_prompt("probe").render(a=17, b=25)
        for mode in order:
            client = LLMClient(probe_client.settings.model_copy(update={"mode": mode}), use_cache=False)
            try:
                got = await client.structured(prompt, Probe, use_cache=False)
                answer = got.parsed.answer  # type: ignore[attr-defined]
                result.reachable = True
                result.modes.append(ModeResult(mode=mode, ok=answer == 42, detail=f"answer {answer}" + ("" if answer == 42 else " (wrong: 42 expected)")))
            except LLMError as e:
                result.modes.append(ModeResult(mode=mode, ok=False, detail=e.message))
            finally:
                await client.aclose()
            if result.modes[-1].ok and not all_modes:
                break
    finally:
        await probe_client.aclose()
    return result


__all__ = ["EndpointCheck", "ModeResult", "check_endpoint"]
