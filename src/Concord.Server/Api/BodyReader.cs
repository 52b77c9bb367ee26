using System.Buffers;
using Concord.Engine.Intake;
using Microsoft.AspNetCore.Http;

namespace Concord.Server.Api;

/// <summary>Reads a request body up to a limit; a larger body is refused with 413 before it is buffered whole.</summary>
internal static class BodyReader
{
    /// <param name="request">The request.</param>
    /// <param name="limit">The most bytes accepted (<c>hub.max_body</c>).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <param name="allowEmpty">True where no body has a meaning (a run started without input); else an empty body is refused with 400.</param>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken, bool allowEmpty = false)
    {
        if (request.ContentLength is { } length && length > limit)
        {
            throw TooLarge(length, limit);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw TooLarge(null, limit);
            }
        }

        if (buffer.WrittenCount == 0 && !allowEmpty)
        {
            throw new IntakeException(400, "Empty body", "body", "the request has no body; send JSON");
        }

        return buffer.WrittenMemory;
    }

    private static IntakeException TooLarge(long? length, long limit) =>
        new(413, "Body too large", "body", $"{(length is { } l ? $"{l:N0} bytes" : "the body")} exceeds the limit of {limit:N0} bytes (hub.max_body); split the batch");
}
