using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using MediaLibrary.Delivery;
using MediaLibrary.Media;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Page;

/// <summary>
/// The editors' page at <c>/</c>. The server renders the library (grid, search, type filter, sort, pages) so that it
/// reads without JavaScript; <c>/app/editor.js</c> adds sign-in, upload, edit, replace, delete and copy on top, through
/// the same client module websites use, and swaps in fresh results from <c>/?partial=results</c> after each change.
/// </summary>
public static class EditorPage
{
    public const int PageSize = 24;

    private static readonly (string Value, string Label)[] Types =
        [("", "All types"), ("image/*", "Images"), ("video/*", "Videos"), ("audio/*", "Audio"), ("application/*", "Documents"), ("text/*", "Text")];

    private static readonly (string Value, string Label, MediaOrdering Ordering)[] Orderings =
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

    public static async Task<IResult> Render(HttpContext http, MediaQueries media, MediaUrls urls, IOptions<MediaOptions> options, CancellationToken ct)
    {
        var q = http.Request.Query;
        // The API refuses what it cannot search for; the page drops it instead (control characters, over-long text).
        var search = new string((((string?)q["search"]) ?? "").Where(c => !char.IsControl(c)).Take(MediaSearch.MaxLength).ToArray()).Trim();
        var type = Types.Any(t => t.Value == q["type"]) ? (string)q["type"]! : "";
        var ordering = Orderings.FirstOrDefault(o => o.Value == q["ordering"]);
        if (ordering.Value is null) ordering = Orderings[0];
        var page = int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 1_000_000 ? p : 1;
        var view = new View(search, type, ordering.Value, page);

        // When reads need a token, the server renders the page without the library; the script loads it after sign-in.
        var mayRead = !options.Value.RequireAuthForReads || http.User.Identity?.IsAuthenticated == true;
        var results = new StringBuilder();
        if (mayRead)
        {
            var list = await media.ListAsync(new MediaQuery(page, PageSize, search.Length == 0 ? null : search, type.Length == 0 ? null : type, ordering.Ordering), ct);
            WriteResults(results, http.Request, urls, view, list);
        }
        else
        {
            results.Append("<p class=\"empty\">Sign in to see the library.</p>");
        }

        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = SecurityPolicy;
        headers["Referrer-Policy"] = "same-origin";
        if (q["partial"] == "results")
            return mayRead ? Results.Content(results.ToString(), "text/html; charset=utf-8") : Results.Unauthorized();
        return Results.Content(Document(view, results.ToString(), options.Value.RequireAuthForReads), "text/html; charset=utf-8");
    }

    private sealed record View(string Search, string Type, string Ordering, int Page)
    {
        public string Query(int page)
        {
            var parts = new List<string>();
            if (Search.Length > 0) parts.Add("search=" + Uri.EscapeDataString(Search));
            if (Type.Length > 0) parts.Add("type=" + Uri.EscapeDataString(Type));
            if (Ordering != "-created_at") parts.Add("ordering=" + Uri.EscapeDataString(Ordering));
            if (page > 1) parts.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
            return parts.Count == 0 ? "/" : "/?" + string.Join('&', parts);
        }
    }

