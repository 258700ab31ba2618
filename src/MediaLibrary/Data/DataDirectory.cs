using System.Security.Cryptography;
using System.Text;

namespace MediaLibrary.Data;

/// <summary>The folder for everything the service keeps on disk: SQLite file, local storage, signing key.</summary>
public sealed class DataDirectory
{
    public DataDirectory(DataOptions options)
    {
        var configured = options.DataDir;
        Path = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured);
        // Created owner-only: it holds the password hashes, the signing keys and every stored file. An existing folder
        // keeps the mode its operator gave it.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Path);
        else if (!Directory.Exists(Path)) Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    /// <summary>A random 64-byte key kept in this folder (mode 600), created by whichever process needs it first.</summary>
    public byte[] LoadOrCreateKey(string fileName)
    {
        var path = System.IO.Path.Combine(Path, fileName);
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        var key = RandomNumberGenerator.GetBytes(64);
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, fileOptions);
            file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim()); // another process created it first
        }
    }
}
