"""(7c) TCP, asyncio client against asyncio server: 64-byte request/response over 50 connections and over 1, req/s; one connection streaming
S MiB to a sink, MB/s (1 MB = 10^6 bytes)."""
import asyncio
from _common import pick, now, emit, run, echo, sink

CONNS = pick(50, 5)
REQS_PER_CONN = pick(400, 50)
REQS_ONE = pick(10_000, 200)
STREAM = pick(256, 4) * 1024 * 1024
CHUNK = 64 * 1024
MSG = b"x" * 64


async def client(port, n):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _ in range(n):
        writer.write(MSG)
        await writer.drain()
        await reader.readexactly(64)
    writer.close()
    await writer.wait_closed()


async def req_rate(port, conns, per):
    t0 = now()
    await asyncio.gather(*(client(port, per) for _ in range(conns)))
    return conns * per / (now() - t0)


async def stream(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    chunk = b"y" * CHUNK
    t0 = now()
    for _ in range(STREAM // CHUNK):
        writer.write(chunk)
        await writer.drain()
    writer.write_eof()
    got = int.from_bytes(await reader.readexactly(8), "big")
    dt = now() - t0
    assert got == STREAM, got
    writer.close()
    await writer.wait_closed()
    return STREAM / dt / 1e6


async def main():
    srv = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    many = await req_rate(port, CONNS, REQS_PER_CONN)
    one = await req_rate(port, 1, REQS_ONE)
    srv.close()
    await srv.wait_closed()
    snk = await asyncio.start_server(sink, "127.0.0.1", 0)
    mbs = await stream(snk.sockets[0].getsockname()[1])
    snk.close()
    await snk.wait_closed()
    emit(req_per_s_50c=many, req_per_s_1c=one, stream_mb_per_s=mbs)


if __name__ == "__main__":
    run(main)
