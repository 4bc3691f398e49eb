"""The Kubernetes manifests, rendered offline (kubectl's built-in kustomize) for
every overlay, validated against the Kubernetes schemas and checked for the
hardening CONVENTIONS.md asks of every workload."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
OVERLAYS = ["development", "production"]
SERVICES = sorted(p.parent.name for p in (ROOT / "services").glob("*/service.py"))
WORKLOADS = [*SERVICES, "gateway"]
CUSTOM_KINDS = {"RabbitmqCluster", "ServiceMonitor"}  # CRDs: no built-in schema


def render(overlay: str) -> list[dict]:
    output = subprocess.run(
        [str(BIN / "kubectl"), "kustomize", str(ROOT / "deploy/k8s/overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [doc for doc in yaml.safe_load_all(output) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def manifests(request) -> list[dict]:
    return render(request.param)


def of_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_every_service_in_the_repository_is_deployed(manifests):
    assert set(SERVICES) == {"auth", "sessions", "voice", "billing", "privacy"}
    for kind in (
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "ServiceMonitor",
    ):
        assert set(WORKLOADS) <= set(of_kind(manifests, kind)), kind


def test_every_workload_reaches_the_broker(manifests):
    """Every service, and the gateway (it publishes page views), has the broker's URI."""
    for name, deployment in of_kind(manifests, "Deployment").items():
        if name not in WORKLOADS:
            continue
        env = {e["name"] for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert "AMQP_URI" in env, name


def test_every_workload_authenticates_with_its_own_token(manifests):
    """Each pod gets only its own service token (and the hashes it checks callers
    against) by reference, and serves metrics on its pod address, not 0.0.0.0."""
    for name, deployment in of_kind(manifests, "Deployment").items():
        if name not in WORKLOADS:
            continue
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        env = {e["name"]: e.get("valueFrom", {}) for e in container["env"]}
        token = env["MOCKY_SERVICE_TOKENS"]["secretKeyRef"]
        assert (token["name"], token["key"]) == ("mocky-service-tokens", name), name
        assert env["MOCKY_SERVICE_TOKEN_HASHES"]["secretKeyRef"]["key"] == "hashes", name
        assert env["MOCKY_METRICS_BIND_HOST"] == {"fieldRef": {"fieldPath": "status.podIP"}}


def test_core_resources_match_the_kubernetes_schemas(manifests, tmp_path):
    core = [d for d in manifests if d["kind"] not in CUSTOM_KINDS]
    path = tmp_path / "rendered.yaml"
    path.write_text(yaml.safe_dump_all(core))
    result = subprocess.run(
        [str(BIN / "kubernetes-validate"), "--strict", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workloads_are_hardened_probed_and_bounded(manifests):
    for name, deployment in of_kind(manifests, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["automountServiceAccountToken"] is False, name
        for container in [*pod.get("initContainers", []), *pod["containers"]]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
        main = pod["containers"][0]
        assert "readinessProbe" in main and "livenessProbe" in main, name
        if name != "gateway":
            assert main["readinessProbe"]["grpc"]["port"] == 50051  # grpc.health.v1


def test_secrets_are_only_referenced(manifests):
    assert not of_kind(manifests, "Secret")
    for deployment in of_kind(manifests, "Deployment").values():
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            for env in container.get("env", []):
                assert "value" not in env or not any(
                    word in env["name"]
                    for word in ("SECRET", "PASSWORD", "TOKEN", "KEY", "URI", "URL")
                ), env["name"]


def test_network_policies_deny_by_default(manifests):
    policies = of_kind(manifests, "NetworkPolicy")
    assert policies["default-deny"]["spec"]["podSelector"] == {}
    assert set(policies["default-deny"]["spec"]["policyTypes"]) == {"Ingress", "Egress"}


def test_production_runs_several_spread_replicas():
    docs = render("production")
    for name, deployment in of_kind(docs, "Deployment").items():
        assert deployment["spec"]["replicas"] >= 2, name
        assert "podAntiAffinity" in deployment["spec"]["template"]["spec"]["affinity"], name
    assert of_kind(docs, "RabbitmqCluster")["mocky-rabbitmq"]["spec"]["replicas"] == 3


def test_the_image_definition_passes_hadolint():
    result = subprocess.run(
        [str(BIN / "hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
