using System.Security.Cryptography;
using System.Text;

namespace MediaLibrary.Imaging;

/// <summary>HMAC-SHA256 over the canonical transform, so that only sizes the site owner chose get rendered.</summary>
public sealed class TransformSigner(byte[] key)
{
    public string Sign(ImageTransform transform) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(transform.Canonical)).AsSpan(0, 16))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public bool Verify(ImageTransform transform, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(transform)), Encoding.ASCII.GetBytes(signature));

    public string SignedText(ImageTransform transform) => $"{transform.Canonical},s_{Sign(transform)}";
}
