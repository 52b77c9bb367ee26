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

    /// <summary>Every pair of records that share a cluster (what merging the clusters into golden records asserts).</summary>
    public static IEnumerable<(int I, int J)> Pairs(IReadOnlyList<int> clusters)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        foreach (var group in Enumerable.Range(0, clusters.Count).GroupBy(i => clusters[i]).Where(g => g.Count() > 1))
        {
            var members = group.ToArray();
            for (var x = 0; x < members.Length; x++)
            {
                for (var y = x + 1; y < members.Length; y++)
                {
                    yield return (members[x], members[y]);
                }
            }
        }
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
