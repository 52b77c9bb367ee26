using System.Text;
using Concord.Core.Flows.Model;

namespace Concord.Engine.Flows;

/// <summary>Actions by the names <c>concord.yaml</c> gives them (<c>find_or_create</c>, <c>draft_invoice</c>).</summary>
public static class StepActions
{
    public static string Name(StepAction action)
    {
        var text = action.ToString();
        var name = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (char.IsUpper(c) && name.Length > 0)
            {
                name.Append('_');
            }

            name.Append(char.ToLowerInvariant(c));
        }

        return name.ToString();
    }
}
