using Concord.Connectors.Slack;
using Concord.Core.Mapping;

namespace Concord.Connectors.Tests.Slack;

/// <summary>What a delivery says in the channel: summaries per type, templates, and pii left out.</summary>
public sealed class SlackMessageTemplateTests
{
    private static readonly SlackMessageTemplate Default = new(null, includePii: false);

    [Fact]
    public void AnInvoiceUpdate_NamesTheInvoice_WhatChanged_AndTheAmount()
    {
        var text = Default.Render(SlackTestSystem.Delivery("invoice",
            """{"number":"INV-1042","customer":"rec_9","customer_email":"ann@acme.test","amount":1200,"currency":"usd","status":"paid"}""",
            """["status"]"""));
        Assert.Equal("Invoice INV-1042: status → paid (amount 1,200.00 usd)", text);
    }

    [Fact]
    public void AChangedAmount_IsShownWithItsCurrency_Once()
    {
        var text = Default.Render(SlackTestSystem.Delivery("payment",
            """{"invoice_number":"INV-7","amount":99.5,"currency":"eur","status":"succeeded"}""", """["amount","currency","status"]"""));
        Assert.Equal("Payment INV-7: amount → 99.50 eur, status → succeeded", text);
    }

    [Fact]
    public void APaymentWithNothingToNameItBy_IsNamedByItsAmount_NotAnId()
    {
        var text = Default.Render(SlackTestSystem.Delivery("payment",
            """{"amount":1200,"currency":"usd","status":"succeeded"}""", """["status"]"""));
        Assert.Equal("Payment of 1,200.00 usd: status → succeeded", text);
    }

    [Fact]
    public void ANewCustomer_KeepsPersonalDataOut_AndIsNamedByItsCompany()
    {
        var text = Default.Render(SlackTestSystem.Delivery("customer",
            """{"email":"ann@acme.test","name":"Ann Lee","phone":"+15550100","company":"Acme Corp","country":"US"}""",
            """["email","name","phone","company","country"]""", version: 1));
        Assert.Equal("New customer Acme Corp: email → (hidden), name → (hidden), phone → (hidden), company → Acme Corp, country → US", text);
        Assert.DoesNotContain("ann@acme.test", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ann Lee", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithIncludePii_PersonalDataIsShown()
    {
        var text = new SlackMessageTemplate(null, includePii: true).Render(SlackTestSystem.Delivery("customer",
            """{"email":"ann@acme.test","name":"Ann Lee"}""", """["email"]"""));
        Assert.Equal("Customer Ann Lee: email → ann@acme.test", text);
    }

    [Fact]
    public void ACustomerWithNothingShareable_IsNamedByItsRecordId()
    {
        var text = Default.Render(SlackTestSystem.Delivery("customer", """{"email":"ann@acme.test"}""", """["email"]"""));
        Assert.Equal("Customer rec_1: email → (hidden)", text);
    }

    [Fact]
    public void ADeletion_SaysSo()
    {
        var text = Default.Render(SlackTestSystem.Delivery("ticket", """{"subject":"Printer on fire","body":"smoke"}""", "[]", operation: "delete"));
        Assert.Equal("Ticket Printer on fire was deleted", text);
    }

    [Fact]
    public void AClearedField_IsNamed()
    {
        var text = Default.Render(SlackTestSystem.Delivery("deal", """{"name":"Big one","close_date":null}""", """["close_date"]"""));
        Assert.Equal("Deal Big one: close_date cleared", text);
    }

    [Fact]
    public void ATemplate_FillsFieldsAndTheSpecialPlaceholders_AndStillHidesPii()
    {
        var template = new SlackMessageTemplate(":moneybag: {type} {number} is {status} ({operation}; {changed}) for {customer_email}{nothing}", includePii: false);
        var text = template.Render(SlackTestSystem.Delivery("invoice",
            """{"number":"INV-1","status":"paid","customer_email":"ann@acme.test","amount":5,"currency":"usd"}""", """["status"]"""));
        Assert.Equal(":moneybag: invoice INV-1 is paid (upsert; status → paid) for (hidden)", text);
    }

    [Fact]
    public void ATemplate_ForADeletion_GetsDeletedAsTheChange()
    {
        var text = new SlackMessageTemplate("{title}: {changed}", false).Render(SlackTestSystem.Delivery("task", """{"title":"Call Ann"}""", "[]", operation: "delete"));
        Assert.Equal("Call Ann: deleted", text);
    }

    [Fact]
    public void TheDescriptor_AnnouncesEveryShippedBusinessType_AsNotifyOnly()
    {
        var types = SlackConnector.Descriptor.Entities.Select(e => e.Type).Order().ToArray();
        Assert.Equal(["company", "customer", "deal", "invoice", "payment", "project", "subscription", "task", "ticket"], types);
        Assert.All(SlackConnector.Descriptor.Entities, e => Assert.Equal(EntityOperations.Notify, e.Operations));
        Assert.Equal(1, SlackConnector.Descriptor.VendorRateLimit!.PerSecond);
        Assert.False(SlackConnector.Descriptor.Inbound);
    }
}
