import pytest

from mocky.platform.settings import ConfigurationError, Settings, check_secrets


def settings_from(monkeypatch, **env):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings.from_env()


def test_defaults_describe_the_local_stack(monkeypatch):
    monkeypatch.delenv("MOCKY_ENV", raising=False)
    settings = Settings.from_env()
    assert settings.env == "dev" and settings.dev_tools_enabled
    assert settings.grpc_target("auth") == "127.0.0.1:50051"
    assert settings.mongo_database("privacy") == "mocky_privacy"


def test_production_refuses_insecure_cookies_and_local_blobs(monkeypatch):
    with pytest.raises(ConfigurationError):
        settings_from(monkeypatch, MOCKY_ENV="production", MOCKY_COOKIE_SECURE="0")
    monkeypatch.delenv("MOCKY_COOKIE_SECURE")
    with pytest.raises(ConfigurationError):
        settings_from(monkeypatch, MOCKY_ENV="production", MOCKY_BLOB_BACKEND="local")
    with pytest.raises(ConfigurationError):  # and real email
        settings_from(monkeypatch, MOCKY_ENV="production", MOCKY_BLOB_BACKEND="s3")
    with pytest.raises(ConfigurationError):  # and the services' tokens
        settings_from(monkeypatch, MOCKY_ENV="production", MOCKY_EMAIL_BACKEND="smtp")
    production = settings_from(
        monkeypatch,
        MOCKY_ENV="production",
        MOCKY_SERVICE_TOKENS="gateway.s3cret",
        MOCKY_SERVICE_TOKEN_HASHES=f"auth:{'a' * 64},gateway:{'b' * 64}",
    )
    assert production.cookie_secure and not production.dev_tools_enabled
    assert production.service_tokens == {"gateway": "gateway.s3cret"}
    assert production.service_token_hashes == {"auth": ("a" * 64,), "gateway": ("b" * 64,)}


def test_local_runs_share_one_generated_token_file(monkeypatch, tmp_path):
    monkeypatch.delenv("MOCKY_SERVICE_TOKENS", raising=False)
    monkeypatch.delenv("MOCKY_SERVICE_TOKEN_HASHES", raising=False)
    first = settings_from(monkeypatch, MOCKY_ENV="dev", MOCKY_DATA_DIR=str(tmp_path))
    second = settings_from(monkeypatch, MOCKY_ENV="dev", MOCKY_DATA_DIR=str(tmp_path))
    assert first.service_tokens == second.service_tokens
    assert set(first.service_tokens) == {
        "gateway",
        "auth",
        "sessions",
        "voice",
        "billing",
        "privacy",
    }
    token_file = tmp_path / "secrets" / "service-tokens"
    assert token_file.stat().st_mode & 0o077 == 0  # the owner's only


def test_paddle_environment_is_sandbox_or_production(monkeypatch):
    with pytest.raises(ConfigurationError):
        settings_from(monkeypatch, PADDLE_ENVIRONMENT="staging")
    assert settings_from(monkeypatch, PADDLE_ENVIRONMENT="production").paddle_environment


def test_magic_link_lifetime_cannot_exceed_ten_minutes(monkeypatch):
    with pytest.raises(ConfigurationError):
        settings_from(monkeypatch, MOCKY_MAGIC_LINK_TTL_SECONDS="601")
    assert (
        settings_from(monkeypatch, MOCKY_MAGIC_LINK_TTL_SECONDS="300").magic_link_ttl_seconds == 300
    )


def test_service_targets_and_officers_come_from_the_environment(monkeypatch):
    settings = settings_from(
        monkeypatch,
        MOCKY_AUTH_GRPC_TARGET="auth.mocky.svc:50051",
        MOCKY_COMPLIANCE_OFFICERS="A@x.com, b@y.com",
    )
    assert settings.grpc_target("auth") == "auth.mocky.svc:50051"
    assert settings.compliance_officers == ("a@x.com", "b@y.com")


def test_unknown_environment_is_refused(monkeypatch):
    with pytest.raises(ConfigurationError):
        settings_from(monkeypatch, MOCKY_ENV="staging")


def test_production_refuses_paddle_test_mode(monkeypatch):
    with pytest.raises(ConfigurationError):
        settings_from(
            monkeypatch,
            MOCKY_ENV="production",
            MOCKY_BLOB_BACKEND="s3",
            MOCKY_EMAIL_BACKEND="smtp",
            PADDLE_WEBHOOK_SECRET="s",
            TEST_MODE="1",
        )


