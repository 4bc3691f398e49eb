"""Configuration from environment variables only (12-factor).

Every variable is listed in the README's configuration table; `Settings.from_env`
is the one place that reads them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from mocky.platform import service_auth
from mocky.platform.language_model import ModelEndpoint, endpoint_from_env

SERVICES = ("auth", "sessions", "voice", "billing", "privacy")

DEFAULT_GRPC_PORTS = {
    "auth": 50051,
    "sessions": 50052,
    "voice": 50053,
    "billing": 50054,
    "privacy": 50055,
}
DEFAULT_METRICS_PORTS = {
    "auth": 9101,
    "sessions": 9102,
    "voice": 9103,
    "billing": 9104,
    "privacy": 9105,
    "gateway": 9100,
}


DEV_WEBHOOK_SECRET = "mocky-dev-webhook-secret"  # noqa: S105 - local default, refused in production
DEV_PSEUDONYM_KEY = "mocky-dev-pseudonym-key"  # noqa: S105 - local default, refused in production
DEV_LINK_SECRET = "mocky-dev-link-secret"  # noqa: S105 - local default, refused in production
DEFAULT_CATALOGUE = (
    '[{"price_id": "pri_local_5_credits", "name": "5 practice interviews", "credits": 5,'
    ' "amount": "9.00", "currency": "EUR"}]'
)


class ConfigurationError(RuntimeError):
    """The environment describes a configuration the platform refuses to run with."""


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    env: str = "dev"  # dev | test | production
    amqp_uri: str = "amqp://guest:guest@127.0.0.1:5672/"
    mongo_url: str = "mongodb://127.0.0.1:27017/"
    mongo_db_prefix: str = "mocky_"
    blob_backend: str = "local"  # local | s3
    blob_dir: str = ".data/blobs"
    blob_encryption_key: str = ""  # base64 32 bytes, local backend only
    s3_endpoint_url: str = ""
    s3_bucket: str = "mocky"
    s3_region: str = "auto"
    grpc_host: str = "127.0.0.1"
    grpc_bind_host: str = "127.0.0.1"
    grpc_ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_GRPC_PORTS))
    grpc_targets: dict[str, str] = field(default_factory=dict)
    grpc_deadline_seconds: float = 5.0
    metrics_ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_METRICS_PORTS))
    metrics_bind_host: str = "127.0.0.1"  # the pod's own address in Kubernetes
    # Service-to-service authentication (mocky.platform.service_auth): the tokens this
    # process presents, by service, and the SHA-256 of every service's token it accepts.
    service_tokens: dict[str, str] = field(default_factory=dict)
    service_token_hashes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    public_base_url: str = "http://127.0.0.1:8080"
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    cookie_secure: bool = False
    outbox_dir: str = ".data/outbox"
    compliance_officers: tuple[str, ...] = ()
    magic_link_ttl_seconds: int = 600
    session_ttl_seconds: int = 7 * 24 * 3600
    event_retry_delays_ms: tuple[int, ...] = (1000, 5000, 30000, 120000, 600000)
    rate_limit_per_ip_per_minute: int = 30
    email_changes_per_ip_per_hour: int = 10
    email_backend: str = "outbox"  # outbox | smtp | cloudflare
    email_from: str = "Mocky <no-reply@mocky.local>"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    cloudflare_account_id: str = ""
    cloudflare_api_token: str = ""
    cloudflare_api_base_url: str = "https://api.cloudflare.com/client/v4"
    paddle_webhook_secrets: tuple[str, ...] = ("mocky-dev-webhook-secret",)
    paddle_signature_tolerance_seconds: int = 30
    paddle_catalogue_json: str = DEFAULT_CATALOGUE
    paddle_api_key: str = ""  # empty: checkout answers with the local simulator
    paddle_environment: str = "sandbox"  # sandbox | production
    paddle_api_base_url: str = ""  # overrides the environment's URL (tests' fake Paddle)
    max_upload_bytes: int = 5 * 1024 * 1024
    extract_max_concurrent: int = 2  # document-reading workers per sessions process ...
    extract_max_waiting: int = 4  # ... and uploads that may wait for one (then 503)
    interview_idle_seconds: int = 30 * 60  # then it finishes (or is abandoned if unanswered)
    interviewer: str = "offline"  # offline | model (MOCKY_MODEL_*: language_model.py)
    model: ModelEndpoint | None = None
    xai_api_key: str = ""
    xai_base_url: str = "https://api.x.ai/v1"
    live_engine: str = "embedded"  # embedded | xai (the xAI Voice Agent, for users who consented)
    xai_realtime_url: str = "wss://api.x.ai/v1/realtime?model=grok-voice-latest"
    stt_engine: str = "whisper"  # whisper | elevenlabs (for users who consented)
    # The embedded ears: Whisper base with beam search for answers recorded one at a time,
    # tiny.en for the live turn (where a reply must start within a second).
    stt_model: str = "base"  # base | tiny.en
    stt_beam_size: int = 5
    stt_live_model: str = "tiny.en"  # tiny.en | base
    models_dir: str = ".data/models"  # where model files made from their wheels are kept
    stt_max_concurrent: int = 2  # per voice process; more wait (up to stt_max_waiting) ...
    stt_max_waiting: int = 4  # ... and beyond that are refused with 503 + Retry-After
    tts_engine: str = "piper"  # piper | elevenlabs | xai (for users who consented)
    tts_max_concurrent: int = 2  # lines synthesised at once per voice process ...
    tts_max_waiting: int = 8  # ... and lines that may wait (then 503 + Retry-After)
    elevenlabs_api_key: str = ""
    elevenlabs_voice_id: str = "JBFqnCBsd6RMkjVDRZzb"
    elevenlabs_base_url: str = "https://api.elevenlabs.io"
    # Keys the pseudonyms that replace an erased user's id on kept payment records.
    pseudonym_key: str = DEV_PSEUDONYM_KEY
    # Signs short-lived links (mocky.platform.links): a key per kind of link is derived.
    link_secret: str = DEV_LINK_SECRET
    log_level: str = "info"

    @property
    def dev_tools_enabled(self) -> bool:
        """The dev outbox and the movable clock exist only outside production."""
        return self.env in ("dev", "test")

    def grpc_target(self, service: str) -> str:
        return self.grpc_targets.get(service) or f"{self.grpc_host}:{self.grpc_ports[service]}"

    def mongo_database(self, service: str) -> str:
        return f"{self.mongo_db_prefix}{service}"

    @classmethod
    def from_env(cls) -> Settings:
        env = _env("MOCKY_ENV", "dev")
        if env not in ("dev", "test", "production"):
            raise ConfigurationError(f"MOCKY_ENV must be dev, test or production, not {env!r}")
        ports = dict(DEFAULT_GRPC_PORTS)
        targets = {}
        metrics = dict(DEFAULT_METRICS_PORTS)
        for name in SERVICES:
            upper = name.upper()
            ports[name] = int(_env(f"MOCKY_{upper}_GRPC_PORT", str(ports[name])))
            if os.environ.get(f"MOCKY_{upper}_GRPC_TARGET"):
                targets[name] = os.environ[f"MOCKY_{upper}_GRPC_TARGET"]
        for name in metrics:
            metrics[name] = int(_env(f"MOCKY_{name.upper()}_METRICS_PORT", str(metrics[name])))
        tokens, hashes = _service_tokens(env)
        ttl = int(_env("MOCKY_MAGIC_LINK_TTL_SECONDS", "600"))
        interviewer = _env("MOCKY_INTERVIEWER", cls.interviewer)
        # `grok`: the name from before any endpoint could be configured, the xAI preset.
        model = endpoint_from_env(_env("XAI_API_KEY", "")) if interviewer != "offline" else None
        interviewer = "model" if interviewer == "grok" else interviewer
        if not 0 < ttl <= 600:
            raise ConfigurationError("MOCKY_MAGIC_LINK_TTL_SECONDS must be between 1 and 600")
        settings = cls(
            env=env,
            amqp_uri=_env("AMQP_URI", cls.amqp_uri),
            mongo_url=_env("MONGO_URL", cls.mongo_url),
            mongo_db_prefix=_env("MOCKY_MONGO_DB_PREFIX", cls.mongo_db_prefix),
            blob_backend=_env("MOCKY_BLOB_BACKEND", cls.blob_backend),
            blob_dir=_env("MOCKY_BLOB_DIR", cls.blob_dir),
            blob_encryption_key=_env("MOCKY_BLOB_ENCRYPTION_KEY", ""),
            s3_endpoint_url=_env("S3_ENDPOINT_URL", ""),
            s3_bucket=_env("S3_BUCKET", cls.s3_bucket),
            s3_region=_env("S3_REGION", cls.s3_region),
            grpc_host=_env("MOCKY_GRPC_HOST", cls.grpc_host),
            grpc_bind_host=_env("MOCKY_GRPC_BIND_HOST", cls.grpc_bind_host),
            grpc_ports=ports,
            grpc_targets=targets,
            grpc_deadline_seconds=float(_env("MOCKY_GRPC_DEADLINE_SECONDS", "5")),
            metrics_ports=metrics,
            metrics_bind_host=_env("MOCKY_METRICS_BIND_HOST", cls.metrics_bind_host),
            service_tokens=tokens,
            service_token_hashes=hashes,
            public_base_url=_env("MOCKY_PUBLIC_BASE_URL", cls.public_base_url).rstrip("/"),
            gateway_host=_env("MOCKY_GATEWAY_HOST", cls.gateway_host),
            gateway_port=int(_env("MOCKY_GATEWAY_PORT", str(cls.gateway_port))),
            cookie_secure=_env("MOCKY_COOKIE_SECURE", "1" if env == "production" else "0") == "1",
            outbox_dir=_env("MOCKY_OUTBOX_DIR", cls.outbox_dir),
            compliance_officers=tuple(
                e.lower() for e in _csv(_env("MOCKY_COMPLIANCE_OFFICERS", ""))
            ),
            magic_link_ttl_seconds=ttl,
            session_ttl_seconds=int(_env("MOCKY_SESSION_TTL_SECONDS", str(7 * 24 * 3600))),
            event_retry_delays_ms=tuple(
                int(x)
                for x in _csv(_env("MOCKY_EVENT_RETRY_DELAYS_MS", "1000,5000,30000,120000,600000"))
            ),
            rate_limit_per_ip_per_minute=int(_env("MOCKY_RATE_LIMIT_PER_IP_PER_MINUTE", "30")),
            email_changes_per_ip_per_hour=int(_env("MOCKY_EMAIL_CHANGES_PER_IP_PER_HOUR", "10")),
            log_level=_env("MOCKY_LOG_LEVEL", "info"),
            email_backend=_env("MOCKY_EMAIL_BACKEND", "outbox"),
            email_from=_env("MOCKY_EMAIL_FROM", cls.email_from),
            smtp_host=_env("SMTP_HOST", ""),
            smtp_port=int(_env("SMTP_PORT", "587")),
            smtp_username=_env("SMTP_USERNAME", ""),
            smtp_password=_env("SMTP_PASSWORD", ""),
            smtp_starttls=_env("SMTP_STARTTLS", "1") == "1",
            cloudflare_account_id=_env("CLOUDFLARE_ACCOUNT_ID", ""),
            cloudflare_api_token=_env("CLOUDFLARE_API_TOKEN", ""),
            cloudflare_api_base_url=_env("CLOUDFLARE_API_BASE_URL", cls.cloudflare_api_base_url),
            # Several comma-separated secrets while rotating the destination's secret.
            paddle_webhook_secrets=_csv(_env("PADDLE_WEBHOOK_SECRET", DEV_WEBHOOK_SECRET)),
            paddle_signature_tolerance_seconds=int(
                _env("PADDLE_SIGNATURE_TOLERANCE_SECONDS", "30")
            ),
            paddle_catalogue_json=_env("MOCKY_PADDLE_CATALOGUE", DEFAULT_CATALOGUE),
            paddle_api_key=_env("PADDLE_API_KEY", ""),
            paddle_environment=_env("PADDLE_ENVIRONMENT", cls.paddle_environment),
            paddle_api_base_url=_env("PADDLE_API_BASE_URL", ""),
            pseudonym_key=_env("MOCKY_PSEUDONYM_KEY", DEV_PSEUDONYM_KEY),
            link_secret=_env("MOCKY_LINK_SECRET", DEV_LINK_SECRET),
            max_upload_bytes=int(_env("MOCKY_MAX_UPLOAD_BYTES", str(cls.max_upload_bytes))),
            extract_max_concurrent=int(
                _env("MOCKY_EXTRACT_MAX_CONCURRENT", str(cls.extract_max_concurrent))
            ),
            extract_max_waiting=int(
                _env("MOCKY_EXTRACT_MAX_WAITING", str(cls.extract_max_waiting))
            ),
            interview_idle_seconds=int(
                _env("MOCKY_INTERVIEW_IDLE_SECONDS", str(cls.interview_idle_seconds))
            ),
            interviewer=interviewer,
            model=model,
            xai_api_key=_env("XAI_API_KEY", ""),
            xai_base_url=_env("XAI_BASE_URL", cls.xai_base_url).rstrip("/"),
            live_engine=_env("MOCKY_LIVE_ENGINE", cls.live_engine),
            xai_realtime_url=_env("XAI_REALTIME_URL", cls.xai_realtime_url),
            stt_engine=_env("MOCKY_STT_ENGINE", cls.stt_engine),
            stt_model=_env("MOCKY_STT_MODEL", cls.stt_model),
            stt_beam_size=int(_env("MOCKY_STT_BEAM_SIZE", str(cls.stt_beam_size))),
            stt_live_model=_env("MOCKY_STT_LIVE_MODEL", cls.stt_live_model),
            models_dir=_env("MOCKY_MODELS_DIR", cls.models_dir),
            stt_max_concurrent=int(_env("MOCKY_STT_MAX_CONCURRENT", str(cls.stt_max_concurrent))),
            stt_max_waiting=int(_env("MOCKY_STT_MAX_WAITING", str(cls.stt_max_waiting))),
            tts_engine=_env("MOCKY_TTS_ENGINE", cls.tts_engine),
            tts_max_concurrent=int(_env("MOCKY_TTS_MAX_CONCURRENT", str(cls.tts_max_concurrent))),
            tts_max_waiting=int(_env("MOCKY_TTS_MAX_WAITING", str(cls.tts_max_waiting))),
            elevenlabs_api_key=_env("ELEVENLABS_API_KEY", ""),
            elevenlabs_voice_id=_env("ELEVENLABS_VOICE_ID", cls.elevenlabs_voice_id),
            elevenlabs_base_url=_env("ELEVENLABS_BASE_URL", cls.elevenlabs_base_url).rstrip("/"),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.env == "production":
            if not self.service_token_hashes:
                raise ConfigurationError(
                    "production needs MOCKY_SERVICE_TOKEN_HASHES (and MOCKY_SERVICE_TOKENS)"
                )
            if not self.cookie_secure:
                raise ConfigurationError("production needs MOCKY_COOKIE_SECURE=1")
            if self.blob_backend != "s3":
                raise ConfigurationError("production stores blobs in S3/R2 (MOCKY_BLOB_BACKEND=s3)")
        if self.email_backend not in ("outbox", "smtp", "cloudflare"):
            raise ConfigurationError("MOCKY_EMAIL_BACKEND must be outbox, smtp or cloudflare")
        if self.env == "production" and self.email_backend == "outbox":
            raise ConfigurationError("production sends real email (MOCKY_EMAIL_BACKEND)")
        if self.interviewer not in ("offline", "model"):
            raise ConfigurationError("MOCKY_INTERVIEWER must be offline or model")
        if self.interviewer == "model":
            problems = self.model.problems() if self.model else ["no MOCKY_MODEL_* endpoint"]
            if problems:
                raise ConfigurationError("; ".join(problems))
        if self.stt_engine not in ("whisper", "elevenlabs"):
            raise ConfigurationError("MOCKY_STT_ENGINE must be whisper or elevenlabs")
        for variable, name in (
            ("MOCKY_STT_MODEL", self.stt_model),
            ("MOCKY_STT_LIVE_MODEL", self.stt_live_model),
        ):
            if name not in ("base", "tiny.en"):
                raise ConfigurationError(f"{variable} must be base or tiny.en")
        if not 1 <= self.stt_beam_size <= 10:
            raise ConfigurationError("MOCKY_STT_BEAM_SIZE must be 1 to 10")
        if self.tts_engine not in ("piper", "elevenlabs", "xai"):
            raise ConfigurationError("MOCKY_TTS_ENGINE must be piper, elevenlabs or xai")
        if "elevenlabs" in (self.stt_engine, self.tts_engine) and not self.elevenlabs_api_key:
            raise ConfigurationError("the ElevenLabs engines need ELEVENLABS_API_KEY")
        if self.live_engine not in ("embedded", "xai"):
            raise ConfigurationError("MOCKY_LIVE_ENGINE must be embedded or xai")
        if self.live_engine == "xai" and not self.xai_api_key:
            raise ConfigurationError("MOCKY_LIVE_ENGINE=xai needs XAI_API_KEY")
        if self.tts_engine == "xai" and not self.xai_api_key:
            raise ConfigurationError("MOCKY_TTS_ENGINE=xai needs XAI_API_KEY")
        if self.paddle_environment not in ("sandbox", "production"):
            raise ConfigurationError("PADDLE_ENVIRONMENT must be sandbox or production")
        if os.environ.get("TEST_MODE"):
            # Paddle's SDK skips the webhook time check when TEST_MODE is set; we do not
            # use it, but refuse an environment that expects that behaviour.
            if self.env == "production":
                raise ConfigurationError("TEST_MODE must not be set in production")
        if self.blob_backend not in ("local", "s3"):
            raise ConfigurationError("MOCKY_BLOB_BACKEND must be local or s3")


# The secrets each process uses, and so must have of its own in production (a secret is
# given only to the pods that use it: deploy/k8s/base/<service>.yaml).
SECRETS_OF = {
    "billing": ("PADDLE_WEBHOOK_SECRET", "MOCKY_PSEUDONYM_KEY"),
    "privacy": ("MOCKY_LINK_SECRET",),
    "voice": ("MOCKY_LINK_SECRET",),
}


def check_secrets(settings: Settings, process: str) -> None:
    """Refuses to run `process` in production on a local default of a secret it uses."""
    if settings.env != "production":
        return
    defaults = {
        "PADDLE_WEBHOOK_SECRET": DEV_WEBHOOK_SECRET in settings.paddle_webhook_secrets,
        "MOCKY_PSEUDONYM_KEY": settings.pseudonym_key == DEV_PSEUDONYM_KEY,
        "MOCKY_LINK_SECRET": settings.link_secret == DEV_LINK_SECRET,
    }
    for name in SECRETS_OF.get(process, ()):
        if defaults[name]:
            raise ConfigurationError(f"production needs {name} for {process}")


def _service_tokens(env: str) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    tokens_value = os.environ.get("MOCKY_SERVICE_TOKENS", "")
    hashes_value = os.environ.get("MOCKY_SERVICE_TOKEN_HASHES", "")
    if not tokens_value and not hashes_value and env in ("dev", "test"):
        tokens = service_auth.local_tokens(Path(_env("MOCKY_DATA_DIR", ".data")))
    else:
        tokens = service_auth.parse_tokens(tokens_value)
    hashes = service_auth.parse_hashes(hashes_value) or {
        name: (service_auth.token_digest(token),) for name, token in tokens.items()
    }
    return tokens, hashes


_current: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    global _current
    if _current is None:
        _current = Settings.from_env()
    return _current


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment)."""
    global _current
    _current = None
