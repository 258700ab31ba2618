using System.Globalization;
using MediaLibrary.Auth;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Page;

/// <summary>
/// The editors' page at <c>/</c>. The server renders the library (folders and breadcrumb, grid, search, type and tag
/// filters, sort, pages) so that it reads without JavaScript; <c>/app/editor.js</c> adds sign-in, upload, edit, replace,
/// delete (to the trash, with a Trash view to restore or purge) and copy, folders, tags, selection and bulk actions on top, through the same client module websites use, and
/// swaps in fresh results from <c>/?partial=results</c> after each change.
/// </summary>
public static class EditorPage
{
    public const int PageSize = 24;

    internal static readonly (string Value, string Label)[] Types =
        [("", "All types"), ("image/*", "Images"), ("video/*", "Videos"), ("audio/*", "Audio"), ("application/*", "Documents"), ("text/*", "Text")];

    internal static readonly (string Value, string Label, MediaOrdering Ordering)[] Orderings =
    [
        ("-created_at", "Newest first", MediaOrdering.CreatedAtDesc), ("created_at", "Oldest first", MediaOrdering.CreatedAt),
        ("title", "Title A–Z", MediaOrdering.Title), ("-title", "Title Z–A", MediaOrdering.TitleDesc),
        ("-size", "Largest first", MediaOrdering.SizeDesc), ("size", "Smallest first", MediaOrdering.Size),
    ];

    private const string SecurityPolicy =
        "default-src 'self'; img-src 'self' data: blob: https: http:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static void MapEditorPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/", Render).ExcludeFromDescription();

    public static async Task<IResult> Render(HttpContext http, MediaQueries media, MediaTags tags, FolderTree folderTree, MediaUrls urls,
        IOptions<MediaOptions> options, IOptions<SingleSignOnOptions> sso, CancellationToken ct)
    {
        var q = http.Request.Query;
        // The API refuses what it cannot search for; the page drops it instead (control characters, over-long text).
        var search = new string((((string?)q["search"]) ?? "").Where(c => !char.IsControl(c)).Take(MediaSearch.MaxLength).ToArray()).Trim();
        var type = Types.Any(t => t.Value == q["type"]) ? (string)q["type"]! : "";
        var ordering = Orderings.FirstOrDefault(o => o.Value == q["ordering"]);
        if (ordering.Value is null) ordering = Orderings[0];
        var page = int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 1_000_000 ? p : 1;
        // A folder that is not there (deleted meanwhile) shows all media; a tag that cannot be one is dropped.
        var folder = long.TryParse(q["folder"], NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f > 0 ? await folderTree.FindAsync(f, ct) : null;
        var tag = TagNames.Clean(q["tag"]).Name ?? "";
        var used = q["used"] == "true" || q["used"] == "false" ? (string)q["used"]! : "";
        var view = new EditorView(search, type, ordering.Value, page, folder?.Id, tag, used);

        // When reads need a token, the server renders the page without the library; the script loads it after sign-in.
        var mayRead = !options.Value.RequireAuthForReads || http.User.Identity?.IsAuthenticated == true;
        EditorResults? results = null;
        if (mayRead)
        {
            var tagIds = tag.Length == 0 ? null : (await tags.FindAsync([tag], ct)).Values.Select(t => t.Id).ToList();
            var sidebar = new EditorFolders(folder, folder is null ? [] : await folderTree.AncestorsAsync(folder, ct),
                await folderTree.ChildrenAsync(folder?.Id, ct) ?? []);
            if (tagIds is [])
                results = new EditorResults([], 0, true, false, sidebar); // a tag no media has
            else
            {
                var list = await media.ListAsync(new MediaQuery(page, PageSize, search.Length == 0 ? null : search, type.Length == 0 ? null : type,
                    ordering.Ordering, Folder: folder is null ? null : new FolderFilter(folder.Id, folder.Path, Recursive: false), Tags: tagIds,
                    Used: used.Length == 0 ? null : used == "true"), ct);
                var pageTags = await tags.OfAsync(list.Items.Select(m => m.Id).ToList(), ct);
                results = new EditorResults(urls.Responses(http.Request, list.Items, pageTags), list.Count, list.CountExact, list.Next is not null, sidebar);
            }
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = SecurityPolicy;
        headers["Referrer-Policy"] = "same-origin";
        // Parameters by nameof: a renamed parameter fails the build, not the page.
        if (q["partial"] == "results")
            return results is null
                ? Results.Unauthorized()
                : new RazorComponentResult<EditorLibrary>(new Dictionary<string, object?> { [nameof(EditorLibrary.View)] = view, [nameof(EditorLibrary.Results)] = results });
        return new RazorComponentResult<EditorDocument>(new Dictionary<string, object?>
        {
            [nameof(EditorDocument.View)] = view, [nameof(EditorDocument.Results)] = results, [nameof(EditorDocument.ReadsNeedToken)] = options.Value.RequireAuthForReads,
            [nameof(EditorDocument.TrashDays)] = options.Value.TrashDays,
            [nameof(EditorDocument.PasswordSignIn)] = sso.Value.PasswordSignIn,
            [nameof(EditorDocument.SingleSignOnName)] = sso.Value.Enabled ? sso.Value.Name : null,
        });
    }
}