def test_a_language_model_from_a_preset_with_overrides(monkeypatch):
    monkeypatch.setenv("MOCKY_INTERVIEWER", "model")
    monkeypatch.setenv("MOCKY_MODEL_PRESET", "ollama")
    monkeypatch.setenv("MOCKY_MODEL_NAME", "llama3.1:8b")
    model = Settings.from_env().model
    assert model is not None and not model.needs_consent
    assert (model.base_url, model.model, model.structured) == (
        "http://127.0.0.1:11434/v1",
        "llama3.1:8b",
        "auto",
    )
    assert model.subprocessor() is None  # the operator's own server is no sub-processor


def test_a_providers_model_needs_a_key_and_a_name_for_the_sub_processor_list(monkeypatch):
    monkeypatch.setenv("MOCKY_INTERVIEWER", "model")
    monkeypatch.setenv("MOCKY_MODEL_PRESET", "custom")
    monkeypatch.setenv("MOCKY_MODEL_BASE_URL", "https://llm.example.com/v1")
    monkeypatch.setenv("MOCKY_MODEL_NAME", "big-model")
    monkeypatch.setenv("MOCKY_MODEL_LOCATION", "provider")
    with pytest.raises(ConfigurationError, match="MOCKY_MODEL_API_KEY.*PROVIDER_NAME"):
        Settings.from_env()
    monkeypatch.setenv("MOCKY_MODEL_API_KEY", "k")
    monkeypatch.setenv("MOCKY_MODEL_PROVIDER_NAME", "Example LLM Ltd")
    monkeypatch.setenv("MOCKY_MODEL_PROVIDER_REGION", "EU")
    model = Settings.from_env().model
    assert model is not None and model.needs_consent
    assert model.subprocessor()["name"] == "Example LLM Ltd"  # type: ignore[index]
    monkeypatch.setenv("MOCKY_MODEL_DEADLINE_SECONDS", "60")
    with pytest.raises(ConfigurationError, match="DEADLINE"):
        Settings.from_env()


def test_grok_is_the_xai_preset_and_takes_the_xai_key(monkeypatch):
    monkeypatch.setenv("MOCKY_INTERVIEWER", "grok")
    with pytest.raises(ConfigurationError, match="MOCKY_MODEL_API_KEY"):
        Settings.from_env()
    monkeypatch.setenv("XAI_API_KEY", "xai-key")
    settings = Settings.from_env()
    assert settings.interviewer == "model" and settings.model is not None
    assert (settings.model.preset, settings.model.api_key) == ("xai", "xai-key")
    assert settings.model.needs_consent and settings.model.provider == "xAI"


def test_in_production_each_process_needs_only_the_secrets_it_uses(monkeypatch):
    production = settings_from(
        monkeypatch,
        MOCKY_ENV="production",
        MOCKY_BLOB_BACKEND="s3",
        MOCKY_EMAIL_BACKEND="smtp",
        MOCKY_SERVICE_TOKENS="gateway.s3cret",
        MOCKY_SERVICE_TOKEN_HASHES=f"auth:{'a' * 64}",
    )
    for process in ("auth", "sessions", "gateway"):
        check_secrets(production, process)  # they hold none of these secrets
    for process, missing in (
        ("billing", "PADDLE_WEBHOOK_SECRET"),
        ("privacy", "MOCKY_LINK_SECRET"),
        ("voice", "MOCKY_LINK_SECRET"),
    ):
        with pytest.raises(ConfigurationError, match=missing):
            check_secrets(production, process)
    monkeypatch.setenv("PADDLE_WEBHOOK_SECRET", "pdl_ntfset_secret")
    with pytest.raises(ConfigurationError, match="MOCKY_PSEUDONYM_KEY"):
        check_secrets(Settings.from_env(), "billing")
    monkeypatch.setenv("MOCKY_PSEUDONYM_KEY", "a-real-key")
    monkeypatch.setenv("MOCKY_LINK_SECRET", "a-link-secret")
    for process in ("billing", "privacy", "voice"):
        check_secrets(Settings.from_env(), process)


def test_the_ears_are_base_for_recordings_and_tiny_for_live_turns_and_checked(monkeypatch):
    settings = Settings.from_env()
    assert (settings.stt_model, settings.stt_beam_size, settings.stt_live_model) == (
        "base",
        5,
        "tiny.en",
    )
    monkeypatch.setenv("MOCKY_STT_MODEL", "large-v3")
    with pytest.raises(ConfigurationError, match="MOCKY_STT_MODEL"):
        Settings.from_env()
