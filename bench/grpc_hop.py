"""A unary gRPC call through our helpers (nameko-grpc server and client with the
platform's wake-up fix) against bare grpcio, and nameko-grpc as shipped, measured in
the same run. Each side runs in its own process; the nameko ones under eventlet.

    python -m bench.grpc_hop            # orchestrates everything, prints JSON
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CALLS = int(os.environ.get("BENCH_GRPC_CALLS", "400"))
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "5"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(latencies: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 3),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 3),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 3),
    }


# -- servers --------------------------------------------------------------------------


def serve_grpcio(port: int) -> None:
    from concurrent import futures

    import grpc
    from grpc_health.v1 import health, health_pb2_grpc

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    health_pb2_grpc.add_HealthServicer_to_server(health.HealthServicer(), server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    print("ready", flush=True)
    server.wait_for_termination()


def serve_nameko(port: int, patched: bool) -> None:
    import eventlet

    eventlet.monkey_patch()
    from grpc_health.v1 import health_pb2, health_pb2_grpc
    from nameko import config
    from nameko.runners import ServiceRunner
    from nameko_grpc.entrypoint import Grpc

    if patched:
        from mocky.platform import grpc_wakeup

        grpc_wakeup.install()

    class HealthOnly:
        name = "bench"

        @Grpc.implementing(health_pb2_grpc.HealthStub)
        def Check(self, request, context):  # type: ignore[no-untyped-def]
            return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)

    config.setup({"GRPC_BIND_PORT": port, "GRPC_BIND_HOST": "127.0.0.1", "AMQP_URI": "memory://"})
    runner = ServiceRunner()
    runner.add_service(HealthOnly)
    runner.start()
    print("ready", flush=True)
    runner.wait()


# -- clients --------------------------------------------------------------------------


def call_grpcio(port: int, calls: int, hold: float) -> dict:
    import grpc
    from grpc_health.v1 import health_pb2_grpc

    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    stub = health_pb2_grpc.HealthStub(channel)
    return {**time_calls(stub, calls), **idle_cpu(hold)}


def call_nameko(port: int, calls: int, hold: float, patched: bool) -> dict:
    import eventlet

    eventlet.monkey_patch()
    from grpc_health.v1 import health_pb2_grpc
    from nameko_grpc.client import Client

    if patched:
        from mocky.platform import grpc_wakeup

        grpc_wakeup.install()
    with Client(f"//127.0.0.1:{port}", health_pb2_grpc.HealthStub) as stub:
        return {**time_calls(stub, calls), **idle_cpu(hold)}


def time_calls(stub: object, calls: int) -> dict:
    from grpc_health.v1 import health_pb2

    request = health_pb2.HealthCheckRequest()
    for _ in range(20):  # warm-up: connection, caches
        stub.Check(request, timeout=5)  # type: ignore[attr-defined]
    latencies = []
    for _ in range(calls):
        started = time.perf_counter()
        stub.Check(request, timeout=5)  # type: ignore[attr-defined]
        latencies.append(time.perf_counter() - started)
    return summary(latencies)


def idle_cpu(hold: float) -> dict:
    """Sleep with the connection open; report this client process's CPU meanwhile and
    let the orchestrator read the server's."""
    print(json.dumps({"idle_start": True}), flush=True)
    before = os.times()
    time.sleep(hold)
    after = os.times()
    used = (after.user - before.user) + (after.system - before.system)
    return {"client_idle_cpu_pct": round(100 * used / hold, 2)}


# -- orchestration --------------------------------------------------------------------


def process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(kind: str, patched: bool) -> dict:
    from tests.infra import free_port

    port = free_port()
    flag = [] if patched else ["--unpatched"]
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.grpc_hop", f"serve-{kind}", str(port), *flag],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()  # "ready"
        client = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.grpc_hop",
                f"call-{kind}",
                str(port),
                str(CALLS),
                str(IDLE_SECONDS),
                *flag,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert client.stdout is not None
        client.stdout.readline()  # idle starts: the calls are done, the connection is open
        cpu_before = process_cpu_seconds(server.pid)
        result = json.loads(client.stdout.readline())
        cpu_after = process_cpu_seconds(server.pid)
        client.wait(30)
        result["server_idle_cpu_pct"] = round(100 * (cpu_after - cpu_before) / IDLE_SECONDS, 2)
        return result
    finally:
        server.terminate()
        server.wait(10)


def run() -> dict:
    bare = measure("grpcio", patched=True)
    ours = measure("nameko", patched=True)
    shipped = measure("nameko", patched=False)
    return {
        "calls": CALLS,
        "bare_grpcio": bare,
        "ours_nameko_grpc_with_wakeup": ours,
        "nameko_grpc_as_shipped": shipped,
        "ratio_ours_to_bare_p50": round(ours["p50_ms"] / bare["p50_ms"], 2),
        "ratio_shipped_to_bare_p50": round(shipped["p50_ms"] / bare["p50_ms"], 2),
    }


def main(argv: list[str]) -> int:
    if not argv:
        print(json.dumps(run(), indent=2))
        return 0
    command, port = argv[0], int(argv[1])
    patched = "--unpatched" not in argv
    if command == "serve-grpcio":
        serve_grpcio(port)
    elif command == "serve-nameko":
        serve_nameko(port, patched)
    elif command in ("call-grpcio", "call-nameko"):
        calls, hold = int(argv[2]), float(argv[3])
        result = (
            call_grpcio(port, calls, hold)
            if command == "call-grpcio"
            else call_nameko(port, calls, hold, patched)
        )
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
