using System.Diagnostics;
using System.Net;
using MediaLibrary.Auth;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace MediaLibrary.Tests.Api;

/// <summary>Metrics at /metrics (off by default; for admins) and traces that follow a request into the database, storage and cleanup.</summary>
public sealed class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Measured : MediaLibraryApp
    {
        public Measured() => Set("MEDIALIB_METRICS", "true");
    }

    /// <summary>Traces are on where a collector is named; this one is never reached, the in-memory exporter reads the spans.</summary>
    public class Traced : MediaLibraryApp
    {
        /// <summary>What the exporter wrote; it writes from its own thread while the test reads, so both take the lock.</summary>
        public SpanList Spans { get; } = new();

        public Traced() => Set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
    }

    public sealed class SpanList : System.Collections.ObjectModel.Collection<Activity>
    {
        protected override void InsertItem(int index, Activity item)
        {
            lock (this) base.InsertItem(index, item);
        }

        public List<Activity> Snapshot()
        {
            lock (this) return [.. this];
        }
    }

    public sealed class TracedOnPostgres : Traced
    {
        public override bool UsePostgres => true;
    }

    [Fact]
    public async Task Metrics_AreOffByDefault()
    {
        await using var app = new MediaLibraryApp();
        await app.InitializeAsync();
        using var response = await (await app.ClientAsync(Roles.Admin)).GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>The figures themselves are read from a process of its own (ProcessTests): in this one, every app's meters report.</summary>
    [Fact]
    public async Task Metrics_AreForAdminsOnly()
    {
        await using var app = new Measured();
        await app.InitializeAsync();
        using var anonymous = await app.CreateClient().GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var editor = await (await app.ClientAsync()).GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, editor.StatusCode);
        using var admin = await (await app.ClientAsync(Roles.Admin)).GetAsync("/metrics", Ct);
        await admin.ShouldBe(HttpStatusCode.OK);
        Assert.StartsWith("text/plain", admin.Content.Headers.ContentType!.MediaType);
    }

    /// <summary>
    /// Every app in this test process reports to every tracer, so the spans are found from this app's own storage key.
    /// SQLite's commands are traced by EF Core's instrumentation, which listens to a process-wide DiagnosticListener: in a
    /// process that has run other apps before (as this test process has), it sees no commands, so for SQLite only the
    /// service's own spans are asserted. PostgreSQL's commands come from Npgsql's own activity source, with no such limit.
    /// </summary>
    [Fact]
    public Task ATrace_FollowsARequest_IntoStorageAndCleanup() => TraceAsync(new Traced(), databaseSource: null);

    [Fact]
    public Task ATrace_OnPostgreSQL_FollowsARequest_IntoTheDatabaseStorageAndCleanup() => TraceAsync(new TracedOnPostgres(), "Npgsql");

    private static async Task TraceAsync(Traced app, string? databaseSource)
    {
        await using var _ = app;
        await app.InitializeAsync();
        var client = await app.ClientAsync();
        var media = await client.UploadAsync(TestFiles.Png(8, 8));
        var key = await app.StorageKeyAsync(media.Id);
        using var deleted = await client.DeleteAsync($"/api/media/{media.Id}", Ct);
        await deleted.ShouldBe(HttpStatusCode.NoContent);

        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        var spans = app.Spans.Snapshot();
        Activity Ours(string name) => spans.Single(s => s.OperationName == name && s.GetTagItem("medialibrary.storage_key") as string == key);

        var store = Ours("store upload");
        Assert.Equal("local", store.GetTagItem("medialibrary.provider"));
        var inUpload = spans.Where(s => s.TraceId == store.TraceId).ToList();
        Assert.Contains(inUpload, s => s.Kind == ActivityKind.Server && s.SpanId == store.ParentSpanId); // the POST that stored it
        if (databaseSource is not null) Assert.Contains(inUpload, s => s.Kind == ActivityKind.Client && s.Source.Name.Contains(databaseSource, StringComparison.Ordinal));

        var cleanup = Ours("cleanup local");
        Assert.Equal("ok", cleanup.GetTagItem("medialibrary.result"));
        var inDelete = spans.Where(s => s.TraceId == cleanup.TraceId).ToList();
        Assert.Contains(inDelete, s => s.Kind == ActivityKind.Server && s.SpanId == cleanup.ParentSpanId); // inline, under the DELETE
        if (databaseSource is not null) Assert.Contains(inDelete, s => s.Kind == ActivityKind.Client && s.Source.Name.Contains(databaseSource, StringComparison.Ordinal));
    }
}
