"""(4) asyncio.Queue(maxsize=100), N items: 1 producer/1 consumer and 4P/4C, items/s."""
import asyncio
from _common import pick, now, emit, run

N = pick(1_000_000, 10_000)
MAXSIZE = 100


async def producer(q, n):
    for i in range(n):
        await q.put(i)


async def consumer(q, n):
    for _ in range(n):
        await q.get()


async def one(p):
    q = asyncio.Queue(maxsize=MAXSIZE)
    per = N // p
    t0 = now()
    await asyncio.gather(*(producer(q, per) for _ in range(p)), *(consumer(q, per) for _ in range(p)))
    return per * p / (now() - t0)


async def main():
    emit(items_per_s_1p1c=await one(1), items_per_s_4p4c=await one(4))


run(main)
