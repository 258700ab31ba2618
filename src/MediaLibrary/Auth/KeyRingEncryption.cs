using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace MediaLibrary.Auth;

/// <summary>
/// Encrypts the data-protection key ring (kept in the database, so every node shares it) with AES-256-GCM under a key
/// derived from the token signing key. The database alone, a dump or a backup, then reveals no usable key; every node
/// already holds the signing key, since they must all validate each other's tokens.
/// </summary>
public sealed class KeyRingEncryption(JwtSigningKey signingKey) : IXmlEncryptor
{
    private const string Element = "encryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(Key(signingKey), tag.Length)) aes.Encrypt(nonce, plain, cipher, tag);
        var element = new XElement(Element,
            new XComment(" AES-256-GCM under a key derived from the token signing key "),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(cipher)));
        return new EncryptedXmlInfo(element, typeof(Decryptor));
    }

    private static byte[] Key(JwtSigningKey signingKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, signingKey.Key.Key, 32, info: "medialibrary data-protection key ring"u8.ToArray());

    /// <summary>Made by the data-protection system through its activator, which hands it the services.</summary>
    public sealed class Decryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var nonce = Convert.FromBase64String((string?)encryptedElement.Element("nonce") ?? "");
            var tag = Convert.FromBase64String((string?)encryptedElement.Element("tag") ?? "");
            var cipher = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
            var plain = new byte[cipher.Length];
            using (var aes = new AesGcm(Key(services.GetRequiredService<JwtSigningKey>()), tag.Length)) aes.Decrypt(nonce, cipher, tag, plain);
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
        }
    }
}
