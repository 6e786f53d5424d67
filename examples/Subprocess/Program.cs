using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => SubprocessExample.RunAsync(Console.Out));
