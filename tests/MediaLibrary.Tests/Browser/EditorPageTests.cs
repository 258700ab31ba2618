using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using MediaLibrary.Tests.Infrastructure;
using MediaLibrary.Tests.Process;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>
/// The real executable and a real headless Chromium (Debian's <c>chromium</c>, or MEDIALIB_CHROMIUM), driven by
/// Playwright. Screenshots of the main states go to TestResults/screenshots (MEDIALIB_SCREENSHOTS to change it).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    public const string Password = "browser-password-1";

    /// <summary>A website on another origin (a port of its own on loopback), listed in MEDIALIB_CORS_ORIGINS.</summary>
    public string SiteOrigin { get; } = $"http://localhost:{Ports.Free()}";

    /// <summary>A website on an origin the service does not list.</summary>
    public string StrangerOrigin { get; } = $"http://localhost:{Ports.Free()}";
    private ServiceProcess? _service;
    private IPlaywright? _playwright;

    /// <summary>The service's settings beyond the defaults every browser suite shares.</summary>
    protected virtual Task<Dictionary<string, string?>> MoreSettingsAsync() => Task.FromResult(new Dictionary<string, string?>());

    public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "medialib-browser-" + Guid.NewGuid().ToString("n")[..10]);
    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public string StorageRoot => Path.Combine(WorkDir, "data", "files");

    public static string ScreenshotDir
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("MEDIALIB_SCREENSHOTS");
            if (!string.IsNullOrEmpty(configured)) return configured;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaLibrary.slnx"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
        }
    }

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(WorkDir);
        var port = Ports.Free();
        BaseUrl = $"http://127.0.0.1:{port}";
        var settings = new Dictionary<string, string?>
        {
            ["MEDIALIB_ADMIN_PASSWORD"] = Password,
            ["MEDIALIB_TOKEN_RATE_LIMIT"] = "1000",
            ["MEDIALIB_CORS_ORIGINS"] = SiteOrigin,
        };
        foreach (var (key, value) in await MoreSettingsAsync()) settings[key] = value;
        _service = ServiceProcess.Start(WorkDir, settings, "--urls", BaseUrl);
        await _service.WaitForLineAsync("Now listening on:");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("MEDIALIB_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDir);
    }

    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(BaseUrl + "/");
        return page;
    }

    /// <summary>
    /// The stored originals. The page's thumbnails render sizes of other media whenever it loads, so a test that counts
    /// what one action stored counts originals, or the files under one media's own storage folder.
    /// </summary>
    public List<string> StoredOriginals() => StoredFiles().Where(f => Path.GetFileName(f) == "original").ToList();

    /// <summary>Every stored object, as files under the local storage folder.</summary>
    public List<string> StoredFiles() => Directory.Exists(StorageRoot)
        ? Directory.EnumerateFiles(StorageRoot, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(StorageRoot, f)).Where(f => !f.StartsWith(".tmp", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
        : [];

    public virtual async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_service is not null) await _service.DisposeAsync();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { }
    }
}

