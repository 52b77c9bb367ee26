using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Concord.Storage.Sqlite;

/// <summary>
/// The one writer of the database, on its own thread. Operations queue up while a commit is being
/// synced; the next transaction takes all of them (group commit), so throughput does not hinge on
/// one fsync per change. Each operation runs under a savepoint: one that throws is rolled back and
/// fails alone, the rest of the batch commits. An operation's task completes only after the commit.
/// </summary>
internal sealed class SqliteWriter : IDisposable
{
    /// <summary>Operations per transaction, at most: bounds the latency one commit adds.</summary>
    private const int MaxBatch = 2048;

    private readonly Channel<WriteOp> _queue = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly Thread _thread;
    private SqliteTransaction? _transaction;

    public SqliteWriter(SqliteConnection connection)
    {
        _connection = connection;
        _thread = new Thread(Loop) { IsBackground = true, Name = "concord-sqlite-writer" };
        _thread.Start();
    }

    /// <summary>Commits so far, and operations committed, for diagnostics and benchmarks.</summary>
    public long Commits { get; private set; }

    public long Operations { get; private set; }

    public Task<T> ExecuteAsync<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var op = new WriteOp<T>(work);
        if (!_queue.Writer.TryWrite(op))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter), "the store is closed");
        }

        return op.Task;
    }

    /// <summary>A prepared statement bound to the current transaction; parameters are cleared for reuse.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _statements[sql] = command;
        }

        command.Transaction = _transaction;
        command.Parameters.Clear();
        return command;
    }

    private void Loop()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteOp>(MaxBatch);
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var op))
            {
                batch.Add(op);
            }

            RunBatch(batch);
        }
    }

    private void RunBatch(List<WriteOp> batch)
    {
        var succeeded = new List<WriteOp>(batch.Count);
        try
        {
            _transaction = _connection.BeginTransaction();
            foreach (var op in batch)
            {
                Exec("SAVEPOINT op");
                try
                {
                    op.Run(this);
                    Exec("RELEASE op");
                    succeeded.Add(op);
                }
                catch (Exception ex) when (TryRollBackOp())
                {
                    op.Fail(ex);
                }
            }

            _transaction.Commit();
            Commits++;
            Operations += succeeded.Count;
        }
        catch (Exception ex)
        {
            // The whole transaction is gone (a disk error, SQLite rolling back on its own, a
            // failed commit): every operation of the batch fails, none is left waiting.
            try
            {
                _transaction?.Rollback();
            }
            catch (Exception)
            {
                // The connection may have rolled back already.
            }

            foreach (var op in batch)
            {
                op.Fail(ex);
            }

            return;
        }
        finally
        {
            _transaction?.Dispose();
            _transaction = null;
        }

        foreach (var op in succeeded)
        {
            op.Complete();
        }
    }

    private void Exec(string sql) => Command(sql).ExecuteNonQuery();

    /// <summary>Undoes one failed operation; false when the transaction itself is gone, so the batch fails as a whole.</summary>
    private bool TryRollBackOp()
    {
        try
        {
            Exec("ROLLBACK TO op");
            Exec("RELEASE op");
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (!_thread.Join(TimeSpan.FromSeconds(30)))
        {
            // The writer is stuck (a disk that does not answer): leave its connection alone.
            return;
        }

        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private abstract class WriteOp
    {
        public abstract void Run(SqliteWriter writer);

        public abstract void Complete();

        public abstract void Fail(Exception ex);
    }

    private sealed class WriteOp<T>(Func<SqliteWriter, T> work) : WriteOp
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T _result = default!;

        public Task<T> Task => _tcs.Task;

        public override void Run(SqliteWriter writer) => _result = work(writer);

        public override void Complete() => _tcs.TrySetResult(_result);

        public override void Fail(Exception ex) => _tcs.TrySetException(ex);
    }
}
