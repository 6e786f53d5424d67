using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => LockWorkerExample.RunAsync(Console.Out));
