"""Generate Python code from proto/ with grpcio-tools, or check that the committed
generated code is what the current .proto files produce.

    python -m mocky.platform.protogen generate|check [--quiet]
"""

from __future__ import annotations

import filecmp
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROTO_DIR = ROOT / "proto"


def proto_files() -> list[Path]:
    return sorted(PROTO_DIR.rglob("*.proto"))


def generate(out_dir: Path) -> None:
    import grpc_tools
    from grpc_tools import protoc

    include = Path(grpc_tools.__file__).parent / "_proto"
    files = [str(p.relative_to(PROTO_DIR)) for p in proto_files()]
    args = [
        "protoc",
        f"-I{PROTO_DIR}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *files,
    ]
    if protoc.main(args) != 0:
        raise SystemExit("protoc failed")
    for proto in proto_files():
        package_dir = out_dir / proto.relative_to(PROTO_DIR).parent
        for parent in [package_dir, *package_dir.relative_to(out_dir).parents]:
            init = out_dir / parent / "__init__.py"
            if parent != Path(".") and not init.exists():
                init.touch()


def generated_files(base: Path) -> dict[Path, Path]:
    found = {}
    for proto in proto_files():
        rel = proto.relative_to(PROTO_DIR).with_suffix("")
        for suffix in ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py"):
            path = base / rel.parent / (rel.name + suffix)
            found[path.relative_to(base)] = path
    return found


def check(quiet: bool = False) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        fresh = generated_files(Path(tmp))
        committed = generated_files(ROOT)
        stale = [
            str(rel)
            for rel, path in fresh.items()
            if not committed[rel].exists() or not filecmp.cmp(path, committed[rel], False)
        ]
    if stale:
        print("generated code is stale; run ./task proto:", *stale, sep="\n  ", file=sys.stderr)
        return 1
    if not quiet:
        print(f"generated code is up to date ({len(fresh)} files)")
    return 0


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "generate":
        generate(ROOT)
        print(f"generated code for {len(proto_files())} proto files")
        return 0
    if command == "check":
        return check(quiet="--quiet" in argv)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
