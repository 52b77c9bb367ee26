namespace Concord.Engine.Storage;

/// <summary>
/// The learned shape of one system's payloads of one entity type, as the shape learner writes it: field paths and
/// JSON kinds, the recent payloads' shapes and when each drift was first seen. Never values.
/// </summary>
/// <param name="System">The system the payloads came from.</param>
/// <param name="Type">The entity type they carried.</param>
/// <param name="Document">The learner's state as JSON (opaque to the store).</param>
/// <param name="UpdatedAt">When it was written.</param>
public sealed record StoredShape(string System, string Type, string Document, DateTimeOffset UpdatedAt);

/// <summary>Where learned payload shapes survive a restart.</summary>
public interface ISchemaShapeStore
{
    Task<IReadOnlyList<StoredShape>> GetShapesAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces each shape (by system and type).</summary>
    Task SaveShapesAsync(IReadOnlyList<StoredShape> shapes, CancellationToken cancellationToken);
}
