"""Services authenticate each other on every gRPC call.

A caller puts its token, `<service>.<secret>`, in the `x-mocky-service-auth` metadata;
every server checks the token against the SHA-256 it knows for that service and then
whether that service may call the method (`POLICY`), before any work is done. A process
on the same host that has no token gets UNAUTHENTICATED; a service calling what only
another may call (the gateway asking for an export, say) gets PERMISSION_DENIED.

Where tokens come from:
- `MOCKY_SERVICE_TOKENS`: the tokens this process presents (in a Kubernetes pod, only
  its own; a test process hosting several services, each of theirs).
- `MOCKY_SERVICE_TOKEN_HASHES`: `service:sha256hex,...`, what servers accept (not
  secret); derived from the tokens when unset.
- In dev and test, when neither is set: `<MOCKY_DATA_DIR>/secrets/service-tokens`
  (0600), generated on first use, so `./task up` and `./task run <service>` agree.

Health checks stay open: Kubernetes' gRPC probes cannot send metadata and the answer
says nothing but SERVING.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

HEADER = "x-mocky-service-auth"
CALLERS = ("gateway", "auth", "sessions", "voice", "billing", "privacy")
PUBLIC = "*"

# Who may call what: "package.Service" or "package.Service/Method" -> the callers.
# The method's own entry wins over its service's; anything not listed is refused.
POLICY: dict[str, frozenset[str]] = {
    "grpc.health.v1.Health": frozenset({PUBLIC}),
    "grpc.reflection.v1alpha.ServerReflection": frozenset(CALLERS),
    "mocky.platform.v1.PlatformService": frozenset({"gateway"}),  # the dev clock
    "mocky.auth.v1.AuthService": frozenset({"gateway"}),
    "mocky.auth.v1.AuthService/SendUserEmail": frozenset({"privacy"}),
    "mocky.auth.v1.AuthService/EmailRoleHolders": frozenset({"privacy"}),
    "mocky.auth.v1.AuthService/RequestAccountDeletion": frozenset({"gateway", "privacy"}),
    "mocky.sessions.v1.SessionsService": frozenset({"gateway"}),
    "mocky.voice.v1.VoiceService": frozenset({"gateway"}),
    "mocky.billing.v1.BillingService": frozenset({"gateway"}),
    "mocky.billing.v1.BillingService/ConsumeCredit": frozenset({"sessions"}),
    "mocky.privacy.v1.PrivacyService": frozenset({"gateway"}),
    "mocky.privacy.v1.DataOwnerService": frozenset({"privacy"}),
}


class ServiceAuthError(Exception):
    def __init__(self, message: str, denied: bool = False) -> None:
        super().__init__(message)
        self.denied = denied  # True: authenticated, but not allowed


def new_token(service: str) -> str:
    return f"{service}.{secrets.token_urlsafe(32)}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_tokens(value: str) -> dict[str, str]:
    """`name.secret,name.secret` -> {name: token}."""
    tokens = {}
    for token in (part.strip() for part in value.split(",")):
        name, dot, secret = token.partition(".")
        if dot and name and secret:
            tokens[name] = token
    return tokens


def parse_hashes(value: str) -> dict[str, tuple[str, ...]]:
    """`name:hex,...`; a name may appear twice while its token is being rotated."""
    hashes: dict[str, tuple[str, ...]] = {}
    for part in (p.strip() for p in value.split(",")):
        name, colon, digest = part.partition(":")
        if colon and name and len(digest) == 64:
            hashes[name] = (*hashes.get(name, ()), digest.lower())
    return hashes


def local_tokens(data_dir: Path, services: Iterable[str] = CALLERS) -> dict[str, str]:
    """The dev/test token file, made on first use (owner-only)."""
    path = data_dir / "secrets" / "service-tokens"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".service-tokens.{os.getpid()}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(",".join(new_token(name) for name in services))
        try:
            os.link(temporary, path)  # the first process to start wins; the others read it
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return parse_tokens(path.read_text())


def allowed_callers(method_path: str) -> frozenset[str]:
    """`/mocky.auth.v1.AuthService/SendUserEmail` -> who may call it."""
    service, _, method = method_path.strip("/").partition("/")
    return POLICY.get(f"{service}/{method}", POLICY.get(service, frozenset()))


def authenticate(
    method_path: str, presented: str | None, hashes: Mapping[str, tuple[str, ...]]
) -> str:
    """The verified caller of a call (PUBLIC for an open method); ServiceAuthError
    otherwise."""
    allowed = allowed_callers(method_path)
    if PUBLIC in allowed:
        return PUBLIC
    name = (presented or "").partition(".")[0]
    expected = hashes.get(name, ())
    if not presented or not expected:
        raise ServiceAuthError("a service token is required")
    digest = token_digest(presented)
    if not any(hmac.compare_digest(digest, known) for known in expected):
        raise ServiceAuthError("the service token is not valid")
    if name not in allowed:
        raise ServiceAuthError(f"{name} may not call {method_path}", denied=True)
    return name


def kubernetes_secret(namespace: str = "mocky") -> str:
    """A new `mocky-service-tokens` Secret: one token per service, and their hashes."""
    import json

    tokens = {name: new_token(name) for name in CALLERS}
    hashes = ",".join(f"{name}:{token_digest(token)}" for name, token in tokens.items())
    data = {**tokens, "hashes": hashes}
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "mocky-service-tokens", "namespace": namespace},
            "type": "Opaque",
            "stringData": data,
        },
        indent=2,
    )


if __name__ == "__main__":
    import sys

    # python -m mocky.platform.service_auth [namespace] | kubectl apply -f -
    print(kubernetes_secret(*sys.argv[1:2]))
