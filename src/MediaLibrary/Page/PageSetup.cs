using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace MediaLibrary.Page;

public static class PageSetup
{
    /// <summary>The editors' page: Razor components rendered on the server as static HTML.</summary>
    public static IServiceCollection AddEditorPage(this IServiceCollection services)
    {
        services.AddRazorComponents();
        // The page's text in UTF-8 as written ("Ä", "“"), not as numeric references; markup characters are still escaped.
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        return services;
    }
}
