using System.Net;
using MediaLibrary.Api;
using MediaLibrary.Media;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace MediaLibrary.Tests.Api;

/// <summary>
/// A subtree or a tag holding most of the library, with a search that matches more than the count cap: the plans
/// that walk the ordering's index and count from the search index's matches still count right and reach every match.
/// Rows go straight into the database, in an app of their own.
/// </summary>
public abstract class FolderListAtScaleTests(MediaLibraryApp app)
{
    private const int Matching = MediaQueries.CountCap + 203;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASearchBelowAFolderOrWithATag_CountsToTheCap_AndTheLinksReachEveryMatchOnce()
    {
        var (top, child) = await SeedAsync();
        var client = app.CreateClient();
        bool InChild(int i) => i % 2 == 1;
        bool Tagged(int i) => i % 3 == 0;

        var below = await AllAsync(client, $"folder={top}&recursive=true&search=harbour&page_size=200&ordering=title");
        Assert.Equal((MediaQueries.CountCap, false), (below.First.Count, below.First.CountExact));
        Assert.Equal(Matching, below.Ids.Count);
        Assert.Equal(Matching, below.Ids.Distinct().Count());

        var half = await AllAsync(client, $"folder={child}&recursive=true&search=harbour&page_size=200");
        var expected = Enumerable.Range(0, Matching).Count(InChild);
        Assert.Equal((expected, true), (half.First.Count, half.First.CountExact));
        Assert.Equal(expected, half.Ids.Distinct().Count());

        var tagged = await AllAsync(client, "tag=pier&search=harbour&page_size=200&ordering=-title");
        expected = Enumerable.Range(0, Matching).Count(Tagged);
        Assert.Equal((expected, true), (tagged.First.Count, tagged.First.CountExact));
        Assert.Equal(expected, tagged.Ids.Distinct().Count());
        var both = await AllAsync(client, $"tag=pier&folder={child}&recursive=true&search=harbour");
        Assert.Equal(Enumerable.Range(0, Matching).Count(i => Tagged(i) && InChild(i)), both.Ids.Count);

        // A tag whose matches pass the cap, on a page deep enough that the tag's rows (not a walk) serve it: counted to
        // the cap, and the page is the right slice.
        var quay = await AllAsync(client, "tag=quay&search=harbour&page_size=200&page=6");
        Assert.Equal((MediaQueries.CountCap, false), (quay.First.Count, quay.First.CountExact));
        var titles = Enumerable.Range(0, Matching).Where(i => i % 10 != 0).OrderDescending().Skip(1000).Select(i => $"Harbour {i}");
        Assert.Equal(titles, quay.First.Results.Select(r => r.Title));

        // Small pages, where walking the ordering's index serves a common tag: counted to the cap past it, exactly below
        // it, and the links reach every match once either way.
        var walkedPastTheCap = await AllAsync(client, "tag=quay&search=harbour&page_size=10");
        Assert.Equal((MediaQueries.CountCap, false), (walkedPastTheCap.First.Count, walkedPastTheCap.First.CountExact));
        Assert.Equal(Enumerable.Range(0, Matching).Count(i => i % 10 != 0), walkedPastTheCap.Ids.Distinct().Count());
        var walked = await AllAsync(client, "tag=pier&search=harbour&page_size=10");
        expected = Enumerable.Range(0, Matching).Count(Tagged);
        Assert.Equal((expected, true), (walked.First.Count, walked.First.CountExact));
        Assert.Equal(expected, walked.Ids.Distinct().Count());
        Assert.Equal(expected, walked.Ids.Count);
    }

    /// <summary>Every matching row in folder A or its child B (odd ones in B); every third tagged "pier", nine in ten "quay".</summary>
    private async Task<(long Top, long Child)> SeedAsync()
    {
        var now = DateTime.UtcNow;
        return await app.WithDbAsync(async db =>
        {
            var top = new Folder { Name = "A", NameKey = "a", Path = "", Depth = 1, CreatedAt = now, UpdatedAt = now };
            db.Folders.Add(top);
            await db.SaveChangesAsync(Ct);
            top.Path = $"/{top.Id}/";
            var child = new Folder { ParentId = top.Id, Name = "B", NameKey = "b", Path = "", Depth = 2, CreatedAt = now, UpdatedAt = now };
            db.Folders.Add(child);
            await db.SaveChangesAsync(Ct);
            child.Path = $"{top.Path}{child.Id}/";
            var pier = new Tag { Name = "pier", Key = "pier", CreatedAt = now };
            var quay = new Tag { Name = "quay", Key = "quay", CreatedAt = now };
            db.Tags.AddRange(pier, quay);
            await db.SaveChangesAsync(Ct);
            for (var i = 0; i < Matching + 2; i++)
            {
                var id = Guid.NewGuid().ToString("n")[..24];
                var media = new MediaItem
                {
                    StorageId = id, Title = i < Matching ? $"Harbour {i}" : $"Meadow {i}", AltText = "", FileName = $"f{i}.pdf",
                    ContentType = "application/pdf", Size = 100 + i, Sha256 = new string('0', 64), Version = 1, FolderId = i % 2 == 1 ? child.Id : top.Id,
                    StorageKey = $"{id}/1/original", StorageProvider = "local", CreatedAt = now.AddMilliseconds(i), UpdatedAt = now, Revision = 1,
                };
                db.Media.Add(media);
                if (i % 3 == 0) db.MediaTags.Add(new MediaTag { Media = media, TagId = pier.Id });
                if (i % 10 != 0) db.MediaTags.Add(new MediaTag { Media = media, TagId = quay.Id });
                // PostgreSQL's copy, which the service writes with every link
                media.TagIds = [.. new[] { i % 3 == 0 ? pier.Id : 0, i % 10 != 0 ? quay.Id : 0 }.Where(t => t != 0)];
            }
            await db.SaveChangesAsync(Ct);
            return (top.Id, child.Id);
        });
    }

    private static async Task<(MediaListResponse First, List<long> Ids)> AllAsync(HttpClient client, string query)
    {
        var ids = new List<long>();
        MediaListResponse? first = null;
        for (var url = $"/api/media?{query}"; url is not null;)
        {
            using var response = await client.GetAsync(url, Ct);
            await response.ShouldBe(HttpStatusCode.OK);
            var page = await response.ReadAsync<MediaListResponse>();
            first ??= page;
            ids.AddRange(page.Results.Select(r => r.Id));
            url = page.Next is null ? null : HttpExtensions.PathOf(page.Next);
        }
        return (first!, ids);
    }
}

public sealed class SqliteFolderListAtScaleTests(MediaLibraryApp app) : FolderListAtScaleTests(app), IClassFixture<MediaLibraryApp>;

public sealed class PostgresFolderListAtScaleTests(PostgresMediaLibraryApp app) : FolderListAtScaleTests(app), IClassFixture<PostgresMediaLibraryApp>;
