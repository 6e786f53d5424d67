using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => CreateTaskConcurrentExample.RunAsync(Console.Out));
