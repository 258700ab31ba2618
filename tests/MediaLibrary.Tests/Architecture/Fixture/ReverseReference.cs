// A deliberate reverse reference, for ArchitectureTests to prove that the rule fails on one: a "Storage" type that
// reaches up into "Media". It lives in the test assembly only, under a root of its own.
namespace MediaLibrary.Tests.Architecture.Fixture.Storage
{
    internal sealed class FixtureStore
    {
        public Media.FixtureLifecycle? Owner { get; set; }
    }
}

namespace MediaLibrary.Tests.Architecture.Fixture.Media
{
    internal sealed class FixtureLifecycle
    {
        public Storage.FixtureStore Store { get; } = new();
    }
}
