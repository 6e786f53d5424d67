using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => CancellationCleanupExample.RunAsync(Console.Out));
