"""(7b) TCP load: concurrent connections on 127.0.0.1 echo pseudo-random payloads (1 B-4 KiB) byte-exact (SHA-256 of
everything sent vs everything received, per connection) until a deadline; echoed MB/s and round trips/s."""
import asyncio
import hashlib
import random
from _common import pick, now, emit, run, echo

CONNS = pick(1000, 20)
SECONDS = pick(20.0, 0.3)


async def main():
    srv = await asyncio.start_server(echo, "127.0.0.1", 0, backlog=1024)
    port = srv.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SECONDS
    totals = {"bytes": 0, "trips": 0, "mismatches": 0}

    async def client(c):
        rnd = random.Random(c)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        sent, received = hashlib.sha256(), hashlib.sha256()
        while loop.time() < deadline:
            n = rnd.randint(1, 4096)
            payload = rnd.randbytes(n)
            sent.update(payload)
            writer.write(payload)
            await writer.drain()
            received.update(await reader.readexactly(n))
            totals["bytes"] += n
            totals["trips"] += 1
        if sent.digest() != received.digest():
            totals["mismatches"] += 1
        writer.close()
        await writer.wait_closed()

    t0 = now()
    await asyncio.gather(*(client(c) for c in range(CONNS)))
    elapsed = now() - t0
    srv.close()
    await srv.wait_closed()
    if totals["mismatches"]:
        raise SystemExit(f"{totals['mismatches']} connections echoed different bytes")
    emit(echo_mb_per_s=totals["bytes"] / 1e6 / elapsed, round_trips_per_s=totals["trips"] / elapsed)


run(main)
