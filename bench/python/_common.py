"""Shared helpers for the CPython side of the Actors.Asyncio benchmark (stdlib only).

Each scenario script is run by bench/Actors.Asyncio.Bench as `python3 <scenario>.py [--quick]`
and prints exactly one JSON object on its last stdout line: {"metric": value, ...}.
"""
import asyncio
import gc
import json
import sys
import time
import tracemalloc

QUICK = "--quick" in sys.argv[1:]


def pick(full, quick):
    """The count for this run: small under --quick (each scenario well under a second)."""
    return quick if QUICK else full


def now():
    return time.perf_counter()


def emit(**metrics):
    print(json.dumps(metrics), flush=True)


def run(coro_fn):
    """asyncio.run with the default (pure CPython) event loop; never uvloop."""
    return asyncio.run(coro_fn())


def traced_bytes():
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def echo(reader, writer):
    """The TCP echo servers' connection handler (tcp_echo, tcp_load)."""
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    finally:
        writer.close()


async def sink(reader, writer):
    """The TCP sink servers' connection handler (tcp_echo, tcp_pairs): counts bytes to EOF, answers the count."""
    total = 0
    while True:
        data = await reader.read(65536)
        if not data:
            break
        total += len(data)
    writer.write(total.to_bytes(8, "big"))
    await writer.drain()
    writer.close()
