namespace Actors.Asyncio.Examples;

/// <summary>The guide's §4.2 (asyncio.Queue): one producer, two consumers, a queue of at most 5 items, and
/// <c>None</c> (here <c>null</c>) as the end-of-work sentinel that each consumer passes on.</summary>
public static class ProducerConsumerExample
{
    /// <summary>asyncio's <c>producer(queue, n_items)</c>: puts <paramref name="count"/> items, then the sentinel.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="queue">The shared queue.</param>
    /// <param name="count">How many items to produce.</param>
    /// <param name="random">The source of the simulated work times.</param>
    public static async Task Producer(TextWriter output, AioQueue<string?> queue, int count, Random random)
    {
        for (int i = 0; i < count; i++)
        {
            string item = $"item-{i}";
            await Aio.Sleep(Uniform(random, 0.1, 0.5));   // simulated production time
            await queue.PutAsync(item);                  // waits while the queue holds 5 items
            output.WriteLine($"Producer: produced {item}");
        }
        await queue.PutAsync(null);                      // end-of-work sentinel
    }

    /// <summary>asyncio's <c>consumer(queue, consumer_id)</c>: processes items until the sentinel, which it marks done
    /// and puts back for the other consumers.</summary>
    /// <param name="output">Where to print.</param>
    /// <param name="queue">The shared queue.</param>
    /// <param name="consumerId">The consumer's number.</param>
    /// <param name="random">The source of the simulated work times.</param>
    /// <param name="consumed">Every item this consumer processed is added here.</param>
    public static async Task Consumer(TextWriter output, AioQueue<string?> queue, int consumerId, Random random, List<string> consumed)
    {
        while (true)
        {
            string? item = await queue.GetAsync();
            if (item is null)
            {
                queue.TaskDone();                        // the sentinel counts as an item too
                await queue.PutAsync(null);              // pass it on to the next consumer
                output.WriteLine($"Consumer {consumerId}: got the end signal, exiting");
                break;
            }
            output.WriteLine($"Consumer {consumerId}: processing {item}");
            await Aio.Sleep(Uniform(random, 0.2, 1.0));   // simulated processing time
            output.WriteLine($"Consumer {consumerId}: processed {item}");
            consumed.Add(item);
            queue.TaskDone();
        }
    }

    /// <summary>The guide's <c>main()</c>: one producer of 10 items, two consumers, then join and gather.</summary>
    /// <param name="output">Where the example prints.</param>
    /// <param name="seed">Seed of the simulated work times (the guide uses unseeded <c>random.uniform</c>).</param>
    /// <returns>The items consumed, in the order their processing finished.</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(TextWriter output, int seed = 2024)
    {
        var random = new Random(seed);
        var consumed = new List<string>();
        var queue = new AioQueue<string?>(maxSize: 5);

        List<AioTask> producers = [Aio.CreateTask(() => Producer(output, queue, 10, random))];
        List<AioTask> consumers = Enumerable.Range(0, 2)
            .Select(i => Aio.CreateTask(() => Consumer(output, queue, i, random, consumed)))
            .ToList();

        await Aio.Gather(producers);                     // wait for the producer
        output.WriteLine("All producers are done.");

        await queue.JoinAsync();                         // until every item put was marked done
        output.WriteLine("All items processed. Consumers are about to exit.");

        await Aio.Gather(consumers);                     // they exit on the sentinel
        return consumed;
    }

    private static double Uniform(Random random, double low, double high) => low + random.NextDouble() * (high - low);
}
