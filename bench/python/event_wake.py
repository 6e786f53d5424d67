"""(6) N idle tasks awaiting one asyncio.Event: bytes per waiting task (tracemalloc) and time to wake them all (s)."""
import asyncio
import tracemalloc
from _common import pick, now, emit, run, traced_bytes

N = pick(100_000, 2_000)


async def round_(measure_memory):
    ev = asyncio.Event()
    loop = asyncio.get_running_loop()
    all_woken = loop.create_future()
    left = [N]

    async def waiter():
        await ev.wait()
        left[0] -= 1
        if left[0] == 0:
            all_woken.set_result(None)

    if measure_memory:
        tracemalloc.start()
        before = traced_bytes()
    tasks = [asyncio.create_task(waiter()) for _ in range(N)]
    await asyncio.sleep(0)          # every task has started and waits on the event
    per_task = None
    if measure_memory:
        per_task = (traced_bytes() - before) / N
        tracemalloc.stop()
    t0 = now()
    ev.set()
    await all_woken
    wake = now() - t0
    await asyncio.gather(*tasks)
    return per_task, wake


async def main():
    _, wake = await round_(False)
    per_task, _ = await round_(True)
    emit(bytes_per_task=per_task, wake_s=wake)


run(main)
