using System.Reflection;
using NetArchTest.Rules;

namespace MediaLibrary.Tests.Architecture;

/// <summary>
/// The declared direction between feature folders (namespaces below a root): what each may use. A folder not named
/// here may not be used by anyone, and every folder found in the assembly must be named, so a new folder has to be
/// placed in the direction before it compiles green.
/// </summary>
internal static class Layers
{
    /// <summary>
    /// Storage ← Cleanup ← Imaging ← Media ← Delivery, Uploads ← Webhooks ← Page, Operations, Hosting (Api beside Webhooks); Auth, Data and Web beside.
    /// Storage uses nothing. Cleanup uses Storage and Data only (it learns about rows through IStorageReferences).
    /// Web is the HTTP kernel (problem exceptions, headers) and uses nothing. Auth uses Data and Web. Data holds the
    /// entities of the others for the DbContext, and nothing else of theirs (EntityRule).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> MediaLibrary = new Dictionary<string, string[]>
    {
        ["Storage"] = [],
        ["Web"] = [],
        ["Auth"] = ["Data", "Web"],
        ["Data"] = ["Auth", "Cleanup", "Media", "Uploads", "Webhooks"],
        ["Cleanup"] = ["Storage", "Data"],
        ["Imaging"] = ["Storage", "Cleanup", "Data", "Auth", "Web"],
        ["Media"] = ["Storage", "Cleanup", "Imaging", "Data", "Auth", "Web"],
        ["Delivery"] = ["Storage", "Cleanup", "Imaging", "Media", "Data", "Auth", "Web"],
        ["Uploads"] = ["Storage", "Cleanup", "Imaging", "Media", "Data", "Auth", "Web"],
        ["Webhooks"] = ["Storage", "Cleanup", "Imaging", "Media", "Delivery", "Data", "Auth", "Web"],
        ["Api"] = ["Storage", "Cleanup", "Imaging", "Media", "Delivery", "Uploads", "Data", "Auth", "Web"],
        ["Page"] = ["Storage", "Cleanup", "Imaging", "Media", "Delivery", "Uploads", "Webhooks", "Data", "Auth", "Web"],
        ["Operations"] = ["Storage", "Cleanup", "Imaging", "Media", "Delivery", "Uploads", "Webhooks", "Data", "Auth", "Web"],
        ["Hosting"] = ["Storage", "Cleanup", "Imaging", "Media", "Delivery", "Uploads", "Webhooks", "Data", "Auth", "Web"],
    };

    /// <summary>
    /// Every use of a folder that the direction does not allow, as "Type uses Namespace (Folder may use: …)"; and every
    /// folder of the assembly that the direction does not name.
    /// </summary>
    public static List<string> Violations(Assembly assembly, string root, IReadOnlyDictionary<string, string[]> allowed)
    {
        var violations = new List<string>();
        var folders = assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith(root + ".", StringComparison.Ordinal))
            .Select(n => n[(root.Length + 1)..].Split('.')[0]).Distinct().ToList();
        foreach (var unnamed in folders.Where(f => !allowed.ContainsKey(f)))
            violations.Add($"{root}.{unnamed} is in no layer: add it to the direction (and README's Architecture section)");

        foreach (var (folder, may) in allowed)
        {
            foreach (var other in allowed.Keys.Where(o => o != folder && !may.Contains(o)))
            {
                // A folder is its namespace and those below it, never a namespace that only starts alike: MediaLibrary.Web is
                // not MediaLibrary.Webhooks. So the other folder's uses are named type by type.
                var otherTypes = assembly.GetTypes().Where(t => InFolder(t.Namespace, $"{root}.{other}")).Select(t => t.FullName!).ToArray();
                if (otherTypes.Length == 0) continue;
                var result = Types.InAssembly(assembly).That().ResideInNamespaceMatching($"^{System.Text.RegularExpressions.Regex.Escape($"{root}.{folder}")}(\\..*)?$")
                    .ShouldNot().HaveDependencyOnAny(otherTypes).GetResult();
                if (result.IsSuccessful) continue;
                violations.AddRange(result.FailingTypeNames.Select(type =>
                    $"{type} uses {root}.{other}, against the direction ({folder} may use: {(may.Length == 0 ? "nothing" : string.Join(", ", may))})"));
            }
        }
        return violations;
    }

    private static bool InFolder(string? ns, string folder) =>
        ns is not null && (ns == folder || ns.StartsWith(folder + ".", StringComparison.Ordinal));
}
