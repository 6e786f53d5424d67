"""(issue 4) asyncio.wait(FIRST_COMPLETED) over N pending tasks, R rounds (one task finishes per round): waits/s."""
import asyncio
from _common import pick, now, emit, run

N = pick(10_000, 1_000)
ROUNDS = pick(50, 3)


async def main():
    loop = asyncio.get_running_loop()
    futs = [loop.create_future() for _ in range(N)]

    async def waiter(f):
        return await f

    pending = {asyncio.create_task(waiter(f)) for f in futs}
    await asyncio.sleep(0)
    t0 = now()
    for r in range(ROUNDS):
        futs[r].set_result(r)
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        assert len(done) == 1
    dt = now() - t0
    for t in pending:
        t.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    emit(waits_per_s=ROUNDS / dt)


run(main)
