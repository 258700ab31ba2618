using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MediaLibrary.Tests.Infrastructure;

/// <summary>An in-process app on a clock the tests move (<see cref="Time"/>), on SQLite or, as <see cref="Postgres"/>, PostgreSQL.</summary>
public class FakeClockApp : MediaLibraryApp
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Time);

    public sealed class Postgres : FakeClockApp
    {
        public override bool UsePostgres => true;
    }
}
