return await Actors.Asyncio.Bench.Harness.BenchProgram.MainAsync(args);
