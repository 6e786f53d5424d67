"""(2) N concurrent 100 ms sleeps: wall time (s) and memory held while all sleep (MB, tracemalloc, separate pass with longer sleeps)."""
import asyncio
import tracemalloc
from _common import pick, now, emit, run, traced_bytes

N = pick(100_000, 2_000)
DELAY = pick(0.1, 0.01)
MEMORY_PASS_DELAY = pick(1.0, 0.2)   # longer, so the measuring cannot outlast the sleeps


async def timed():
    t0 = now()
    await asyncio.gather(*(asyncio.sleep(DELAY) for _ in range(N)))
    return now() - t0


async def memory():
    tracemalloc.start()
    before = traced_bytes()
    tasks = [asyncio.create_task(asyncio.sleep(MEMORY_PASS_DELAY)) for _ in range(N)]
    await asyncio.sleep(0)          # every sleep is now pending on its timer
    during = traced_bytes()
    await asyncio.gather(*tasks)
    tracemalloc.stop()
    return during - before


async def main():
    wall = await timed()
    held = await memory()
    emit(wall_s=wall, peak_mb=held / 1e6, bytes_per_task=held / N)


run(main)
