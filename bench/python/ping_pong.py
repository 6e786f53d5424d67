"""(3) sleep(0) ping-pong between two tasks, N switches in total: switches/s."""
import asyncio
from _common import pick, now, emit, run

N = pick(1_000_000, 10_000)


async def player(n):
    for _ in range(n):
        await asyncio.sleep(0)


async def main():
    t0 = now()
    await asyncio.gather(player(N // 2), player(N // 2))
    emit(switches_per_s=N / (now() - t0))


run(main)
