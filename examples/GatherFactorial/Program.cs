using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => GatherFactorialExample.RunAsync(Console.Out));
