namespace Actors.Asyncio.Internal;

/// <summary>What a <see cref="DeadlineTimer"/> tells when it fires.</summary>
internal interface IDeadlineTarget
{
    /// <summary>The deadline passed; called on the loop thread, as a ready item.</summary>
    void OnDeadline();
}
