using System.Security.Cryptography;
using System.Text;
using MediaLibrary.Uploads;

namespace MediaLibrary.Tests.Unit;

/// <summary>The SHA-256 whose state is saved between pieces: the same digests as .NET's, however the bytes are split.</summary>
public class ResumableSha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void KnownVectors(string text, string digest)
    {
        var hash = new ResumableSha256();
        hash.Append(Encoding.ASCII.GetBytes(text));
        Assert.Equal(digest, hash.HexDigest());
    }

    [Fact]
    public void AnySplit_SavedAndRestoredBetweenPieces_GivesDotNetsDigest()
    {
        var random = new Random(7);
        foreach (var length in new[] { 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 100_003 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            for (var trial = 0; trial < 5; trial++)
            {
                var state = new ResumableSha256().Save();
                var at = 0;
                while (at < length)
                {
                    var piece = Math.Min(length - at, random.Next(0, 200));
                    var hash = ResumableSha256.Restore(state);
                    hash.Append(data.AsSpan(at, piece));
                    at += piece;
                    Assert.Equal(at, hash.Length);
                    state = hash.Save();
                    Assert.True(state.Length <= 105);
                }
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), ResumableSha256.Restore(state).HexDigest());
            }
        }
    }

    [Fact]
    public void TheDigest_LeavesTheStateAsItWas()
    {
        var hash = new ResumableSha256();
        hash.Append("hello "u8);
        var before = hash.Save();
        _ = hash.HexDigest();
        Assert.Equal(before, hash.Save());
        hash.Append("world"u8);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("hello world"u8)), hash.HexDigest());
    }

    [Fact]
    public void OnLinux_LibcryptoCompressesTheBlocks_AsTheManagedLoopDoes()
    {
        Assert.Equal(OperatingSystem.IsLinux(), Sha256Blocks.Available);
        if (!Sha256Blocks.Available) return;
        var random = new Random(11);
        foreach (var blocks in new[] { 1, 2, 17, 1024 })
        {
            var data = new byte[64 * blocks];
            random.NextBytes(data);
            var native = ResumableSha256.InitialState();
            var managed = ResumableSha256.InitialState();
            Sha256Blocks.Compress(native, data);
            ResumableSha256.CompressManaged(managed, data);
            Assert.Equal(managed, native);
        }
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2, 0, 0 })]
    public void AnythingButASavedState_IsRefused(byte[] state) => Assert.Throws<FormatException>(() => ResumableSha256.Restore(state));

    [Fact]
    public void AStateWhoseLengthDisagreesWithItsBufferedBytes_IsRefused()
    {
        var hash = new ResumableSha256();
        hash.Append(new byte[10]);
        var state = hash.Save();
        state[40] ^= 1; // the length's last byte
        Assert.Throws<FormatException>(() => ResumableSha256.Restore(state));
    }
}
