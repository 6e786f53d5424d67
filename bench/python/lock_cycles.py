"""(5) T tasks x C lock cycles each, sleep(0) inside the critical section: cycles/s."""
import asyncio
from _common import pick, now, emit, run

TASKS = pick(100, 10)
CYCLES = pick(1_000, 100)


async def worker(lock, box):
    for _ in range(CYCLES):
        async with lock:
            v = box[0]
            await asyncio.sleep(0)
            box[0] = v + 1


async def main():
    lock = asyncio.Lock()
    box = [0]
    t0 = now()
    await asyncio.gather(*(worker(lock, box) for _ in range(TASKS)))
    dt = now() - t0
    assert box[0] == TASKS * CYCLES, "the lock let two tasks in"
    emit(cycles_per_s=TASKS * CYCLES / dt)


run(main)
