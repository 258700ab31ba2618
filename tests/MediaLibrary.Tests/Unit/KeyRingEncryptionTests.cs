using System.Security.Cryptography;
using System.Xml.Linq;
using MediaLibrary.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaLibrary.Tests.Unit;

public sealed class KeyRingEncryptionTests
{
    private static JwtSigningKey SigningKey(string secret) =>
        new(Options.Create(new AuthOptions { JwtSigningKey = secret }), data: null!);

    private static KeyRingEncryption.Decryptor DecryptorFor(JwtSigningKey key) =>
        new(new ServiceCollection().AddSingleton(key).BuildServiceProvider());

    private static readonly XElement Secret = XElement.Parse("<masterKey><value>c2VjcmV0LWtleS1tYXRlcmlhbA==</value></masterKey>");

    [Fact]
    public void AKey_EncryptedUnderTheSigningKey_DecryptsWithIt_AndShowsNothingOfItself()
    {
        var key = SigningKey("a-signing-key-that-is-long-enough-for-hs256");
        var encrypted = new KeyRingEncryption(key).Encrypt(Secret);
        Assert.Equal(typeof(KeyRingEncryption.Decryptor), encrypted.DecryptorType);
        Assert.DoesNotContain("c2VjcmV0", encrypted.EncryptedElement.ToString());
        Assert.Equal(Secret.ToString(), DecryptorFor(key).Decrypt(encrypted.EncryptedElement).ToString());
    }

    [Fact]
    public void AnotherSigningKey_OrAChangedCiphertext_CannotDecrypt()
    {
        var encrypted = new KeyRingEncryption(SigningKey("a-signing-key-that-is-long-enough-for-hs256")).Encrypt(Secret).EncryptedElement;
        Assert.ThrowsAny<CryptographicException>(() => DecryptorFor(SigningKey("another-signing-key-long-enough-for-hs256!")).Decrypt(encrypted));

        var tampered = new XElement(encrypted);
        var value = Convert.FromBase64String(tampered.Element("value")!.Value);
        value[0] ^= 1;
        tampered.Element("value")!.Value = Convert.ToBase64String(value);
        Assert.ThrowsAny<CryptographicException>(() => DecryptorFor(SigningKey("a-signing-key-that-is-long-enough-for-hs256")).Decrypt(tampered));
    }
}
