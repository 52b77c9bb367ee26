using Concord.Core.Configuration;
using Concord.Core.Schema;

namespace Concord.Core.Tests.Configuration;

public class ConfigLoaderTests
{
    private static ConfigLoadResult Load(string yaml) => ConfigLoader.Load(yaml);

    private static HubConfig LoadClean(string yaml)
    {
        var result = ConfigLoader.Load(yaml);
        Assert.Empty(result.Problems);
        return result.Config;
    }

    private static string Located(ConfigProblem p) => $"{p.Code}@{p.At.Line}:{p.At.Column}";

    [Fact]
    public void Every_problem_is_reported_in_one_pass_with_its_line_and_column()
    {
        var result = Load("""
            version: 1
            hub:
              listen: ftp://example.com
              log_retention: forever
            systems:
              crm:
                kind: http
                setings: {}
            entities:
              customer:
                owner: crm
                fields:
                  emal: { owner: crm }
            """);

        Assert.True(result.HasErrors);
        Assert.Equal(
            ["bad-url@3:11", "expected-duration@4:18", "unknown-key@8:5", "unknown-field@13:7"],
            result.Problems.Select(Located));
    }

    [Fact]
    public void Problem_location_names_the_file_line_and_column()
    {
        var result = ConfigLoader.Load("""
            version: 1
            hub:
              max_body: huge
            """, "hub.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal(new SourceSpan("hub.yaml", 3, 13), problem.At);
        Assert.StartsWith("hub.yaml:3:13: error expected-size:", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_in_a_system_gets_a_did_you_mean_hint()
    {
        var result = Load("""
            version: 1
            systems:
              crm:
                kind: http
                setings: { url: http://crm.example }
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("unknown-key", problem.Code);
        Assert.Contains("'setings'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("systems.crm", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("did you mean 'settings'?", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_top_level_key_gets_a_did_you_mean_hint()
    {
        var result = Load("""
            version: 1
            sytems: {}
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("unknown-key@2:1", Located(problem));
        Assert.StartsWith("did you mean 'systems'?", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_far_from_any_known_one_lists_the_known_keys_without_a_guess()
    {
        var result = Load("""
            version: 1
            hub:
              banana: 1
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("unknown-key", problem.Code);
        Assert.Equal("known keys: listen, data, log_retention, max_body, flows, traffic_retention, baseline_weeks, schema_min_samples", problem.Hint);
    }

    [Fact]
    public void Unknown_canonical_field_suggests_the_closest_field_and_how_to_add_a_custom_one()
    {
        var result = Load("""
            version: 1
            entities:
              customer:
                owner: crm
                fields:
                  emal: { owner: crm }
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("unknown-field@6:7", Located(problem));
        Assert.Equal("'emal' is not a field of customer", problem.Message);
        Assert.StartsWith("did you mean 'email'?", problem.Hint, StringComparison.Ordinal);
        Assert.Contains("{ type: string }", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_syntax_error_is_reported_alone_with_its_location()
    {
        var result = Load("""
            version: 1
            systems:
              crm:
                kind: http
                  url: x
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("yaml-syntax", problem.Code);
        Assert.Equal(5, problem.At.Line);
        Assert.True(problem.At.Column > 1);
        Assert.NotNull(problem.Hint);
    }

    [Fact]
    public void Unclosed_flow_list_is_a_yaml_syntax_error()
    {
        var result = Load("""
            version: 1
            entities:
              customer: { owner: [crm }
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("yaml-syntax", problem.Code);
        Assert.Equal(3, problem.At.Line);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment")]
    [InlineData("- a list, not a mapping")]
    public void File_without_a_mapping_at_the_top_is_reported_as_empty(string yaml)
    {
        var problem = Assert.Single(Load(yaml).Problems);

        Assert.Equal("empty@1:1", Located(problem));
    }

    [Fact]
    public void Unsupported_version_is_an_error_at_the_value()
    {
        var problem = Assert.Single(Load("version: 2").Problems);

        Assert.Equal("version@1:10", Located(problem));
        Assert.Contains("version 2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hub_settings_are_read_with_durations_and_sizes()
    {
        var config = LoadClean("""
            version: 1
            hub:
              listen: https://0.0.0.0:8443
              data: data/concord.db
              log_retention: 7d
              max_body: 512KiB
            """);

        Assert.Equal("https://0.0.0.0:8443", config.Hub.Listen);
        Assert.Equal("data/concord.db", config.Hub.Data);
        Assert.Equal(TimeSpan.FromDays(7), config.Hub.LogRetention);
        Assert.Equal(512 * 1024, config.Hub.MaxBodyBytes);
    }

    [Fact]
    public void Hub_settings_default_when_not_written()
    {
        var config = LoadClean("version: 1");

        Assert.Equal("http://127.0.0.1:5080", config.Hub.Listen);
        Assert.Equal("concord.db", config.Hub.Data);
        Assert.Equal(TimeSpan.FromDays(30), config.Hub.LogRetention);
        Assert.Equal(1024 * 1024, config.Hub.MaxBodyBytes);
    }

    [Theory]
    [InlineData("2048", 2048)]
    [InlineData("10B", 10)]
    [InlineData("4KB", 4000)]
    [InlineData("4KiB", 4096)]
    [InlineData("2MB", 2_000_000)]
    [InlineData("2MiB", 2 * 1024 * 1024)]
    [InlineData("1 MiB", 1024 * 1024)]
    public void Max_body_accepts_sizes_in_bytes_and_decimal_or_binary_units(string written, long bytes)
    {
        var config = LoadClean($"hub: {{ max_body: {written} }}");

        Assert.Equal(bytes, config.Hub.MaxBodyBytes);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5KiB")]
    [InlineData("1.5MiB")]
    [InlineData("1GiB")]
    [InlineData("lots")]
    public void Max_body_rejects_what_is_not_a_positive_size(string written)
    {
        var problem = Assert.Single(Load($"hub: {{ max_body: {written} }}").Problems);

        Assert.Equal("expected-size", problem.Code);
        Assert.Contains($"'{written}'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void System_policies_are_read_with_durations_and_numbers()
    {
        var config = LoadClean("""
            systems:
              crm:
                kind: http
                retry: { max_attempts: 3, initial_delay: 250ms, max_delay: 2m, timeout: 30s }
                rate_limit: { per_second: 2.5, burst: 5, concurrency: 4 }
                circuit_breaker: { failure_threshold: 7, break_duration: 1h }
            """);

        var crm = config.Systems["crm"];
        Assert.Equal(3, crm.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(250), crm.Retry.InitialDelay);
        Assert.Equal(TimeSpan.FromMinutes(2), crm.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), crm.Retry.Timeout);
        Assert.Equal(2.5, crm.RateLimit.PerSecond);
        Assert.Equal(5, crm.RateLimit.Burst);
        Assert.Equal(4, crm.RateLimit.Concurrency);
        Assert.Equal(7, crm.CircuitBreaker.FailureThreshold);
        Assert.Equal(TimeSpan.FromHours(1), crm.CircuitBreaker.BreakDuration);
    }

    [Fact]
    public void Out_of_range_and_malformed_policy_values_are_each_reported()
    {
        var result = Load("""
            systems:
              crm:
                kind: http
                retry: { max_attempts: 0, initial_delay: soon }
                rate_limit: { per_second: -1, concurrency: 5000 }
            """);

        Assert.Equal(
            ["expected-integer@4:28", "expected-duration@4:46", "expected-number@5:31", "expected-integer@5:48"],
            result.Problems.Select(Located));
    }

    [Fact]
    public void Secrets_are_references_to_environment_variables_and_kept_apart_from_settings()
    {
        var config = LoadClean("""
            systems:
              crm:
                kind: http
                settings:
                  url: http://crm.example/concord
                  webhook_secret: { env: CRM_WEBHOOK_SECRET }
            """);

        var crm = config.Systems["crm"];
        Assert.Equal("http", crm.Kind);
        Assert.Equal("http://crm.example/concord", crm.GetSetting("url"));
        Assert.Equal(new SourceSpan("concord.yaml", 5, 12), crm.Settings["url"].At);
        var secret = crm.Secrets["webhook_secret"];
        Assert.Equal("CRM_WEBHOOK_SECRET", secret.EnvironmentVariable);
        Assert.Equal(new SourceSpan("concord.yaml", 6, 23), secret.At);
        Assert.False(crm.Settings.ContainsKey("webhook_secret"));
        Assert.Equal("env:CRM_WEBHOOK_SECRET", secret.ToString());
    }

    [Fact]
    public void Secret_written_with_another_key_than_env_is_reported()
    {
        var result = Load("""
            systems:
              crm:
                kind: http
                settings:
                  token: { envv: CRM_TOKEN }
            """);

        Assert.Equal(["unknown-key@5:16", "bad-secret@5:14"], result.Problems.Select(Located));
        Assert.StartsWith("did you mean 'env'?", result.Problems[0].Hint, StringComparison.Ordinal);
        Assert.Empty(result.Config.Systems["crm"].Secrets);
    }

    [Fact]
    public void System_without_kind_is_reported_at_its_name()
    {
        var result = Load("""
            systems:
              crm:
                settings: { url: http://crm.example }
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("missing-kind@2:3", Located(problem));
        Assert.Equal("", result.Config.Systems["crm"].Kind);
    }

    [Theory]
    [InlineData("CRM")]
    [InlineData("1crm")]
    [InlineData("crm.eu")]
    public void System_name_that_cannot_appear_in_a_url_is_reported(string name)
    {
        var result = Load($$"""
            systems:
              {{name}}: { kind: http }
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("bad-name@2:3", Located(problem));
    }

    [Fact]
    public void Mapping_reads_paths_transforms_and_ids()
    {
        var config = LoadClean("""
            systems:
              forms:
                kind: webhook
                settings:
                  secret: { env: FORMS_SECRET }
                mapping:
                  type: customer
                  external_id: data.id
                  event_id_header: X-Request-Id
                  fields:
                    email: { path: data.email, transform: [trim, lower] }
                    name: data.full_name
                    phone: { path: data.phone, transform: digits }
                    city: { transform: [collapse_spaces, upper] }
            """);

        var mapping = config.Systems["forms"].Mapping;
        Assert.NotNull(mapping);
        Assert.Equal("customer", mapping.Type);
        Assert.Equal("data.id", mapping.ExternalId);
        Assert.Null(mapping.EventId);
        Assert.Equal("X-Request-Id", mapping.EventIdHeader);
        Assert.Equal(["email", "name", "phone", "city"], mapping.Fields.Select(f => f.Field));
        Assert.Equal(["data.email", "data.full_name", "data.phone", "city"], mapping.Fields.Select(f => f.Path));
        Assert.Equal(["trim", "lower"], mapping.Fields[0].Transforms);
        Assert.Empty(mapping.Fields[1].Transforms);
        Assert.Equal(["digits"], mapping.Fields[2].Transforms);
        Assert.Equal(["collapse_spaces", "upper"], mapping.Fields[3].Transforms);
        Assert.Equal(12, mapping.Fields[1].At.Line);
    }

    [Fact]
    public void Mapping_with_an_unknown_transform_or_without_a_type_is_reported()
    {
        var result = Load("""
            systems:
              forms:
                kind: webhook
                mapping:
                  fields:
                    email: { path: data.email, transform: [trim, shout] }
            """);

        Assert.Equal(["mapping-type@5:7", "unknown-transform@6:54"], result.Problems.Select(Located));
        Assert.Contains("trim, lower, upper, collapse_spaces, digits", result.Problems[1].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_is_identified_by_normalised_email_when_no_identity_is_written()
    {
        var config = LoadClean("""
            entities:
              customer: { owner: crm }
            """);

        var key = Assert.Single(config.Entities["customer"].Identity);
        Assert.Equal(("email", "email"), (key.Field, key.Normalizer));
        Assert.Equal(SourceSpan.None, key.At);
    }

    [Fact]
    public void Company_is_identified_by_normalised_domain_when_no_identity_is_written()
    {
        var config = LoadClean("""
            entities:
              company: { owner: crm }
            """);

        var key = Assert.Single(config.Entities["company"].Identity);
        Assert.Equal(("domain", "domain"), (key.Field, key.Normalizer));
    }

    [Fact]
    public void Types_without_a_natural_key_have_no_default_identity()
    {
        var config = LoadClean("""
            entities:
              deal: { owner: crm }
            """);

        Assert.Empty(config.Entities["deal"].Identity);
    }

    [Fact]
    public void Identity_keys_take_the_normaliser_of_their_field_type_unless_one_is_written()
    {
        var config = LoadClean("""
            entities:
              customer:
                owner: crm
                identity:
                  - phone
                  - { field: tax_id, normalize: alnum }
                  - { field: company_domain }
                  - name
            """);

        Assert.Equal(
            [("phone", "phone"), ("tax_id", "alnum"), ("company_domain", "domain"), ("name", "exact")],
            config.Entities["customer"].Identity.Select(k => (k.Field, k.Normalizer)));
        Assert.Equal(5, config.Entities["customer"].Identity[0].At.Line);
    }

    [Fact]
    public void Identity_key_with_an_unknown_normaliser_or_without_a_field_is_reported()
    {
        var result = Load("""
            entities:
              customer:
                owner: crm
                identity:
                  - { field: email, normalize: soundex }
                  - { normalize: lower }
            """);

        Assert.Equal(["unknown-normalizer@5:36", "identity-field@6:9"], result.Problems.Select(Located));
    }

    [Fact]
    public void Custom_fields_extend_a_shipped_type_with_their_declared_types()
    {
        var config = LoadClean("""
            entities:
              customer:
                owner: crm
                fields:
                  loyalty_tier: { type: string }
                  lifetime_value: { type: money }
                  renewal_at: { type: date_time, pii: true }
                  phone: { pii: false }
            """);

        var schema = config.Entities["customer"].Schema;
        Assert.False(schema.Custom);
        Assert.True(schema.TryGetField("loyalty_tier", out var tier));
        Assert.Equal(new FieldSchema("loyalty_tier", FieldType.String, Custom: true), tier);
        Assert.True(schema.TryGetField("lifetime_value", out var ltv));
        Assert.Equal(FieldType.Money, ltv.Type);
        Assert.True(schema.TryGetField("renewal_at", out var renewal));
        Assert.Equal((FieldType.DateTime, true), (renewal.Type, renewal.Pii));
        Assert.True(schema.TryGetField("phone", out var phone));
        Assert.Equal(new FieldSchema("phone", FieldType.Phone, Pii: false, Custom: false), phone);
        Assert.True(schema.HasField("email"));
    }

    [Fact]
    public void Custom_type_is_built_from_its_declared_fields()
    {
        var config = LoadClean("""
            entities:
              membership:
                owner: crm
                identity: [member_no]
                fields:
                  member_no: { type: string, required: true }
                  level: { type: integer }
                  renews_on: { type: date }
                  active: { type: boolean }
            """);

        var membership = config.Entities["membership"];
        Assert.True(membership.Schema.Custom);
        Assert.Equal(["member_no", "level", "renews_on", "active"], membership.Schema.FieldNames);
        Assert.True(membership.Schema.TryGetField("member_no", out var number));
        Assert.True(number.Required);
        Assert.True(membership.Schema.TryGetField("level", out var level));
        Assert.Equal(FieldType.Integer, level.Type);
        Assert.Equal(("member_no", "exact"), (membership.Identity[0].Field, membership.Identity[0].Normalizer));
    }

    [Fact]
    public void Custom_type_without_fields_and_unknown_field_types_are_reported()
    {
        var result = Load("""
            entities:
              widget: { owner: crm }
              gadget:
                owner: crm
                fields:
                  size: { type: strnig }
            """);

        Assert.Equal(["custom-type-without-fields@2:3", "unknown-field-type@6:21"], result.Problems.Select(Located));
        Assert.Contains("date_time", result.Problems[1].Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Owner_and_per_field_owners_are_read_with_their_positions()
    {
        var config = LoadClean("""
            entities:
              customer:
                owner: crm
                fill_in: true
                fields:
                  subscription_status: { owner: billing }
            """);

        var customer = config.Entities["customer"];
        Assert.Equal("crm", customer.Owner);
        Assert.Equal(new SourceSpan("concord.yaml", 3, 12), customer.OwnerAt);
        Assert.True(customer.FillIn);
        Assert.Equal("billing", customer.OwnerOf("subscription_status"));
        Assert.Equal("crm", customer.OwnerOf("name"));
        Assert.Equal(new SourceSpan("concord.yaml", 6, 37), customer.FieldOwners["subscription_status"].At);
        Assert.Empty(customer.ExtraOwners);
    }

    [Fact]
    public void Owner_written_as_a_list_keeps_the_first_and_records_the_others_as_extra_owners()
    {
        var config = LoadClean("""
            entities:
              customer:
                owner: [crm, billing]
            """);

        var customer = config.Entities["customer"];
        Assert.Equal("crm", customer.Owner);
        var extra = Assert.Single(customer.ExtraOwners);
        Assert.Equal(new SourceSpan("concord.yaml", 3, 18), extra);
    }

    [Fact]
    public void Sync_rules_are_read_with_direction_fields_and_filters()
    {
        var config = LoadClean("""
            syncs:
              - { system: crm, type: customer, direction: two-way }
              - system: billing
                type: customer
                direction: pull
                fields: [email, subscription_status]
              - system: mailer
                type: customer
                direction: push
                fields: email
                filter:
                  subscription_status: [active, trialing]
                  country: { not: [US, CA] }
                  phone: { exists: false }
                  lifecycle_stage: customer
            """);

        Assert.Equal([SyncDirection.TwoWay, SyncDirection.Pull, SyncDirection.Push], config.Syncs.Select(s => s.Direction));
        Assert.Null(config.Syncs[0].Fields);
        Assert.Equal(["email", "subscription_status"], config.Syncs[1].Fields);
        Assert.Equal(new SourceSpan("concord.yaml", 6, 14), config.Syncs[1].FieldSpans["email"]);

        var mailer = config.Syncs[2];
        Assert.Equal(["email"], mailer.Fields);
        Assert.Equal(new SourceSpan("concord.yaml", 7, 5), mailer.At);
        Assert.Equal(new SourceSpan("concord.yaml", 7, 13), mailer.SystemAt);
        Assert.Collection(
            mailer.Filter,
            f => Assert.Equal(("subscription_status", FilterOperator.In, "active,trialing"), (f.Field, f.Operator, string.Join(',', f.Values))),
            f => Assert.Equal(("country", FilterOperator.NotIn, "US,CA"), (f.Field, f.Operator, string.Join(',', f.Values))),
            f => Assert.Equal(("phone", FilterOperator.Exists, false), (f.Field, f.Operator, f.MustExist)),
            f => Assert.Equal(("lifecycle_stage", FilterOperator.In, "customer"), (f.Field, f.Operator, string.Join(',', f.Values))));
    }

    [Fact]
    public void Incomplete_sync_rules_are_reported()
    {
        var result = Load("""
            syncs:
              - { system: crm, direction: push }
              - { system: crm, type: customer }
              - { system: crm, type: company, direction: both }
            """);

        Assert.Equal(["sync-incomplete@2:5", "sync-direction@3:5", "bad-direction@4:46"], result.Problems.Select(Located));
        Assert.Equal(2, result.Config.Syncs.Count);
    }

    [Fact]
    public void Sync_rule_with_an_unknown_key_gets_a_hint()
    {
        var result = Load("""
            syncs:
              - { system: crm, type: customer, direction: push, field: [email] }
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("unknown-key@2:53", Located(problem));
        Assert.StartsWith("did you mean 'fields'?", problem.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_shapes_are_reported_instead_of_thrown()
    {
        var result = Load("""
            hub: [a, b]
            systems: just-a-string
            syncs: { system: crm }
            """);

        Assert.Equal(["expected-mapping@1:6", "expected-mapping@2:10", "expected-list@3:8"], result.Problems.Select(Located));
    }
}
