"""(7) TCP servers under one load generator (issue 6's method): asyncio's echo and sink servers on 127.0.0.1 are hit by
the benchmark's load generator (plain .NET sockets, its own process: the command is in AIO_BENCH_TCP_LOADGEN, put there
by bench/Actors.Asyncio.Bench), the same generator that measures the .NET servers: 64-byte request/response over 50
connections and over 1 (req/s), one connection streaming S MiB into the sink (MB/s, 1 MB = 10^6 bytes).

Run on its own (no generator), it falls back to asyncio clients, as tcp_pairs.py does."""
import asyncio
import json
import os
from _common import pick, emit, run, echo, sink

CONNS = pick(50, 5)
REQS_PER_CONN = pick(400, 50)
REQS_ONE = pick(10_000, 200)
STREAM = pick(256, 4) * 1024 * 1024


async def main():
    generator = os.environ.get("AIO_BENCH_TCP_LOADGEN")
    if not generator:
        import tcp_pairs
        await tcp_pairs.main()
        return
    srv = await asyncio.start_server(echo, "127.0.0.1", 0, backlog=512)
    snk = await asyncio.start_server(sink, "127.0.0.1", 0)
    ports = [srv.sockets[0].getsockname()[1], snk.sockets[0].getsockname()[1]]
    args = json.loads(generator) + [str(v) for v in ports + [CONNS, REQS_PER_CONN, REQS_ONE, STREAM]]
    # The loop serves both servers while it waits for the generator to finish.
    proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    srv.close()
    snk.close()
    await srv.wait_closed()
    await snk.wait_closed()
    if proc.returncode != 0:
        raise SystemExit(f"load generator exited with {proc.returncode}: {err.decode().strip()}")
    line = [l for l in out.decode().splitlines() if l.startswith("{")][-1]
    emit(**json.loads(line))


run(main)
