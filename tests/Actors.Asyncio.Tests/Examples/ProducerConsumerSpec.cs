using Actors.Asyncio.Examples;
using Xunit;
using Xunit.Abstractions;

namespace Actors.Asyncio.Tests.Examples;

public class ProducerConsumerSpec(ITestOutputHelper output) : AioTestKit(output, virtualTime: true)
{
    [Theory]
    [InlineData(2024)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task RunAsync_OneProducerTwoConsumers_ConsumeEveryItemExactlyOnce(int seed)   // guide §4.2
    {
        var printed = new StringWriter();
        var consumed = await RunAsync(() => ProducerConsumerExample.RunAsync(printed, seed));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"item-{i}").Order(), consumed.Order());
        var lines = SayAfterSpec.Lines(printed);
        Assert.Equal(10, lines.Count(l => l.StartsWith("Producer: produced", StringComparison.Ordinal)));
        // Both consumers saw the sentinel (each passes it on), and join returned only after the last item was done.
        Assert.Contains("Consumer 0: got the end signal, exiting", lines);
        Assert.Contains("Consumer 1: got the end signal, exiting", lines);
        int joined = Array.IndexOf(lines, "All items processed. Consumers are about to exit.");
        Assert.True(joined > lines.ToList().FindLastIndex(l => l.Contains(": processed item-", StringComparison.Ordinal)));
        Assert.True(Array.IndexOf(lines, "All producers are done.") < joined);
    }

    [Fact]
    public async Task RunAsync_Queue_NeverHoldsMoreThanFiveItems()   // maxsize=5: put waits while full
    {
        // The consumers are slower than the producer (0.2-1.0 s against 0.1-0.5 s), so the queue fills up; the
        // producer's lines can run ahead of the consumers' by at most 5 queued + 2 in hand.
        var printed = new StringWriter();
        await RunAsync(() => ProducerConsumerExample.RunAsync(printed, 2024));
        int produced = 0, taken = 0, maxAhead = 0;
        foreach (var l in SayAfterSpec.Lines(printed))
        {
            if (l.StartsWith("Producer: produced", StringComparison.Ordinal)) produced++;
            else if (l.Contains(": processing ", StringComparison.Ordinal)) taken++;
            maxAhead = Math.Max(maxAhead, produced - taken);
        }
        Assert.InRange(maxAhead, 1, 5);
    }
}
