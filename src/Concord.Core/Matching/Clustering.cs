namespace Concord.Core.Matching;

/// <summary>Clusters records by the connected components of the pairs accepted as matches (union–find).</summary>
public static class Clustering
{
    /// <summary>A cluster id per record: the smallest record index in its component.</summary>
    public static int[] ConnectedComponents(int count, IEnumerable<(int I, int J)> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var parent = Enumerable.Range(0, count).ToArray();
        foreach (var (i, j) in links)
        {
            var (a, b) = (Find(parent, i), Find(parent, j));
            if (a != b)
            {
                parent[Math.Max(a, b)] = Math.Min(a, b);
            }
        }

        for (var i = 0; i < count; i++)
        {
            parent[i] = Find(parent, i);
        }

        return parent;
    }

    private static int Find(int[] parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }
}