    private static string H(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    private static void WriteResults(StringBuilder html, HttpRequest request, MediaUrls urls, View view, MediaPage list)
    {
        var (count, items) = (list.Count, list.Items);
        // A search that matched more than the service counts has no last page to name.
        var pages = list.CountExact ? Math.Max(1, (count + PageSize - 1) / PageSize) : (int?)null;
        if (list.CountExact) html.Append(CultureInfo.InvariantCulture, $"<p class=\"count\" id=\"result-count\">{count} {(count == 1 ? "item" : "items")}");
        else html.Append(CultureInfo.InvariantCulture, $"<p class=\"count\" id=\"result-count\">More than {count:N0} items");
        if (view.Search.Length > 0) html.Append(CultureInfo.InvariantCulture, $" matching “{H(view.Search)}”");
        html.Append("</p>");
        if (items.Count == 0)
        {
            html.Append(count == 0 && view.Search.Length == 0 && view.Type.Length == 0
                ? "<p class=\"empty\">The library is empty. Sign in and upload the first file.</p>"
                : "<p class=\"empty\">Nothing matches.</p>");
        }
        else
        {
            html.Append("<ul class=\"grid\" id=\"grid\">");
            foreach (var m in items) WriteCard(html, urls.Response(request, m));
            html.Append("</ul>");
        }
        if (view.Page > 1 || list.Next is not null)
        {
            html.Append("<nav class=\"pager\" aria-label=\"Pages\">");
            html.Append(view.Page > 1 ? $"<a href=\"{H(view.Query(view.Page - 1))}\" rel=\"prev\">Previous</a>" : "<span></span>");
            html.Append(CultureInfo.InvariantCulture, $"<span>Page {view.Page}{(pages is { } n ? $" of {n}" : "")}</span>");
            html.Append(list.Next is not null ? $"<a href=\"{H(view.Query(view.Page + 1))}\" rel=\"next\">Next</a>" : "<span></span>");
            html.Append("</nav>");
        }
    }

    private static void WriteCard(StringBuilder html, MediaResponse m)
    {
        var alt = m.AltText.Length > 0 ? m.AltText : m.Title;
        html.Append(CultureInfo.InvariantCulture,
            $"<li class=\"card\" data-id=\"{m.Id}\" data-title=\"{H(m.Title)}\" data-alt=\"{H(m.AltText)}\" data-url=\"{H(m.Url)}\">");
        var background = m.DominantColor is { } colour ? $" style=\"background-color:{H(colour)}\"" : "";
        html.Append(CultureInfo.InvariantCulture, $"<a class=\"thumb\" href=\"{H(m.Url)}\"{background}>");
        if (m.Variants.Count > 0)
        {
            var first = m.Variants[0];
            var srcset = string.Join(", ", m.Variants.Select(v => $"{v.Url} {v.Width}w"));
            html.Append(CultureInfo.InvariantCulture,
                $"<img src=\"{H(first.Url)}\" srcset=\"{H(srcset)}\" sizes=\"(max-width: 600px) 50vw, 240px\" width=\"{first.Width}\" height=\"{first.Height}\" alt=\"{H(alt)}\" loading=\"lazy\">");
        }
        else if (m.ContentType.StartsWith("image/", StringComparison.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<img src=\"{H(m.Url)}\" alt=\"{H(alt)}\" loading=\"lazy\">");
        }
        else
        {
            var label = m.ContentType.Split('/')[^1].Split('.')[^1].Split('-')[^1];
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"file-icon\" role=\"img\" aria-label=\"{H(alt)}\">{H(label.Length > 8 ? label[..8] : label)}</span>");
        }
        html.Append("</a>");
        html.Append(CultureInfo.InvariantCulture, $"<h3 class=\"title\">{H(m.Title)}</h3>");
        var dimensions = m.Width is { } w && m.Height is { } h ? $" · {w}×{h}" : "";
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">{H(m.ContentType)} · {H(Size(m.Size))}{dimensions}</p>");
        html.Append("<div class=\"actions editor-only\">");
        foreach (var (action, label) in new[] { ("edit", "Edit"), ("replace", "Replace"), ("copy", "Copy URL"), ("delete", "Delete") })
            html.Append(CultureInfo.InvariantCulture,
                $"<button type=\"button\" data-action=\"{action}\" aria-label=\"{label} {H(m.Title)}\"{(action == "delete" ? " class=\"danger\"" : "")}>{label}</button>");
        html.Append("</div></li>");
    }

    /// <summary>A size as people read it: "812 bytes", "48.2 KB", "3.1 MB".</summary>
    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };

    private static string Document(View view, string results, bool readsNeedToken)
    {
        var types = string.Concat(Types.Select(t => $"<option value=\"{H(t.Value)}\"{(t.Value == view.Type ? " selected" : "")}>{H(t.Label)}</option>"));
        var orderings = string.Concat(Orderings.Select(o => $"<option value=\"{H(o.Value)}\"{(o.Value == view.Ordering ? " selected" : "")}>{H(o.Label)}</option>"));
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Media library</title>
            <link rel="stylesheet" href="/app/editor.css">
            <script type="module" src="/app/editor.js"></script>
            </head>
            <body data-reads-need-token="{{(readsNeedToken ? "true" : "false")}}">
            <a class="skip" href="#results">Skip to the library</a>
            <header class="top">
              <h1>Media library</h1>
              <div class="session">
                <form id="sign-in" class="sign-in" hidden>
                  <label for="username">User name</label>
                  <input id="username" name="username" autocomplete="username" required>
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required>
                  <button type="submit">Sign in</button>
                </form>
                <p id="signed-in" class="signed-in" hidden>Signed in as <strong id="who"></strong> <button type="button" id="sign-out">Sign out</button></p>
              </div>
            </header>
            <noscript><p class="notice">Browsing works without JavaScript; signing in and editing need it.</p></noscript>
            <p id="session-message" class="notice" role="alert" hidden></p>
            <main>
              <section id="upload" class="upload editor-only" aria-labelledby="upload-heading">
                <h2 id="upload-heading">Upload</h2>
                <div id="drop-zone" class="drop-zone">
                  <p>Drag files here, or</p>
                  <label class="button" for="file-input">Choose files…</label>
                  <input id="file-input" type="file" multiple>
                </div>
                <ul id="uploads" class="uploads" aria-label="Uploads"></ul>
              </section>
              <section aria-labelledby="library-heading">
                <h2 id="library-heading">Library</h2>
                <form id="filters" class="filters" method="get" action="/" role="search">
                  <label>Search <input type="search" name="search" value="{{H(view.Search)}}" placeholder="Title, alt text or file name"></label>
                  <label>Type <select name="type">{{types}}</select></label>
                  <label>Sort <select name="ordering">{{orderings}}</select></label>
                  <button type="submit">Show</button>
                </form>
                <div id="results" aria-live="polite">{{results}}</div>
              </section>
            </main>
            <p id="status" class="status" role="status" aria-live="polite"></p>
            <dialog id="edit-dialog" aria-labelledby="edit-heading">
              <form id="edit-form" method="dialog">
                <h2 id="edit-heading">Edit</h2>
                <label for="edit-title">Title</label>
                <input id="edit-title" name="title" required maxlength="{{MediaRules.MaxTitleLength}}">
                <label for="edit-alt">Alt text <small>(describes the image for people who cannot see it)</small></label>
                <textarea id="edit-alt" name="alt_text" rows="3" maxlength="{{MediaRules.MaxAltTextLength}}"></textarea>
                <p id="edit-error" class="error" role="alert"></p>
                <div class="buttons"><button type="button" id="edit-cancel">Cancel</button><button type="submit" id="edit-save">Save</button></div>
              </form>
            </dialog>
            <dialog id="delete-dialog" aria-labelledby="delete-heading">
              <form id="delete-form" method="dialog">
                <h2 id="delete-heading">Delete?</h2>
                <p id="delete-text"></p>
                <p id="delete-error" class="error" role="alert"></p>
                <div class="buttons"><button type="button" id="delete-cancel">Cancel</button><button type="submit" id="delete-confirm" class="danger">Delete</button></div>
              </form>
            </dialog>
            <input id="replace-input" type="file" hidden aria-label="Replacement file">
            </body>
            </html>
            """;
    }
}
