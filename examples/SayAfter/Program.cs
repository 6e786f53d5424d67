using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => SayAfterExample.RunAsync(Console.Out));
