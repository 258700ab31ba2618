namespace MediaLibrary.Hosting;

/// <summary>
/// Reads KEY=VALUE lines from a .env file into the environment, as the system we replace did. Variables already
/// set win: the file fills gaps, it never overrides the real environment.
/// </summary>
public static class DotEnv
{
    public static int Load(string path)
    {
        if (!File.Exists(path)) return 0;
        var loaded = 0;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line["export ".Length..].TrimStart();
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\''))
                value = value[1..^1];
            else if (value.IndexOf(" #", StringComparison.Ordinal) is var comment and >= 0)
                value = value[..comment].TrimEnd();
            if (Environment.GetEnvironmentVariable(key) is not null) continue;
            Environment.SetEnvironmentVariable(key, value);
            loaded++;
        }
        return loaded;
    }
}
