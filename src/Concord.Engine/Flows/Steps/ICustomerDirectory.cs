using Concord.Core.Flows.Text;

namespace Concord.Engine.Flows.Steps;

/// <summary>The customers a plain-language invoice may name: the golden records of one type, as the text parser reads them.</summary>
public interface ICustomerDirectory
{
    Task<IReadOnlyList<DirectoryCustomer>> CustomersAsync(string type, CancellationToken cancellationToken);
}
