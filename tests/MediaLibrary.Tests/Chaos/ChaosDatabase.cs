using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace MediaLibrary.Tests.Chaos;

/// <summary>
/// Database outages that begin anywhere in a request. Once armed, an outage begins after a random number of database
/// calls, or right after the next commit (between a commit and its bookkeeping, where an error must not reach the
/// client), and refuses a random number of calls, each with the error the provider raises when its server is gone
/// or locked. Besides, single calls fail now and then (a blip). A failure that strikes right after a call did its
/// work (a commit whose answer was lost) makes that request's outcome uncertain.
/// </summary>
public sealed class ChaosDatabase(bool postgres, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private int _startsIn = -1; // calls before the armed outage begins; -1: none armed
    private bool _afterCommit;  // the armed outage begins with the call after the next commit
    private int _refusing;      // calls the running outage still refuses

    /// <summary>Outside outages, the chance that one call fails on its own.</summary>
    public double BlipRate { get; set; } = 0.003;

    /// <summary>Outside outages, the chance that the few calls after a commit fail: where the commit's bookkeeping runs.</summary>
    public double AfterCommitRate { get; set; } = 0.06;
    public int Blips { get; private set; }

    /// <summary>Off: every call goes through (start-up, the final drain and checks).</summary>
    public bool Enabled { get; set; }

    public int Outages { get; private set; }
    public int Refused { get; private set; }

    /// <summary>An outage armed or running.</summary>
    public bool Active
    {
        get { lock (_lock) return _startsIn >= 0 || _afterCommit || _refusing > 0; }
    }

    public void Arm()
    {
        lock (_lock)
        {
            if (_startsIn >= 0 || _afterCommit || _refusing > 0) return;
            if (_random.Next(2) == 0) _afterCommit = true;
            else _startsIn = _random.Next(0, 30);
        }
    }

    /// <summary>The server is back.</summary>
    public void End()
    {
        lock (_lock) (_startsIn, _afterCommit, _refusing) = (-1, false, 0);
    }

    public IInterceptor[] Interceptors => [new Commands(this), new Transactions(this)];

    /// <summary>Whether this call fails. <paramref name="done"/>: the call has already done its work (a commit, an autocommit write).</summary>
    private bool Fails(bool done)
    {
        lock (_lock)
        {
            if (!Enabled) return false;
            if (_refusing > 0)
            {
                _refusing--;
                Refused++;
                return true;
            }
            if (_afterCommit && done)
            {
                (_afterCommit, _startsIn) = (false, 0); // this commit goes through; the next call finds the server gone
                return false;
            }
            var quiet = _startsIn < 0 && !_afterCommit;
            if (quiet && done && _random.NextDouble() < AfterCommitRate)
            {
                Blips++;
                _refusing = _random.Next(1, 6); // this commit goes through; the calls after it do not
                return false;
            }
            if (quiet && _random.NextDouble() < BlipRate)
            {
                Blips++;
            }
            else
            {
                if (_startsIn < 0 || _startsIn-- > 0) return false;
                _refusing = _random.Next(3, 60);
                Outages++;
            }
            Refused++;
        }
        if (done) CrashScope.MarkUncertain();
        return true;
    }

    private Exception Error()
    {
        int kind;
        lock (_lock) kind = _random.Next(2);
        if (!postgres) return new SqliteException("SQLite Error 5: 'database is locked'.", 5);
        return kind == 0
            ? new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused))
            : new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01");
    }

    /// <summary>A write outside a transaction is committed once it ran; a read or a write inside one is not.</summary>
    private static bool Commits(DbCommand command) =>
        command.Transaction is null && !command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase);

    private sealed class Commands(ChaosDatabase chaos) : DbCommandInterceptor
    {
        private void Before()
        {
            if (chaos.Fails(done: false)) throw chaos.Error();
        }

        private void After(DbCommand command, IDisposable? result = null)
        {
            if (!chaos.Fails(Commits(command))) return;
            result?.Dispose(); // the answer never arrived
            throw chaos.Error();
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Before();
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
        {
            Before();
            return ValueTask.FromResult(result);
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            After(command, result);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default)
        {
            After(command, result);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Before();
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
        {
            Before();
            return ValueTask.FromResult(result);
        }

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            After(command);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken ct = default)
        {
            After(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Before();
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken ct = default)
        {
            Before();
            return ValueTask.FromResult(result);
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            After(command);
            return result;
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken ct = default)
        {
            After(command);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class Transactions(ChaosDatabase chaos) : DbTransactionInterceptor
    {
        public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result) =>
            chaos.Fails(done: false) ? throw chaos.Error() : result;

        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken ct = default) =>
            chaos.Fails(done: false) ? throw chaos.Error() : ValueTask.FromResult(result);

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
        {
            if (chaos.Fails(done: true)) throw chaos.Error();
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default) =>
            chaos.Fails(done: true) ? throw chaos.Error() : Task.CompletedTask;
    }
}
