using System.Net;
using MediaLibrary.Api;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// More rows than a search counts: rows go straight into the database (the list reads rows, not files), in an app
/// of their own so that no other test sees rows without objects.
/// </summary>
public abstract class ListAtScaleTests(MediaLibraryApp app)
{
    private const int Matching = MediaQueries.CountCap + 203;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SearchPastTheCountCap_SaysSo_AndTheLinksStillReachEveryMatch()
    {
        await SeedAsync();
        var client = app.CreateClient();

        var all = await ListAsync(client, "page_size=1");
        Assert.True(all.CountExact);
        Assert.Equal(Matching + 2, all.Count);

        var first = await ListAsync(client, "search=harbour&page_size=200&ordering=title");
        Assert.False(first.CountExact);
        Assert.Equal(MediaQueries.CountCap, first.Count);
        var ids = new List<long>();
        for (var page = first; ; page = await ListAsync(client, new Uri(page.Next).Query.TrimStart('?')))
        {
            ids.AddRange(page.Results.Select(r => r.Id));
            if (page.Next is null) break;
        }
        Assert.Equal(Matching, ids.Count);
        Assert.Equal(Matching, ids.Distinct().Count());

        // By number too: the page past the cap has its rows, and the last one has no next link.
        var last = await ListAsync(client, "search=harbour&page_size=200&ordering=title&page=7");
        Assert.Equal(ids[1200..], last.Results.Select(r => r.Id));
        Assert.Null(last.Next);
        Assert.NotNull((await ListAsync(client, "search=harbour&page_size=200&ordering=title&page=6")).Next);

        // Fewer matches than the cap are counted exactly, through the index.
        var few = await ListAsync(client, "search=harbour 12&page_size=200");
        Assert.True(few.CountExact);
        Assert.Equal(Enumerable.Range(0, Matching).Count(i => $"harbour {i}".Contains("harbour 12", StringComparison.Ordinal)), few.Count);

        var html = await client.GetStringAsync("/?search=harbour", Ct);
        Assert.Contains("More than 1,000 items", html);
        Assert.Contains("<span>Page 1</span>", html);
        Assert.Contains("rel=\"next\"", html);
    }

    private async Task SeedAsync()
    {
        var now = DateTime.UtcNow;
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < Matching + 2; i++)
            {
                var id = Guid.NewGuid().ToString("n")[..24];
                db.Media.Add(new MediaLibrary.Media.MediaItem
                {
                    StorageId = id, Title = i < Matching ? $"Harbour {i}" : $"Meadow {i}", AltText = "", FileName = $"f{i}.pdf",
                    ContentType = "application/pdf", Size = 100 + i, Sha256 = new string('0', 64), Version = 1,
                    StorageKey = $"{id}/1/original", StorageProvider = "local", CreatedAt = now.AddMilliseconds(i), UpdatedAt = now, Revision = 1,
                });
            }
            return await db.SaveChangesAsync();
        });
    }

    private static async Task<MediaListResponse> ListAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync($"/api/media?{query}", Ct);
        await response.ShouldBe(HttpStatusCode.OK);
        return await response.ReadAsync<MediaListResponse>();
    }
}

public sealed class SqliteListAtScaleTests(MediaLibraryApp app) : ListAtScaleTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresListAtScaleTests(PostgresMediaLibraryApp app) : ListAtScaleTests(app), IClassFixture<PostgresMediaLibraryApp>;
