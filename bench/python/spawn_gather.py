"""(1) Spawn + gather N trivial tasks: tasks/s."""
import asyncio
from _common import pick, now, emit, run

N = pick(100_000, 2_000)


async def trivial(i):
    return i


async def main():
    t0 = now()
    tasks = [asyncio.create_task(trivial(i)) for i in range(N)]
    res = await asyncio.gather(*tasks)
    dt = now() - t0
    assert len(res) == N and res[-1] == N - 1
    emit(tasks_per_s=N / dt)


run(main)
