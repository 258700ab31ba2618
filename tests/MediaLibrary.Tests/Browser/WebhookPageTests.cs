using System.Text.Json;
using MediaLibrary.Tests.Api;
using MediaLibrary.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MediaLibrary.Tests.Browser;

/// <summary>The service with a webhook receiver on loopback (allowed by MEDIALIB_WEBHOOK_ALLOWED_NETWORKS), in Chromium.</summary>
public sealed class WebhookPageFixture : BrowserFixture
{
    public WebhookTests.Receiver Receiver { get; private set; } = null!;

    protected override async Task<Dictionary<string, string?>> MoreSettingsAsync()
    {
        Receiver = await WebhookTests.Receiver.StartAsync();
        return new Dictionary<string, string?> { ["MEDIALIB_WEBHOOK_ALLOWED_NETWORKS"] = "127.0.0.0/8", ["MEDIALIB_WEBHOOK_POLL_MILLISECONDS"] = "200" };
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Receiver is not null) await Receiver.DisposeAsync();
    }
}

public sealed class WebhookPageTests(WebhookPageFixture app) : IClassFixture<WebhookPageFixture>
{
    [Fact]
    public async Task AnAdmin_AddsAnEndpoint_SeesItsSecretOnce_WatchesADelivery_SendsItAgain_AndDeletesIt()
    {
        var page = await app.NewPageAsync();
        await EditorPageTests.SignInAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Webhooks" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Webhooks" });
        await Assertions.Expect(dialog).ToBeVisibleAsync();

        var path = "/site/" + Guid.NewGuid().ToString("n")[..8];
        var url = app.Receiver.BaseUrl + path;
        await dialog.GetByLabel("URL").FillAsync(url);
        await dialog.GetByLabel("Description").FillAsync("Next.js revalidation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        var secret = dialog.GetByLabel("Signing secret, shown this once");
        await Assertions.Expect(secret).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
        var item = dialog.Locator(".webhook-item", new() { HasText = url });
        await Assertions.Expect(item).ToContainTextAsync("active · * · Next.js revalidation");

        // A private address is refused with the service's reason, and nothing is added.
        await dialog.GetByLabel("URL").FillAsync("http://10.9.8.7/hook");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await Assertions.Expect(dialog.Locator("#webhooks-error")).ToContainTextAsync("private or link-local");
        await Assertions.Expect(dialog.Locator(".webhook-item")).ToHaveCountAsync(1);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        // An upload on the page reaches the receiver; the deliveries say so, and "Send again" sends the same message.
        var title = "hooked" + Guid.NewGuid().ToString("n")[..6];
        await page.Locator("#file-input").SetInputFilesAsync(new FilePayload { Name = title + ".png", MimeType = "image/png", Buffer = TestFiles.Png(8, 6) });
        await Assertions.Expect(page.Locator(".card h3.title", new() { HasText = title })).ToBeVisibleAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (app.Receiver.At(path).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        var first = Assert.Single(app.Receiver.At(path));
        Assert.Equal(title, JsonDocument.Parse(first.Body).RootElement.GetProperty("data").GetProperty("media").GetProperty("title").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Webhooks" }).ClickAsync();
        // The receiver has the request a moment before its outcome is recorded: list again until it is.
        var delivery = dialog.Locator(".delivery-item").First;
        deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await item.GetByRole(AriaRole.Button, new() { Name = $"Deliveries {url}" }).ClickAsync();
            await Assertions.Expect(delivery).ToContainTextAsync("media.created");
        }
        while (!(await delivery.TextContentAsync())!.Contains("delivered") && DateTime.UtcNow < deadline);
        await Assertions.Expect(delivery).ToContainTextAsync("delivered · 1 attempt · last answer 200");
        await delivery.GetByRole(AriaRole.Button).ClickAsync();
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (app.Receiver.At(path).Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal(first.Id, app.Receiver.At(path)[1].Id);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "webhooks.png"), FullPage = true });

        // A test event goes out and is listed with the deliveries.
        await item.GetByRole(AriaRole.Button, new() { Name = $"Send test {url}" }).ClickAsync();
        await Assertions.Expect(dialog.Locator(".delivery-item").First).ToContainTextAsync("webhook.test");
        deadline = DateTime.UtcNow.AddSeconds(20);
        while (app.Receiver.At(path).Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Equal("webhook.test", JsonDocument.Parse(app.Receiver.At(path)[2].Body).RootElement.GetProperty("type").GetString());

        // A new secret: asked once more, shown once, and the list says the old one still signs for a day.
        var rotate = item.GetByRole(AriaRole.Button, new() { Name = $"New secret {url}" });
        await rotate.ClickAsync();
        await Assertions.Expect(rotate).ToHaveTextAsync("Sign with a new secret? The old one works 24 hours more");
        var firstSecret = await secret.InputValueAsync();
        await rotate.ClickAsync();
        await Assertions.Expect(secret).Not.ToHaveValueAsync(firstSecret);
        await Assertions.Expect(secret).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
        await Assertions.Expect(item).ToContainTextAsync("the old secret also signs until");

        await item.GetByRole(AriaRole.Button, new() { Name = $"Disable {url}" }).ClickAsync();
        await Assertions.Expect(item).ToContainTextAsync("disabled");
        var delete = item.GetByRole(AriaRole.Button, new() { Name = $"Delete {url}" });
        await delete.ClickAsync();
        await Assertions.Expect(delete).ToHaveTextAsync("Delete it and its deliveries?"); // asks once more on itself
        await delete.ClickAsync();
        await Assertions.Expect(dialog.Locator(".webhook-item")).ToHaveCountAsync(0);
    }
}
