using Actors.Asyncio;
using Actors.Asyncio.Examples;

// asyncio.run(main())
Aio.Run(() => ProducerConsumerExample.RunAsync(Console.Out));
