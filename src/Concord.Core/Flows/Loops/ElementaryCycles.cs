namespace Concord.Core.Flows.Loops;

/// <summary>
/// Every elementary cycle of a directed graph, each once (Johnson's algorithm): a cycle is reported
/// starting at its lowest-numbered node, found from that node within its strongly connected component
/// of the nodes numbered no lower. Self-edges are the caller's to leave out or keep.
/// </summary>
public static class ElementaryCycles
{
    /// <summary>The cycles of the graph with nodes 0…n-1 and <paramref name="edges"/>[v] the successors of v, as node lists (the first node not repeated at the end), at most <paramref name="limit"/>.</summary>
    public static List<List<int>> Find(IReadOnlyList<IReadOnlyList<int>> edges, int limit = 1000)
    {
        var cycles = new List<List<int>>();
        var n = edges.Count;
        for (var start = 0; start < n && cycles.Count < limit; start++)
        {
            var component = ComponentOf(edges, start);
            if (component.Count > 1 || edges[start].Contains(start))
            {
                new Search(edges, component, start, cycles, limit).Circuit(start);
            }
        }

        return cycles;
    }

    /// <summary>The strongly connected component of <paramref name="start"/> among the nodes numbered <paramref name="start"/> or more.</summary>
    private static HashSet<int> ComponentOf(IReadOnlyList<IReadOnlyList<int>> edges, int start)
    {
        var forward = Reach(start, v => edges[v].Where(w => w >= start));
        var backward = Reach(start, v => Enumerable.Range(start, edges.Count - start).Where(u => edges[u].Contains(v)));
        forward.IntersectWith(backward);
        return forward;
    }

    private static HashSet<int> Reach(int from, Func<int, IEnumerable<int>> next)
    {
        var seen = new HashSet<int> { from };
        var todo = new Stack<int>([from]);
        while (todo.TryPop(out var v))
        {
            foreach (var w in next(v).Where(seen.Add))
            {
                todo.Push(w);
            }
        }

        return seen;
    }

    private sealed class Search(IReadOnlyList<IReadOnlyList<int>> edges, HashSet<int> component, int start, List<List<int>> cycles, int limit)
    {
        private readonly HashSet<int> _blocked = [];
        private readonly Dictionary<int, HashSet<int>> _blockedBy = [];
        private readonly List<int> _path = [];

        public bool Circuit(int v)
        {
            var found = false;
            _path.Add(v);
            _blocked.Add(v);
            foreach (var w in edges[v].Distinct().Where(component.Contains))
            {
                if (cycles.Count >= limit)
                {
                    break;
                }

                if (w == start)
                {
                    cycles.Add([.. _path]);
                    found = true;
                }
                else if (!_blocked.Contains(w) && Circuit(w))
                {
                    found = true;
                }
            }

            if (found)
            {
                Unblock(v);
            }
            else
            {
                foreach (var w in edges[v].Distinct().Where(component.Contains))
                {
                    if (!_blockedBy.TryGetValue(w, out var set))
                    {
                        _blockedBy[w] = set = [];
                    }

                    set.Add(v);
                }
            }

            _path.RemoveAt(_path.Count - 1);
            return found;
        }

        private void Unblock(int u)
        {
            _blocked.Remove(u);
            if (_blockedBy.Remove(u, out var waiting))
            {
                foreach (var w in waiting.Where(_blocked.Contains))
                {
                    Unblock(w);
                }
            }
        }
    }
}
