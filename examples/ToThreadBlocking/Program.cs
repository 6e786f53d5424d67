using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => ToThreadBlockingExample.RunAsync(Console.Out));
