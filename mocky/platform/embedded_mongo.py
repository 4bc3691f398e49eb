"""The local stack's MongoDB: nx-27017's wire-protocol server on a Unix socket.

nx-27017 has no authentication, and on TCP anyone on the host could read every CV
through it. On a socket in an owner-only directory (the socket itself 0600, data files
created under umask 077) only the user who runs the platform can connect or read the
files. pymongo connects with `mongodb://<percent-encoded socket path>/`.

    python -m mocky.platform.embedded_mongo --data-dir DIR --socket PATH [--log-file F]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from urllib.parse import quote

MAX_SOCKET_PATH = 100  # sun_path holds 108 bytes


def socket_url(path: Path) -> str:
    return f"mongodb://{quote(str(path), safe='')}/"


def socket_path(run_dir: Path) -> Path:
    """The socket under the data directory's run/, or (a deep checkout) in a private
    directory of its own under /tmp."""
    path = run_dir / "mongo.sock"
    if len(str(path)) <= MAX_SOCKET_PATH:
        return path
    import hashlib
    import tempfile

    digest = hashlib.sha256(str(run_dir).encode()).hexdigest()[:12]
    private = Path(tempfile.gettempdir()) / f"mocky-{os.getuid()}-{digest}"
    private.mkdir(mode=0o700, exist_ok=True)
    return private / "mongo.sock"


async def serve(data_dir: Path, path: Path) -> None:
    from neosqlite.options import JournalMode
    from nx_27017.handler import NeoSQLiteHandler
    from nx_27017.server import handle_client

    handler = NeoSQLiteHandler(
        str(data_dir / "nx.db"),
        journal_mode=JournalMode.validate("WAL"),
        data_dir=str(data_dir),
    )
    path.unlink(missing_ok=True)
    server = await asyncio.start_unix_server(
        lambda reader, writer: handle_client(reader, writer, handler), path=str(path)
    )
    os.chmod(path, 0o600)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    logging.getLogger("nx_27017").info("listening on a unix socket")
    async with server:
        await stop.wait()
    path.unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="embedded_mongo")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--socket", required=True, type=Path)
    parser.add_argument("--log-file", type=Path)
    args = parser.parse_args(argv)
    os.umask(0o077)
    args.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    logging.basicConfig(
        filename=args.log_file,
        level=logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    asyncio.run(serve(args.data_dir, args.socket))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