public sealed class EditorPageTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    internal static async Task SignInAsync(IPage page, string password = BrowserFixture.Password)
    {
        await page.Locator("#sign-in").GetByLabel("User name").FillAsync("admin");
        await page.Locator("#sign-in").GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        if (password == BrowserFixture.Password) await Assertions.Expect(page.Locator("#signed-in")).ToBeVisibleAsync();
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, name + ".png"), FullPage = true });

    private static ILocator Card(IPage page, string title) =>
        page.Locator(".card").Filter(new LocatorFilterOptions { Has = page.Locator("h3.title", new() { HasTextRegex = new Regex("^" + Regex.Escape(title) + "$") }) });

    private static async Task UploadAsync(IPage page, params (string Name, byte[] Bytes)[] files)
    {
        await page.Locator("#file-input").SetInputFilesAsync(files.Select(f => new FilePayload { Name = f.Name, MimeType = "application/octet-stream", Buffer = f.Bytes }));
    }

    /// <summary>The colour at the centre of the image as the browser decoded it.</summary>
    private static async Task<int[]> CentrePixelAsync(ILocator image) => await image.EvaluateAsync<int[]>("""
        async (img) => {
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.naturalWidth; c.height = img.naturalHeight;
          const g = c.getContext('2d');
          g.drawImage(img, 0, 0);
          const d = g.getImageData(c.width >> 1, c.height >> 1, 1, 1).data;
          return [d[0], d[1], d[2]];
        }
        """);

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition(), what);
    }

    [Fact]
    public async Task WrongPassword_ShowsAMessage_AndStaysSignedOut()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page, "not-the-password");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The user name or password is wrong." })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#upload")).ToBeHiddenAsync();
        await ShotAsync(page, "wrong-password");
    }

    [Fact]
    public async Task Upload_ManyFilesByPickerAndOneByDragAndDrop_EachWithProgress_AllVisible_ThenSearchFindsOne()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);

        await UploadAsync(page, ("harbour.jpg", TestFiles.Jpeg(800, 600, seed: 4)), ("meadow.jpg", TestFiles.Jpeg(600, 600, seed: 2)));
        await Assertions.Expect(page.Locator(".transfer.done")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Upload harbour.jpg" })).ToHaveAttributeAsync("value", new Regex("^[1-9]"));

        // Drag and drop: a real drop event carrying a file, as the browser fires it.
        var transfer = await page.EvaluateHandleAsync("""
            () => {
              const dt = new DataTransfer();
              const bytes = Uint8Array.from(atob('%PNG%'), c => c.charCodeAt(0));
              dt.items.add(new File([bytes], 'sunset.png'));
              return dt;
            }
            """.Replace("%PNG%", Convert.ToBase64String(TestFiles.Png(320, 200, 220, 120, 40)), StringComparison.Ordinal));
        await page.Locator("#drop-zone").DispatchEventAsync("drop", new Dictionary<string, object> { ["dataTransfer"] = transfer });
        await Assertions.Expect(page.Locator(".transfer.done")).ToHaveCountAsync(3);

        foreach (var title in new[] { "harbour", "meadow", "sunset" })
        {
            var card = Card(page, title);
            await Assertions.Expect(card).ToBeVisibleAsync();
            await Assertions.Expect(card.Locator(".meta")).ToContainTextAsync(title == "sunset" ? "image/png" : "image/jpeg");
            await Assertions.Expect(card.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("alt", title);
        }
        await Assertions.Expect(Card(page, "harbour").Locator(".meta")).ToContainTextAsync("800×600");
        Assert.True(await page.EvaluateAsync<bool>("() => [...document.images].every(i => i.alt.length > 0)"), "every image has alt text");
        await ShotAsync(page, "library");
        await page.ScreenshotAsync(new PageScreenshotOptions // the README's picture: the page without the passing status line
        {
            Path = Path.Combine(BrowserFixture.ScreenshotDir, "readme.png"), Style = ".status { display: none; }",
        });

        await page.GetByLabel("Search").FillAsync("meadow");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(1);
        await Assertions.Expect(Card(page, "meadow")).ToBeVisibleAsync();
        Assert.Contains("search=meadow", page.Url);
    }

    [Fact]
    public async Task ALargeFile_GoesInPieces_WithProgress_AndBecomesMedia()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        var pieces = new List<string>();
        page.Request += (_, request) => { if (request.Url.Contains("/api/uploads", StringComparison.Ordinal)) lock (pieces) pieces.Add(request.Method); };
        // 9 MiB: above the page's 8 MiB threshold, so three pieces of 4 MiB go through tus, each confirmed before the next.
        var bytes = new byte[9 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        "%PDF-1.4\n"u8.CopyTo(bytes);
        await UploadAsync(page, ("annual-report.pdf", bytes));
        await Assertions.Expect(page.Locator(".transfer.done")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Upload annual-report.pdf" })).ToHaveAttributeAsync("value", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        lock (pieces) Assert.Equal(["POST", "PATCH", "PATCH", "PATCH"], pieces);
        var card = Card(page, "annual-report");
        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".meta")).ToContainTextAsync("application/pdf");
    }

    [Fact]
    public async Task ALargeUploadCutOffByAReload_GoesOnFromTheServersOffset_WhenTheSameFileIsChosenAgain()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        // A file on disk, as an editor picks it: its name, size, type and time of last change say it is the same file.
        var bytes = new byte[10 * 1024 * 1024];
        new Random(5).NextBytes(bytes);
        "%PDF-1.4\n"u8.CopyTo(bytes);
        var path = Path.Combine(app.WorkDir, "product-film.pdf");
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
        // The second piece never gets an answer: the page is reloaded while it hangs.
        var patches = 0;
        await page.RouteAsync("**/api/uploads/*", async route =>
        {
            if (route.Request.Method == "PATCH" && Interlocked.Increment(ref patches) >= 2) return;
            await route.ContinueAsync();
        });
        await page.Locator("#file-input").SetInputFilesAsync(path);
        await Assertions.Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = "Upload product-film.pdf" })).ToHaveAttributeAsync("value", (4 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.IgnoreErrors });
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#signed-in")).ToBeVisibleAsync();

        var sent = new List<string>();
        page.Request += (_, request) => { if (request.Url.Contains("/api/uploads", StringComparison.Ordinal)) lock (sent) sent.Add(request.Method); };
        await page.Locator("#file-input").SetInputFilesAsync(path);
        await Assertions.Expect(page.Locator(".transfer.done")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        // No new upload: the offset asked for, and the two pieces that were missing.
        lock (sent) Assert.Equal(["HEAD", "PATCH", "PATCH"], sent);
        await Assertions.Expect(Card(page, "product-film")).ToBeVisibleAsync();
        using var http = new HttpClient();
        var list = await http.GetFromJsonAsync<JsonElement>($"{app.BaseUrl}/api/media?search=product-film", TestContext.Current.CancellationToken);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), list.GetProperty("results")[0].GetProperty("sha256").GetString());
        Assert.Equal("{}", await page.EvaluateAsync<string>("() => localStorage.getItem('medialib.resumable-uploads')"));
    }

    [Fact]
    public async Task Cancel_StopsAnUploadOnItsWay_AndNothingIsStored()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        var before = app.StoredOriginals();
        // Hold the upload in the network so that it is still on its way when Cancel is pressed.
        await page.RouteAsync("**/api/media", _ => Task.CompletedTask);
        await UploadAsync(page, ("slow.png", TestFiles.Png(100, 100)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel: Upload slow.png" }).ClickAsync();
        await Assertions.Expect(page.Locator(".transfer.failed")).ToContainTextAsync("Cancelled.");
        await page.UnrouteAllAsync();
        await page.ReloadAsync();
        await Assertions.Expect(Card(page, "slow")).ToHaveCountAsync(0);
        Assert.Equal(before, app.StoredOriginals());
    }

    [Fact]
    public async Task Keyboard_OpensAndClosesTheEditor_AndFocusReturns()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        await UploadAsync(page, ("keys.png", TestFiles.Png(60, 40, 10, 10, 200)));
        var edit = Card(page, "keys").GetByRole(AriaRole.Button, new() { Name = "Edit keys" });
        await edit.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.GetByLabel("Title")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(edit).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Keyboard_SignIn_LeavesTheFocusOnTheSession_NotOnThePage()
    {
        var page = await app.NewPageAsync();
        await page.Locator("#sign-in").GetByLabel("User name").FillAsync("admin");
        await page.Locator("#sign-in").GetByLabel("Password").FillAsync(BrowserFixture.Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#signed-in")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task ARefusedFile_ShowsTheRefusal_WithoutAFullProgressBar()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        var exe = new byte[4096];
        "MZ"u8.CopyTo(exe); // a Windows program by its bytes, whatever its name says
        await UploadAsync(page, ("setup.png", exe));
        var row = page.Locator(".transfer.failed");
        await Assertions.Expect(row).ToContainTextAsync("not accepted");
        await Assertions.Expect(row.Locator("progress")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Edit_TitleAndAltText_AreThereAfterAReload()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        await UploadAsync(page, ("draft.png", TestFiles.Png(200, 100, 200, 200, 40)));
        var card = Card(page, "draft");
        await card.GetByRole(AriaRole.Button, new() { Name = "Edit draft" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Title").FillAsync("Yellow banner");
        await dialog.GetByLabel("Alt text").FillAsync("A yellow banner on white");
        await ShotAsync(page, "edit");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();

        await page.ReloadAsync();
        var edited = Card(page, "Yellow banner");
        await Assertions.Expect(edited).ToBeVisibleAsync();
        await Assertions.Expect(edited.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("alt", "A yellow banner on white");
        await Assertions.Expect(Card(page, "draft")).ToHaveCountAsync(0);

        // A cleared title is refused in words, and nothing changes.
        await edited.GetByRole(AriaRole.Button, new() { Name = "Edit Yellow banner" }).ClickAsync();
        await dialog.GetByLabel("Title").FillAsync("   ");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("The title cannot be empty");
    }

    [Fact]
    public async Task Edit_AfterSomeoneElseChangedTheMedia_SavesNothing_AndSaysSo()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        await UploadAsync(page, ("contested.png", TestFiles.Png(120, 80, 40, 160, 200)));
        var card = Card(page, "contested");
        var id = long.Parse((await card.GetAttributeAsync("data-id"))!, System.Globalization.CultureInfo.InvariantCulture);
        await card.GetByRole(AriaRole.Button, new() { Name = "Edit contested" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Alt text").FillAsync("Mine: a blue square");

        // Another editor saves first, after this page showed the media.
        using var other = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        using (var signIn = await other.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = BrowserFixture.Password }, TestContext.Current.CancellationToken))
            other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                (await signIn.ReadAsync<MediaLibrary.Auth.TokenResponse>()).AccessToken);
        using (var theirs = await other.PatchAsJsonAsync($"/api/media/{id}", new { title = "Contested (theirs)", alt_text = "Theirs" }, TestContext.Current.CancellationToken))
            await theirs.ShouldBe(System.Net.HttpStatusCode.OK);

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Someone else changed “contested”");
        await Assertions.Expect(dialog.GetByLabel("Alt text")).ToHaveValueAsync("Mine: a blue square"); // the text typed is still there
        var kept = await other.GetFromJsonAsync<MediaLibrary.Delivery.MediaResponse>($"/api/media/{id}", HttpExtensions.Json, TestContext.Current.CancellationToken);
        Assert.Equal(("Contested (theirs)", "Theirs"), (kept!.Title, kept.AltText));

        // The cards now show their change; editing from there saves.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        var refreshed = Card(page, "Contested (theirs)");
        await refreshed.GetByRole(AriaRole.Button, new() { Name = "Edit Contested (theirs)" }).ClickAsync();
        await dialog.GetByLabel("Alt text").FillAsync("Mine after all");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        var saved = await other.GetFromJsonAsync<MediaLibrary.Delivery.MediaResponse>($"/api/media/{id}", HttpExtensions.Json, TestContext.Current.CancellationToken);
        Assert.Equal("Mine after all", saved!.AltText);
    }

    [Fact]
    public async Task Replace_ChangesTheDisplayedPixelsAtOnce()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        await UploadAsync(page, ("swatch.png", TestFiles.Png(400, 300, 230, 20, 20)));
        var image = Card(page, "swatch").GetByRole(AriaRole.Img);
        await Assertions.Expect(image).ToHaveAttributeAsync("src", new Regex("/v1/"));
        var before = await CentrePixelAsync(image);
        Assert.True(before[0] > 200 && before[2] < 60, $"red first: {string.Join(",", before)}");

        var chooser = await page.RunAndWaitForFileChooserAsync(() =>
            Card(page, "swatch").GetByRole(AriaRole.Button, new() { Name = "Replace swatch" }).ClickAsync());
        await chooser.SetFilesAsync(new FilePayload { Name = "swatch-blue.png", MimeType = "image/png", Buffer = TestFiles.Png(400, 300, 20, 20, 230) });
        await Assertions.Expect(image).ToHaveAttributeAsync("src", new Regex("/v2/"));
        var after = await CentrePixelAsync(image);
        Assert.True(after[2] > 200 && after[0] < 60, $"blue after the replace: {string.Join(",", after)}");
        await ShotAsync(page, "replaced");
    }

    [Fact]
    public async Task Delete_AfterConfirmation_IsGoneFromThePageAndFromStorage()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        var before = app.StoredFiles();
        await UploadAsync(page, ("obsolete.png", TestFiles.Png(500, 400, 90, 90, 90)));
        var card = Card(page, "obsolete");
        await Assertions.Expect(card.GetByRole(AriaRole.Img)).ToHaveJSPropertyAsync("complete", true);
        await EventuallyAsync(() => app.StoredOriginals().Except(before).Any(), "the original is stored");
        // Its own folder: the storage id, the first segment of its original's key.
        var folder = app.StoredOriginals().Except(before).Single().Split(Path.DirectorySeparatorChar)[0] + Path.DirectorySeparatorChar;
        await EventuallyAsync(() => app.StoredFiles().Count(f => f.StartsWith(folder, StringComparison.Ordinal)) >= 2, "the original and a rendered size are stored");

        await card.GetByRole(AriaRole.Button, new() { Name = "Delete obsolete" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Delete “obsolete”?");
        await ShotAsync(page, "delete-confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(card).ToBeVisibleAsync(); // cancelling keeps it

        await card.GetByRole(AriaRole.Button, new() { Name = "Delete obsolete" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Deleted “obsolete”.");
        // The original and every stored size went with the deletion; a size the card's <img> was still having rendered
        // finishes after it and removes its own object then (its claim was retired with the media).
        Assert.Equal(before.Where(f => Path.GetFileName(f) == "original"), app.StoredOriginals());
        await EventuallyAsync(() => !app.StoredFiles().Any(f => f.StartsWith(folder, StringComparison.Ordinal)), "nothing of it is left in storage");
        await page.ReloadAsync();
        await Assertions.Expect(Card(page, "obsolete")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SignOut_EndsTheTokenOnTheService_NotOnlyInThePage()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        var token = await page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('medialibrary.session')).token");
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        Assert.Equal(System.Net.HttpStatusCode.NoContent, await TokenCheckAsync(http, token));

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        // Someone who copied the token is out as well.
        for (var i = 0; i < 50 && await TokenCheckAsync(http, token) != System.Net.HttpStatusCode.Unauthorized; i++) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, await TokenCheckAsync(http, token));
    }

    /// <summary>An authenticated call that changes nothing: 204 while the token stands, 401 after.</summary>
    internal static async Task<System.Net.HttpStatusCode> TokenCheckAsync(HttpClient http, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/files-cookie");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task ExpiredSession_ReturnsToSignIn_WithAMessage()
    {
        var page = await app.NewPageAsync();
        await SignInAsync(page);
        await page.EvaluateAsync("""
            () => {
              const s = JSON.parse(sessionStorage.getItem('medialibrary.session'));
              s.expires = Date.now() - 1000;
              sessionStorage.setItem('medialibrary.session', JSON.stringify(s));
            }
            """);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your session has expired");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#upload")).ToBeHiddenAsync();

        // A token the server no longer accepts: the first change says so and returns to sign-in.
        await SignInAsync(page);
        await page.EvaluateAsync("""
            () => {
              const s = JSON.parse(sessionStorage.getItem('medialibrary.session'));
              s.token = s.token.slice(0, -4) + 'AAAA';
              sessionStorage.setItem('medialibrary.session', JSON.stringify(s));
            }
            """);
        await UploadAsync(page, ("late.png", TestFiles.Png(10, 10)));
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Your session has expired" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task PhoneWidth_HasNoSidewaysScrolling_AndCopyPutsTheUrlOnTheClipboard()
    {
        var page = await app.NewPageAsync(390, 844);
        await SignInAsync(page);
        await UploadAsync(page, ("pocket.png", TestFiles.Png(300, 200, 120, 40, 160)));
        var card = Card(page, "pocket");
        await Assertions.Expect(card).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling at 390 px");
        await ShotAsync(page, "phone");

        await card.GetByRole(AriaRole.Button, new() { Name = "Copy URL pocket" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Copied the URL of “pocket”");
        var copied = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.Equal(await card.GetAttributeAsync("data-url"), copied);
        Assert.Matches(@"/files/\d+/v1/pocket\.png$", copied);
    }

    [Fact]
    public async Task WithoutJavaScript_TheLibraryStillReads_AndSearches()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var ct = TestContext.Current.CancellationToken;
        using var login = await http.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = BrowserFixture.Password }, ct);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await http.PostAsync("/api/media", TestFiles.Form(TestFiles.Png(64, 48, 10, 120, 90), "plain-html.png"), ct)).EnsureSuccessStatusCode();

        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/?ordering=title");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Library", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Sort")).ToHaveValueAsync("title");
        await Assertions.Expect(page.Locator("#upload")).ToBeHiddenAsync();
        await page.GetByLabel("Search").FillAsync("plain-html");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync(); // a plain GET form
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(1);
        await Assertions.Expect(Card(page, "plain-html").Locator(".meta")).ToContainTextAsync("64×48");
        Assert.Contains("search=plain-html", page.Url);
        await context.CloseAsync();
    }
}
