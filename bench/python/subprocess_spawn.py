"""(8) N subprocesses (`true`), 8 at a time (8 worker tasks): spawns/s; and S bytes read from a child's stdout pipe: MB/s."""
import asyncio
from _common import pick, now, emit, run

N = pick(200, 8)
PARALLEL = 8
PIPE_BYTES = pick(50_000_000, 2_000_000)


async def worker(counter):
    while counter[0] < N:
        counter[0] += 1
        p = await asyncio.create_subprocess_exec("true")
        rc = await p.wait()
        assert rc == 0, rc


async def pipe():
    t0 = now()
    p = await asyncio.create_subprocess_exec("head", "-c", str(PIPE_BYTES), "/dev/zero", stdout=asyncio.subprocess.PIPE)
    total = 0
    while True:
        data = await p.stdout.read(65536)
        if not data:
            break
        total += len(data)
    await p.wait()
    dt = now() - t0
    assert total == PIPE_BYTES, total
    return PIPE_BYTES / dt / 1e6


async def main():
    counter = [0]
    t0 = now()
    await asyncio.gather(*(worker(counter) for _ in range(PARALLEL)))
    rate = N / (now() - t0)
    emit(spawns_per_s=rate, pipe_mb_per_s=await pipe())


run(main)
