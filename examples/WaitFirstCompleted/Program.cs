using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => WaitFirstCompletedExample.RunAsync(Console.Out));
