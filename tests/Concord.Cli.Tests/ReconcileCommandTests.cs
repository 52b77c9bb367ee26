using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Sync;
using Concord.Engine.Intake;
using Concord.Engine.Processing;
using Concord.Storage.Sqlite;
using Concord.Testing;

namespace Concord.Cli.Tests;

/// <summary><c>concord reconcile</c> as a user runs it: on two CSV files, and on the hub's own payments and invoices.</summary>
public sealed class ReconcileCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// B1 pays L1 exactly; B2 pays L2 and L3 together; B3 is a payout 3% short of L4 (a fee);
    /// B4 is a card fee with nothing on the ledger.
    /// </summary>
    private const string Bank = """
        id,date,amount,currency,description
        B1,2026-03-02,1200.00,EUR,ACME SUPPLIES INV 1001
        B2,2026-03-05,350.00,EUR,"NORTHWIND TRADERS, INV 1002 1003"
        B3,2026-03-09,485.50,EUR,GLOBEX PAYOUT
        B4,2026-03-12,42.00,EUR,CARD FEE MARCH
        """;

    private const string Ledger = """
        id,date,amount,currency,memo
        L1,2026-03-01,1200.00,EUR,Acme Supplies invoice 1001
        L2,2026-03-03,150.00,EUR,Northwind Traders INV-1002
        L3,2026-03-04,200.00,EUR,Northwind Traders INV-1003
        L4,2026-03-06,500.00,EUR,Globex Corp payout
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task WriteFilesAsync(string bank = Bank, string ledger = Ledger)
    {
        await File.WriteAllTextAsync(_dir.File("bank.csv"), bank);
        await File.WriteAllTextAsync(_dir.File("ledger.csv"), ledger);
    }

    [Fact]
    public async Task Files_ProposeOneToOne_OneToMany_ASuggestedFeePair_AndLeaveTheCardFeeUnmatched()
    {
        await WriteFilesAsync();

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv", "--out", "proposals.csv");

        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.StartsWith("confirmed", StringComparison.Ordinal) && l.Contains("B1 2026-03-02 1200.00 EUR", StringComparison.Ordinal) && l.Contains("→ L1 2026-03-01 1200.00 EUR", StringComparison.Ordinal) && l.Contains("same amount", StringComparison.Ordinal));
        var split = Assert.Single(lines, l => l.Contains("B2 2026-03-05 350.00 EUR", StringComparison.Ordinal));
        Assert.StartsWith("confirmed", split, StringComparison.Ordinal);
        Assert.Contains("L2 2026-03-03 150.00 EUR", split, StringComparison.Ordinal);
        Assert.Contains("L3 2026-03-04 200.00 EUR", split, StringComparison.Ordinal);
        Assert.Contains("2 lines add up to 350.00", split, StringComparison.Ordinal);
        var fee = Assert.Single(lines, l => l.Contains("B3 2026-03-09 485.50 EUR", StringComparison.Ordinal));
        Assert.StartsWith("suggested", fee, StringComparison.Ordinal);
        Assert.Contains("→ L4 2026-03-06 500.00 EUR", fee, StringComparison.Ordinal);
        Assert.Contains("amount differs by +14.50 (3.0%)", fee, StringComparison.Ordinal);
        Assert.Contains("unmatched in bank.csv: B4 2026-03-12 42.00 EUR \"CARD FEE MARCH\"", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("unmatched in ledger.csv", StringComparison.Ordinal));
        Assert.Equal("2 confirmed, 1 suggested; unmatched: 1 of 4 in bank.csv, 0 of 4 in ledger.csv", lines[^1]);

        var csv = (await File.ReadAllLinesAsync(_dir.File("proposals.csv"))).ToList();
        Assert.Equal("status,score,left_ids,right_ids,left_amount,right_amount,currency,left_dates,right_dates,reasons", csv[0]);
        Assert.Equal(5, csv.Count);
        Assert.StartsWith("confirmed,", csv[1], StringComparison.Ordinal);
        Assert.Contains(",B1,L1,1200.00,1200.00,EUR,2026-03-02,2026-03-01,", csv[1], StringComparison.Ordinal);
        Assert.Contains(",B2,L3; L2,350.00,350.00,EUR,", csv[2], StringComparison.Ordinal);
        Assert.StartsWith("suggested,", csv[3], StringComparison.Ordinal);
        Assert.Equal("unmatched,,B4,,42.00,,EUR,2026-03-12,,", csv[4]);
        Assert.False(File.Exists(_dir.File("proposals.csv.tmp")));
    }

    [Fact]
    public async Task Json_GivesTheSameResultToPrograms()
    {
        await WriteFilesAsync();

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv", "--json");

        Assert.True(code == 0, output);
        var doc = JsonNode.Parse(output)!;
        Assert.Equal(2, (int)doc["confirmed"]!);
        Assert.Equal(1, (int)doc["suggested"]!);
        Assert.Equal(1, (int)doc["left"]!["unmatched"]!);
        var proposals = doc["proposals"]!.AsArray();
        Assert.Equal(3, proposals.Count);
        var split = proposals.Single(p => (string?)p!["left"]![0]!["id"] == "B2")!;
        Assert.Equal(["L2", "L3"], split["right"]!.AsArray().Select(r => (string)r!["id"]!).Order());
        Assert.Equal(350.00m, split["right"]!.AsArray().Sum(r => (decimal)r!["amount"]!));
        Assert.Equal("B4", (string?)doc["unmatched_left"]![0]!["id"]);
    }

    [Fact]
    public async Task TighterTolerances_LeaveTheFeePairOut_AndALowerAutoThresholdConfirmsIt()
    {
        await WriteFilesAsync();

        var (_, tight) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv", "--amount-tolerance", "2%");
        Assert.Contains("2 confirmed, 0 suggested; unmatched: 2 of 4 in bank.csv, 1 of 4 in ledger.csv", tight, StringComparison.Ordinal);

        var (_, loose) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv", "--auto-confirm", "0.8");
        Assert.Contains("3 confirmed, 0 suggested", loose, StringComparison.Ordinal);

        var (_, narrow) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv", "--days-before", "0");
        Assert.Contains("unmatched in bank.csv: B1", narrow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadCsv_IsReportedByFileLineAndColumn_AndNothingIsWritten()
    {
        await WriteFilesAsync(bank: """
            id,date,amount,currency,description
            B1,2026-03-02,1200.00,EUR,ok
            B2,2026-03-05,abc,EUR,bad amount
            B3,05/03/2026,1.00,EUR,bad date
            B1,2026-03-06,"1,50",EURO,"twice, and more"
            """);

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv", "--out", "proposals.csv");

        Assert.Equal(1, code);
        Assert.Contains("bank.csv:3: amount 'abc' is not a number", output, StringComparison.Ordinal);
        Assert.Contains("bank.csv:4: date '05/03/2026' is not a date written yyyy-MM-dd", output, StringComparison.Ordinal);
        Assert.Contains("bank.csv:5: id 'B1' is already on line 2", output, StringComparison.Ordinal);
        Assert.Contains("bank.csv:5: amount '1,50' is not a number", output, StringComparison.Ordinal);
        Assert.Contains("bank.csv:5: currency 'EURO' is not a three-letter ISO 4217 code", output, StringComparison.Ordinal);
        Assert.DoesNotContain("confirmed", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("proposals.csv")));
    }

    [Fact]
    public async Task MissingColumnsAndBadOptions_AreNamed()
    {
        await WriteFilesAsync(bank: "id,when,amount\nB1,2026-03-02,10\n");

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv");
        Assert.Equal(1, code);
        Assert.Contains("bank.csv:1: no date column (accepted names: date, booking_date, value_date, transaction_date)", output, StringComparison.Ordinal);
        Assert.Contains("bank.csv:1: no currency column", output, StringComparison.Ordinal);

        var (badCode, bad) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv",
            "--amount-tolerance", "150%", "--days", "-3", "--auto-confirm", "1.2", "--currency", "euro");
        Assert.Equal(1, badCode);
        Assert.Contains("--amount-tolerance: '150%' is not a share of the amount below 1", bad, StringComparison.Ordinal);
        Assert.Contains("--days: '-3' is not a whole number of days from 0 to 366", bad, StringComparison.Ordinal);
        Assert.Contains("--auto-confirm: '1.2' is not a score from 0 to 1", bad, StringComparison.Ordinal);
        Assert.Contains("--currency: 'euro' is not a three-letter ISO 4217 code", bad, StringComparison.Ordinal);

        var (noneCode, none) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv");
        Assert.Equal(1, noneCode);
        Assert.Contains("Say what to reconcile", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileWithoutIdOrCurrencyColumns_UsesLineNumbersAndTheGivenCurrency()
    {
        await WriteFilesAsync(bank: "date,amount,memo,payee\n2026-03-02,1200.00,INV 1001,ACME SUPPLIES\n");

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--left", "bank.csv", "--right", "ledger.csv", "--currency", "eur");

        Assert.True(code == 0, output);
        Assert.Contains("2 2026-03-02 1200.00 EUR \"INV 1001 ACME SUPPLIES\" → L1", output, StringComparison.Ordinal);
    }

    private const string StoreYaml = """
        version: 1
        hub: { data: hub.db }
        systems:
          billing: { kind: http, settings: { url: "http://127.0.0.1:1/billing", webhook_secret: { env: BILLING_SECRET } } }
        entities:
          customer: { owner: billing, identity: [email] }
          invoice: { owner: billing }
          payment: { owner: billing }
        syncs:
          - { system: billing, type: customer, direction: pull }
          - { system: billing, type: invoice, direction: pull }
          - { system: billing, type: payment, direction: pull }
        """;

    [Fact]
    public async Task Payments_AreMatchedToOpenInvoices_FromTheStore_WithoutChangingIt()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), StoreYaml);
        await FillStoreAsync(
            """{"type":"customer","external_id":"cus_1","fields":{"email":"ann@example.com","name":"Ann Smith"}}""",
            """{"type":"customer","external_id":"cus_2","fields":{"email":"bob@example.com","name":"Bob Jones"}}""",
            """{"type":"customer","external_id":"cus_3","fields":{"email":"ap@globex.example","name":"Globex"}}""",
            """{"type":"invoice","external_id":"in_1","fields":{"number":"INV-1","customer":"cus_1","amount":100,"currency":"eur","status":"open","due_date":"2026-03-10"}}""",
            """{"type":"invoice","external_id":"in_2","fields":{"number":"INV-2","customer":"cus_2","amount":120,"currency":"eur","status":"open","due_date":"2026-03-12"}}""",
            """{"type":"invoice","external_id":"in_3","fields":{"number":"INV-3","customer":"cus_2","amount":80,"currency":"eur","status":"open","due_date":"2026-03-12"}}""",
            """{"type":"invoice","external_id":"in_4","fields":{"number":"INV-4","customer":"cus_1","amount":50,"currency":"eur","status":"paid","due_date":"2026-03-01"}}""",
            """{"type":"invoice","external_id":"in_5","fields":{"number":"INV-5","customer":"cus_3","amount":300,"amount_paid":50,"currency":"eur","status":"open","due_date":"2026-03-15"}}""",
            """{"type":"payment","external_id":"py_1","fields":{"amount":100,"currency":"eur","status":"succeeded","customer":"cus_1","paid_at":"2026-03-09T10:00:00Z"}}""",
            """{"type":"payment","external_id":"py_2","fields":{"amount":200,"currency":"eur","status":"succeeded","customer":"cus_2","paid_at":"2026-03-13T10:00:00Z"}}""",
            """{"type":"payment","external_id":"py_3","fields":{"amount":50,"currency":"eur","status":"succeeded","customer":"cus_1","invoice":"in_4","paid_at":"2026-03-01T10:00:00Z"}}""",
            """{"type":"payment","external_id":"py_4","fields":{"amount":75,"currency":"eur","status":"failed","customer":"cus_1","paid_at":"2026-03-09T11:00:00Z"}}""");
        var before = await File.ReadAllBytesAsync(_dir.File("hub.db"));

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--payments");

        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            "read 4 payment(s): 2 without an invoice, 1 with one, 1 not settled, 0 without amount or currency; 5 invoice(s): 4 open, 1 paid or closed, 0 without amount or currency",
            lines[0]);
        var ann = Assert.Single(lines, l => l.Contains("2026-03-09 100.00 EUR \"Ann Smith ann@example.com\"", StringComparison.Ordinal));
        Assert.StartsWith("confirmed", ann, StringComparison.Ordinal);
        Assert.Contains("2026-03-10 100.00 EUR \"Ann Smith ann@example.com INV-1\"", ann, StringComparison.Ordinal);
        var bob = Assert.Single(lines, l => l.Contains("2026-03-13 200.00 EUR \"Bob Jones bob@example.com\"", StringComparison.Ordinal));
        Assert.Contains("\"Bob Jones bob@example.com INV-2\"", bob, StringComparison.Ordinal);
        Assert.Contains("\"Bob Jones bob@example.com INV-3\"", bob, StringComparison.Ordinal);
        Assert.Contains("2 lines add up to 200.00", bob, StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("unmatched in invoices:", StringComparison.Ordinal) && l.Contains("2026-03-15 250.00 EUR \"Globex ap@globex.example INV-5\"", StringComparison.Ordinal));
        Assert.Equal("2 confirmed, 0 suggested; unmatched: 0 of 2 in payments, 1 of 4 in invoices", lines[^1]);

        Assert.Equal(before, await File.ReadAllBytesAsync(_dir.File("hub.db")));
    }

    [Fact]
    public async Task Payments_WithoutAStoreYet_SaySo()
    {
        await File.WriteAllTextAsync(_dir.File("concord.yaml"), StoreYaml);

        var (code, output) = await CliRunner.RunAsync(_dir.Path, Timeout, "reconcile", "--payments");

        Assert.Equal(1, code);
        Assert.Contains("no hub store yet", output, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("hub.db")));
    }

    /// <summary>Puts changes through intake and processing into the SQLite store the configuration names, as a running hub would.</summary>
    private async Task FillStoreAsync(params string[] changes)
    {
        var time = new ManualTimeProvider();
        var plan = new SyncPlan(TestConfigs.Load(StoreYaml, _ => "secret"));
        var intake = new ChangeIntake(plan, time);
        var processor = new ChangeProcessor(plan, new DeterministicResolver(time), time);
        await using var store = new SqliteHubStore(_dir.File("hub.db"), durable: false, time);
        await store.InitializeAsync(default);
        foreach (var change in changes)
        {
            await store.AppendAsync(intake.ParseBatch("billing", Encoding.UTF8.GetBytes(change), "api"), default);
            await store.ProcessInboxAsync(100, (tx, batch) => processor.Process(tx, batch), default);
            time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
