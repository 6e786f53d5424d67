using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => EchoServerExample.RunAsync(Console.Out));
