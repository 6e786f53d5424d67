using Akka.Actor;
using Akka.Serialization;
using static Actors.Asyncio.Internal.RemoteQueueProtocol;

namespace Actors.Asyncio.Internal;

/// <summary>A compact binary serializer for <see cref="RemoteQueueProtocol"/>, registered programmatically on the first
/// Publish or Open so that users need no HOCON for our own messages. Its identifier, <see cref="Id"/>, is fixed: Akka
/// reserves 0-40, and every system of a deployment must agree on it.</summary>
internal sealed class RemoteQueueSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4107;

    public static readonly Type[] Types =
    [
        typeof(Connect), typeof(Put), typeof(Get), typeof(Join), typeof(Cancel), typeof(Done), typeof(Return),
        typeof(Shutdown), typeof(Connected), typeof(Putted), typeof(Got), typeof(Joined), typeof(Failed),
    ];

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        Connect => "C", Put => "P", Get => "G", Join => "J", Cancel => "X", Done => "D", Return => "R", Shutdown => "S",
        Connected => "c", Putted => "p", Got => "g", Joined => "j", Failed => "f",
        _ => throw new ArgumentException($"Cannot serialize {o.GetType()} with {nameof(RemoteQueueSerializer)}: it is not a remote queue message.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        using var ms = new MemoryStream(32);
        using (var w = new BinaryWriter(ms))
        {
            switch (obj)
            {
                case Connect m: w.Write(m.ItemType); break;
                case Put m: w.Write(m.Id); WriteItem(w, m.SerializerId, m.Manifest, m.Bytes); break;
                case Get m: w.Write(m.Id); break;
                case Join m: w.Write(m.Id); break;
                case Cancel m: w.Write(m.Id); break;
                case Done m: w.Write(m.Lease); break;
                case Return m: w.Write(m.Lease); break;
                case Shutdown m: w.Write(m.Immediate); break;
                case Connected m: w.Write(m.MaxSize); w.Write(m.ItemType); WriteState(w, m); break;
                case Putted m: w.Write(m.Id); WriteState(w, m); break;
                case Got m: w.Write(m.Id); w.Write(m.Lease); WriteItem(w, m.SerializerId, m.Manifest, m.Bytes); WriteState(w, m); break;
                case Joined m: w.Write(m.Id); WriteState(w, m); break;
                case Failed m: w.Write(m.Id); w.Write(m.Kind); w.Write(m.Message); WriteState(w, m); break;
                default: Manifest(obj); break;
            }
        }
        return ms.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var r = new BinaryReader(new MemoryStream(bytes));
        switch (manifest)
        {
            case "C": return new Connect(r.ReadString());
            case "P": { long id = r.ReadInt64(); var (s, mf, b) = ReadItem(r); return new Put(id, s, mf, b); }
            case "G": return new Get(r.ReadInt64());
            case "J": return new Join(r.ReadInt64());
            case "X": return new Cancel(r.ReadInt64());
            case "D": return new Done(r.ReadInt64());
            case "R": return new Return(r.ReadInt64());
            case "S": return new Shutdown(r.ReadBoolean());
            case "c": { int max = r.ReadInt32(); var type = r.ReadString(); var (c, u, sd) = ReadState(r); return new Connected(max, type, c, u, sd); }
            case "p": { long id = r.ReadInt64(); var (c, u, sd) = ReadState(r); return new Putted(id, c, u, sd); }
            case "g":
            {
                long id = r.ReadInt64(), lease = r.ReadInt64();
                var (s, mf, b) = ReadItem(r);
                var (c, u, sd) = ReadState(r);
                return new Got(id, lease, s, mf, b, c, u, sd);
            }
            case "j": { long id = r.ReadInt64(); var (c, u, sd) = ReadState(r); return new Joined(id, c, u, sd); }
            case "f":
            {
                long id = r.ReadInt64();
                string kind = r.ReadString(), message = r.ReadString();
                var (c, u, sd) = ReadState(r);
                return new Failed(id, kind, message, c, u, sd);
            }
            default:
                throw new System.Runtime.Serialization.SerializationException($"Cannot deserialize a remote queue message with manifest '{manifest}': this node runs a different version of Actors.Asyncio; deploy the same version on every node.");
        }
    }

    private static void WriteItem(BinaryWriter w, int serializerId, string manifest, byte[] bytes)
    {
        w.Write(serializerId);
        w.Write(manifest);
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static (int, string, byte[]) ReadItem(BinaryReader r)
    {
        int id = r.ReadInt32();
        var manifest = r.ReadString();
        var bytes = r.ReadBytes(r.ReadInt32());
        return (id, manifest, bytes);
    }

    private static void WriteState(BinaryWriter w, Reply m)
    {
        w.Write(m.Count);
        w.Write(m.Unfinished);
        w.Write(m.ShutDown);
    }

    private static (int, int, bool) ReadState(BinaryReader r) => (r.ReadInt32(), r.ReadInt32(), r.ReadBoolean());

    /// <summary>Serializes a queue item with the serializer Akka binds to its type (HOCON
    /// akka.actor.serialization-bindings); throws a clear exception, before anything is sent, when it cannot.</summary>
    public static (int SerializerId, string Manifest, byte[] Bytes) SerializeItem(ActorSystem system, object? item, object queue)
    {
        if (item is null) return (-1, "", []);
        try
        {
            var serializer = system.Serialization.FindSerializerFor(item);
            var manifest = Serialization.ManifestFor(serializer, item);
            return (serializer.Identifier, manifest, serializer.ToBinary(item));
        }
        catch (Exception e)
        {
            throw Errors.RemoteQueueItemNotSerializable(queue, item.GetType(), e);
        }
    }

    /// <summary>The reverse of <see cref="SerializeItem"/> (serializer id -1 stands for null).</summary>
    public static T DeserializeItem<T>(ActorSystem system, int serializerId, string manifest, byte[] bytes, object queue)
    {
        if (serializerId == -1) return default!;
        object? value;
        try { value = system.Serialization.Deserialize(bytes, serializerId, manifest); }
        catch (Exception e) { throw Errors.RemoteQueueItemNotDeserializable(queue, typeof(T), e); }
        if (value is T t) return t;
        throw Errors.RemoteQueueItemNotDeserializable(queue, typeof(T),
            new InvalidCastException($"The item deserialized as {value?.GetType().FullName ?? "null"}, not {typeof(T).FullName}."));
    }
}
