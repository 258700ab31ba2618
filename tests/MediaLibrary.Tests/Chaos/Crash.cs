using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MediaLibrary.Tests.Chaos;

/// <summary>Thrown at a simulated crash point; never handled specially by the service.</summary>
public sealed class SimulatedCrashException() : Exception("Simulated process crash.");

/// <summary>
/// A simulated abrupt stop of the process, scoped to one request. Once a request "crashed", every database
/// command and storage call it makes afterwards fails, so no catch block, compensation or bookkeeping of that
/// request can reach either: from the data's point of view the process died at that instant.
/// </summary>
public sealed class CrashScope
{
    private static readonly AsyncLocal<CrashScope?> Current = new();

    /// <summary>The response header that tells the client what its answer cannot tell: "crashed" or "uncertain".</summary>
    public const string Header = "X-Chaos";

    public bool Crashed { get; private set; }

    /// <summary>The database may have done what the request asked, but its answer was lost.</summary>
    public bool Uncertain { get; private set; }

    public static CrashScope Begin() => Current.Value = new CrashScope();

    public static void MarkUncertain()
    {
        if (Current.Value is { } scope) scope.Uncertain = true;
    }

    /// <summary>Marks the current request as crashed and throws.</summary>
    public static SimulatedCrashException CrashNow()
    {
        if (Current.Value is { } scope) scope.Crashed = true;
        return new SimulatedCrashException();
    }

    public static bool IsCrashed => Current.Value?.Crashed == true;

    public static void ThrowIfCrashed()
    {
        if (IsCrashed) throw new SimulatedCrashException();
    }
}

/// <summary>
/// Gives each request its own crash scope, before anything else runs. A request that crashed (which a real client sees
/// as a lost connection) or whose commit's answer was lost says so in <see cref="CrashScope.Header"/>.
/// </summary>
public sealed class CrashScopeStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var scope = CrashScope.Begin();
            context.Response.OnStarting(() =>
            {
                if (scope.Crashed || scope.Uncertain) context.Response.Headers[CrashScope.Header] = scope.Crashed ? "crashed" : "uncertain";
                return Task.CompletedTask;
            });
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>After a simulated crash, the database is out of reach for that request.</summary>
public sealed class CrashInterceptor : DbCommandInterceptor
{
    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        CrashScope.ThrowIfCrashed();
        return base.ReaderExecutingAsync(command, eventData, result, ct);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        CrashScope.ThrowIfCrashed();
        return base.NonQueryExecutingAsync(command, eventData, result, ct);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken ct = default)
    {
        CrashScope.ThrowIfCrashed();
        return base.ScalarExecutingAsync(command, eventData, result, ct);
    }
}
