using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => FutureSetAfterExample.RunAsync(Console.Out));
