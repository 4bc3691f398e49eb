"""Which language model the interviewer may use, from configuration: an OpenAI-compatible
Chat Completions endpoint, where it runs and who runs it.

`location` decides consent and disclosure: `local` is the operator's own infrastructure
(no consent needed, not a sub-processor); `provider` is a third party (used only for
users who gave the `ai_provider` consent, and listed among the sub-processors and in the
records of processing). Presets fill the defaults for the servers the README documents;
every field can be overridden."""

from __future__ import annotations

import os
from dataclasses import dataclass

LOCATIONS = ("local", "provider")
# How structured output is asked for: `json_schema` (OpenAI, xAI, vLLM, Ollama >= 0.5),
# `json_object` (JSON mode, with the schema alongside for llama.cpp's server, which
# turns it into a grammar), `prompt` (the schema only in the prompt). `auto` starts at
# json_schema and steps down when the server refuses a format.
STRUCTURED = ("auto", "json_schema", "json_object", "prompt")


@dataclass(frozen=True)
class Preset:
    base_url: str
    model: str
    location: str
    structured: str
    provider: str = ""  # the sub-processor's name (provider location only)
    region: str = ""
    safeguards: str = ""


PRESETS = {
    "xai": Preset(
        "https://api.x.ai/v1", "grok-4", "provider", "json_schema", "xAI", "USA", "DPA; SCCs"
    ),
    "openai": Preset(
        "https://api.openai.com/v1",
        "gpt-4.1-mini",
        "provider",
        "json_schema",
        "OpenAI",
        "USA",
        "DPA; SCCs",
    ),
    "mistral": Preset(
        "https://api.mistral.ai/v1",
        "mistral-small-latest",
        "provider",
        "json_schema",
        "Mistral AI",
        "EU (France)",
        "DPA",
    ),
    "ollama": Preset("http://127.0.0.1:11434/v1", "qwen2.5:7b-instruct", "local", "auto"),
    # llama.cpp's server listens on 8080 by default, the gateway's port: run it on 8081.
    "llamacpp": Preset("http://127.0.0.1:8081/v1", "default", "local", "json_object"),
    "vllm": Preset("http://127.0.0.1:8000/v1", "Qwen/Qwen2.5-7B-Instruct", "local", "json_schema"),
    "lmstudio": Preset("http://127.0.0.1:1234/v1", "qwen2.5-7b-instruct", "local", "auto"),
    "custom": Preset("", "", "", "auto"),
}


@dataclass(frozen=True)
class ModelEndpoint:
    preset: str
    base_url: str
    model: str
    api_key: str
    location: str
    structured: str
    deadline_seconds: float
    provider: str
    region: str
    safeguards: str

    @property
    def needs_consent(self) -> bool:
        return self.location == "provider"

    def problems(self) -> list[str]:
        """What makes this configuration unusable ([] when it is fine)."""
        found = []
        if self.preset not in PRESETS:
            found.append(f"MOCKY_MODEL_PRESET must be one of {', '.join(PRESETS)}")
        if not self.base_url.startswith(("http://", "https://")):
            found.append("MOCKY_MODEL_BASE_URL must be an http(s) URL")
        if not self.model:
            found.append("MOCKY_MODEL_NAME is needed")
        if self.location not in LOCATIONS:
            found.append("MOCKY_MODEL_LOCATION must be local or provider")
        if self.structured not in STRUCTURED:
            found.append(f"MOCKY_MODEL_STRUCTURED must be one of {', '.join(STRUCTURED)}")
        if self.location == "provider" and not self.api_key:
            found.append("a provider's model needs MOCKY_MODEL_API_KEY")
        if self.location == "provider" and not self.provider:
            found.append("a provider's model needs MOCKY_MODEL_PROVIDER_NAME (the sub-processor)")
        if not 1 <= self.deadline_seconds <= 25:
            # The gateway waits 30 s for an answer's next question or a report.
            found.append("MOCKY_MODEL_DEADLINE_SECONDS must be between 1 and 25")
        return found

    def subprocessor(self) -> dict[str, str] | None:
        """The provider as a sub-processor entry, or None for a model run locally."""
        if not self.needs_consent:
            return None
        return {
            "name": self.provider,
            "service": f"LLM interviewer ({self.model}, with consent)",
            "data": "CV/JD summary, questions and answers",
            "location": self.region or "not stated",
            "safeguards": self.safeguards or "DPA; only with the user's consent",
        }


def endpoint_from_env(xai_api_key: str = "") -> ModelEndpoint:
    """The endpoint the environment describes (MOCKY_MODEL_*), on its preset's defaults.
    The xAI preset also takes XAI_API_KEY, the key the voice engines use."""
    name = os.environ.get("MOCKY_MODEL_PRESET", "xai")
    preset = PRESETS.get(name, PRESETS["custom"])

    def env(key: str, default: str) -> str:
        return os.environ.get(f"MOCKY_MODEL_{key}", default)

    key_default = xai_api_key if name == "xai" else ""
    return ModelEndpoint(
        preset=name,
        base_url=env("BASE_URL", preset.base_url).rstrip("/"),
        model=env("NAME", preset.model),
        api_key=env("API_KEY", key_default),
        location=env("LOCATION", preset.location),
        structured=env("STRUCTURED", preset.structured),
        deadline_seconds=float(env("DEADLINE_SECONDS", "15")),
        provider=env("PROVIDER_NAME", preset.provider),
        region=env("PROVIDER_REGION", preset.region),
        safeguards=env("PROVIDER_SAFEGUARDS", preset.safeguards),
    )
