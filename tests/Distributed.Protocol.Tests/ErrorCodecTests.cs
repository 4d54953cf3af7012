using System.Runtime.CompilerServices;
using Distributed.Futures;
using Distributed.Protocol.V1;

namespace Distributed.Protocol.Tests;

public sealed class ErrorCodecTests
{
    [Fact]
    public void RoundTrip_InvalidOperationException_RebuiltWithRemoteInner()
    {
        var thrown = Catch(ThrowInvalidOperation);

        var decoded = ErrorCodec.Decode(Wire.Reparse(ErrorCodec.Encode(thrown, ErrorKind.Task, "worker-7")));

        var rebuilt = Assert.IsType<InvalidOperationException>(decoded);
        Assert.Equal("the task failed", rebuilt.Message);
        var remote = Assert.IsType<RemoteTaskException>(rebuilt.InnerException);
        Assert.Equal("System.InvalidOperationException", remote.RemoteType);
        Assert.Equal("worker-7", remote.WorkerId);
        Assert.Contains(nameof(ThrowInvalidOperation), remote.RemoteStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_Exception_CarriesTypeMessageStackAndWorker()
    {
        var thrown = Catch(ThrowInvalidOperation);

        var info = ErrorCodec.Encode(thrown, ErrorKind.Task, "w1");

        Assert.Equal(ErrorKind.Task, info.Kind);
        Assert.Equal(typeof(InvalidOperationException).FullName, info.Type);
        Assert.Equal(typeof(InvalidOperationException).AssemblyQualifiedName, info.AssemblyQualifiedType);
        Assert.Equal("the task failed", info.Message);
        Assert.Equal(thrown.StackTrace, info.StackTrace);
        Assert.Equal("w1", info.WorkerId);
        Assert.Null(info.Inner);
    }

    [Fact]
    public void Encode_InnerExceptions_AreKeptAndListedInRemoteStack()
    {
        var thrown = new ArgumentException("outer", new FormatException("middle", new TimeoutException("innermost")));

        var info = ErrorCodec.Encode(thrown, ErrorKind.Task, null);
        var remote = Assert.IsType<RemoteTaskException>(ErrorCodec.Decode(info).InnerException);

        Assert.Equal("middle", info.Inner.Message);
        Assert.Equal(typeof(TimeoutException).FullName, info.Inner.Inner.Type);
        Assert.Contains("System.FormatException: middle", remote.RemoteStackTrace, StringComparison.Ordinal);
        Assert.Contains("System.TimeoutException: innermost", remote.RemoteStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_DeepInnerChain_IsCappedAtEight()
    {
        Exception chain = new InvalidOperationException("0");
        for (int i = 1; i < 20; i++)
        {
            chain = new InvalidOperationException(i.ToString(System.Globalization.CultureInfo.InvariantCulture), chain);
        }

        int depth = 0;
        for (var info = ErrorCodec.Encode(chain, ErrorKind.Task, null); info is not null; info = info.Inner)
        {
            depth++;
        }

        Assert.Equal(8, depth);
    }

    [Fact]
    public void Decode_TypeWithoutMessageAndInnerConstructor_ReturnsRemoteTaskException()
    {
        var info = ErrorCodec.Encode(new MessageOnlyException("nope"), ErrorKind.Task, "w");

        var remote = Assert.IsType<RemoteTaskException>(ErrorCodec.Decode(info));

        Assert.Equal("nope", remote.Message);
        Assert.Equal(typeof(MessageOnlyException).FullName, remote.RemoteType);
    }

    [Fact]
    public void Decode_UnknownType_ReturnsRemoteTaskException()
    {
        var info = new ErrorInfo
        {
            Kind = ErrorKind.Task,
            Type = "Elsewhere.CustomException",
            AssemblyQualifiedType = "Elsewhere.CustomException, Elsewhere.NotHere, Version=1.0.0.0",
            Message = "remote only",
            StackTrace = "   at Elsewhere.Run()",
        };

        var remote = Assert.IsType<RemoteTaskException>(ErrorCodec.Decode(info));

        Assert.Equal("Elsewhere.CustomException", remote.RemoteType);
        Assert.Equal("   at Elsewhere.Run()", remote.RemoteStackTrace);
        Assert.Null(remote.WorkerId);
    }

    [Fact]
    public void Decode_NonExceptionTypes_AreNeverInstantiated()
    {
        int before = ExceptionLookalike.Constructed;

        foreach (var type in new[] { typeof(string), typeof(ExceptionLookalike), typeof(AbstractTaskException), typeof(ThrowingConstructorException) })
        {
            var info = new ErrorInfo { Kind = ErrorKind.Task, Type = type.FullName, AssemblyQualifiedType = type.AssemblyQualifiedName, Message = "m" };

            Assert.IsType<RemoteTaskException>(ErrorCodec.Decode(info));
        }

        Assert.Equal(before, ExceptionLookalike.Constructed);
    }

    [Fact]
    public void Decode_ResolutionKind_RebuildsFunctionResolutionException()
    {
        var info = ErrorCodec.Encode(new FunctionResolutionException("no such method"), ErrorKind.Resolution, "w");

        var decoded = Assert.IsType<FunctionResolutionException>(ErrorCodec.Decode(info));

        Assert.IsType<RemoteTaskException>(decoded.InnerException);
    }

    [Fact]
    public void Decode_WorkerLost_ReturnsWorkerLostException()
    {
        var info = new ErrorInfo { Kind = ErrorKind.WorkerLost, Message = "worker died", WorkerId = "w9" };

        var decoded = Assert.IsType<WorkerLostException>(ErrorCodec.Decode(info));

        Assert.Equal("worker died", decoded.Message);
        Assert.Equal("w9", decoded.WorkerId);
    }

    [Fact]
    public void Decode_InfrastructureKinds_MapToTheirTypes()
    {
        Assert.IsType<BrokenProcessPoolException>(ErrorCodec.Decode(new ErrorInfo { Kind = ErrorKind.Broken, Message = "initializer threw" }));
        Assert.IsType<FutureCanceledException>(ErrorCodec.Decode(new ErrorInfo { Kind = ErrorKind.Canceled, Message = "shutdown" }));
        Assert.IsType<ArgumentException>(ErrorCodec.Decode(new ErrorInfo { Kind = ErrorKind.Rejected, Message = "too large" }));
        Assert.Equal("initializer threw", ErrorCodec.Decode(new ErrorInfo { Kind = ErrorKind.Broken, Message = "initializer threw" }).Message);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalidOperation() => throw new InvalidOperationException("the task failed");

    private static Exception Catch(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            return e;
        }

        throw new InvalidOperationException("expected an exception");
    }
}
