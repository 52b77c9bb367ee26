using System.Globalization;
using Concord.Core.Flows.Model;
using YamlDotNet.RepresentationModel;

namespace Concord.Core.Configuration;

/// <summary>
/// Reads the <c>steps:</c> of one flow: each step's one action and its arguments, its id (by default the
/// action and its position among all the flow's steps, <c>notify_4</c>), <c>when</c>, <c>retry</c>,
/// <c>on_error</c>, and <c>if:</c> branches with their own steps.
/// </summary>
internal sealed class FlowStepReader(YamlNav nav, FlowExpressionReader expressions, string flow)
{
    private readonly StepArgumentReader _arguments = new(nav, expressions);
    private int _position;

    public List<FlowStep> ReadSteps(YamlNode node, string what)
    {
        var steps = new List<FlowStep>();
        if (nav.Sequence(node, what) is not { } list)
        {
            return steps;
        }

        foreach (var item in list.Children)
        {
            if (ReadStep(item) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private FlowStep? ReadStep(YamlNode node)
    {
        var position = ++_position;
        if (nav.Mapping(node, $"a step of flow '{flow}'") is not { } map)
        {
            return null;
        }

        if (YamlNav.Child(map, "if") is { } condition)
        {
            return ReadBranch(map, condition, position);
        }

        var keys = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToList();
        var actions = keys.Where(k => StepActions.Find(k) is not null).ToList();
        if (actions.Count != 1)
        {
            NoSingleAction(node, map, actions, keys);
            return null;
        }

        var spec = StepActions.Find(actions[0])!;
        var id = ReadId(map, $"{spec.Key}_{position.ToString(CultureInfo.InvariantCulture)}");
        var where = $"flow '{flow}', step '{id}'";
        nav.OnlyKnownKeys(map, $"step '{id}' of flow '{flow}'", [spec.Key, .. StepActions.StepKeys]);

        var spans = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var actionKey = map.Children.Keys.OfType<YamlScalarNode>().First(k => k.Value == spec.Key);
        var args = _arguments.Read(spec, actionKey, map.Children[actionKey], where, spans);
        var when = YamlNav.Child(map, "when") is { } whenNode ? expressions.Condition(whenNode, where, "when") : null;
        var retry = YamlNav.Child(map, "retry") is { } retryNode ? ReadRetry(retryNode, where) : StepRetry.Default;
        var continueOnError = YamlNav.Child(map, "on_error") is { } onError && ReadOnError(onError, where);
        return args is null ? null : new FlowStep
        {
            Id = id,
            Action = spec.Action,
            Args = args,
            When = when,
            Retry = retry,
            ContinueOnError = continueOnError,
            At = nav.At(node),
            ArgSpans = spans,
        };
    }

    private FlowStep? ReadBranch(YamlMappingNode map, YamlNode conditionNode, int position)
    {
        var id = ReadId(map, $"if_{position.ToString(CultureInfo.InvariantCulture)}");
        var where = $"flow '{flow}', step '{id}'";
        nav.OnlyKnownKeys(map, $"step '{id}' of flow '{flow}'", StepActions.BranchKeys);
        var condition = expressions.Condition(conditionNode, where, "if");
        var then = YamlNav.Child(map, "then") is { } thenNode ? ReadSteps(thenNode, $"{where}: then") : null;
        var otherwise = YamlNav.Child(map, "else") is { } elseNode ? ReadSteps(elseNode, $"{where}: else") : [];
        if (then is null)
        {
            nav.Error(map, "step-action", $"{where}: an `if:` step needs `then:`, the steps to run when the condition holds",
                "`- if: \"payment.amount > 1000\"` with `then:` (and optionally `else:`) indented under it, each a list of steps");
        }

        return condition is null || then is null ? null : new FlowStep
        {
            Id = id,
            Action = StepAction.If,
            When = condition,
            Then = then,
            Else = otherwise,
            At = nav.At(map),
        };
    }

    private void NoSingleAction(YamlNode node, YamlMappingNode map, List<string> actions, List<string> keys)
    {
        var all = StepActions.All.Select(a => a.Key).ToArray();
        if (actions.Count > 1)
        {
            nav.Error(node, "step-action", $"flow '{flow}': a step has one action, this one has {string.Join(" and ", actions)}", "split it into one step per action");
            return;
        }

        // A misspelt action ('notfy') is reported once, as an unknown key with its correction.
        nav.OnlyKnownKeys(map, $"a step of flow '{flow}'", [.. all, .. StepActions.StepKeys]);
        if (keys.All(k => StepActions.StepKeys.Contains(k)))
        {
            nav.Error(node, "step-action", $"flow '{flow}': a step needs an action", $"one of: {string.Join(", ", all)}; or a branch, `- if: …` with `then:`");
        }
    }

    private string ReadId(YamlMappingNode map, string fallback)
    {
        if (YamlNav.Child(map, "id") is not { } idNode || nav.Scalar(idNode, "id") is not { } id)
        {
            return fallback;
        }

        if (!IsStepId(id))
        {
            nav.Error(idNode, "bad-name", $"flow '{flow}': step id '{id}' must be lower-case letters, digits and '_', starting with a letter",
                $"templates read its output as steps.{id}, so it is one plain word");
        }

        return id;
    }

    private StepRetry ReadRetry(YamlNode node, string where)
    {
        var retry = StepRetry.Default;
        if (nav.Mapping(node, $"{where}: retry") is not { } map)
        {
            return retry;
        }

        nav.OnlyKnownKeys(map, $"retry ({where})", "attempts", "delay", "max_delay");
        var attempts = YamlNav.Child(map, "attempts") is { } a ? nav.Int(a, $"{where}: retry.attempts", 1, 20) ?? retry.Attempts : retry.Attempts;
        var delay = YamlNav.Child(map, "delay") is { } d ? nav.Duration(d, $"{where}: retry.delay") ?? retry.Delay : retry.Delay;
        var maxDelay = YamlNav.Child(map, "max_delay") is { } m ? nav.Duration(m, $"{where}: retry.max_delay") ?? retry.MaxDelay : retry.MaxDelay;
        if (delay > maxDelay)
        {
            nav.Error(node, "bad-retry", $"{where}: retry.delay ({Duration.Format(delay)}) is longer than retry.max_delay ({Duration.Format(maxDelay)})",
                "max_delay caps every wait; make it at least delay");
        }

        return new StepRetry(attempts, delay, maxDelay);
    }

    private bool ReadOnError(YamlNode node, string where)
    {
        switch (nav.Scalar(node, $"{where}: on_error"))
        {
            case "continue":
                return true;
            case "stop" or null:
                return false;
            case var other:
                nav.Error(node, "bad-argument", $"{where}: on_error must be stop or continue, not '{other}'",
                    "stop: a failed step ends the run as failed; continue: it is recorded and the run goes on");
                return false;
        }
    }

    internal static bool IsStepId(string id) =>
        id.Length is > 0 and <= 64 && char.IsAsciiLetterLower(id[0]) && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');
}
