"""(issue 4) N sequential asyncio.wait_for(coro, 10) whose coroutine yields once and never times out: calls/s."""
import asyncio
from _common import pick, now, emit, run

N = pick(100_000, 2_000)


async def inner(i):
    await asyncio.sleep(0)
    return i


async def main():
    t0 = now()
    for i in range(N):
        r = await asyncio.wait_for(inner(i), 10)
        assert r == i
    emit(calls_per_s=N / (now() - t0))


run(main)
