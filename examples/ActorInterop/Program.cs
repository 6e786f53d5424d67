using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => ActorInteropExample.RunAsync(Console.Out));
