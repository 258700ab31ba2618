using MediaLibrary.Storage.Cloudinary;

namespace MediaLibrary.Tests.Unit;

/// <summary>The known vectors (Cloudinary's documentation and SDKs).</summary>
public sealed class CloudinarySignatureTests
{
    [Theory]
    [InlineData("eager=w_400,h_300,c_pad|w_260,h_200,c_crop&public_id=sample_image&timestamp=1315060510", "abcd", "sha1", "bfd09f95f331f558cbd1320e67aa8d488770583e")]
    [InlineData("public_id=sample_image&timestamp=1315060510", "abcd", "sha1", "b4ad47fb4e25c7bf5f92a20089f9db59bc302313")]
    [InlineData("public_id=sample&timestamp=1315060510", "abcd", "sha1", "c3470533147774275dd37996cc4d0e68fd03cd4f")]
    [InlineData("cloud_name=dn6ot3ged&timestamp=1568810420&username=user@cloudinary.com", "hdcixPpR2iKERPwqvH6sHdK9cyac", "sha1", "14c00ba6d0dfdedbc86b316847d95b9e6cd46d94")]
    [InlineData("cloud_name=dn6ot3ged&timestamp=1568810420&username=user@cloudinary.com", "hdcixPpR2iKERPwqvH6sHdK9cyac", "sha256", "45ddaa4fa01f0c2826f32f669d2e4514faf275fe6df053f1a150e7beae58a3bd")]
    public void Digest_MatchesTheKnownVectors(string stringToSign, string secret, string algorithm, string expected) =>
        Assert.Equal(expected, CloudinarySignature.Digest(stringToSign + secret, algorithm));

    [Fact]
    public void StringToSign_SortsSkipsUnsignedAndEmptyParameters()
    {
        var parameters = new Dictionary<string, string>
        {
            ["timestamp"] = "1315060510", ["public_id"] = "sample_image", ["api_key"] = "1234", ["file"] = "data",
            ["resource_type"] = "image", ["cloud_name"] = "demo", ["eager"] = "w_400,h_300,c_pad|w_260,h_200,c_crop", ["tags"] = "",
        };
        Assert.Equal("eager=w_400,h_300,c_pad|w_260,h_200,c_crop&public_id=sample_image&timestamp=1315060510", CloudinarySignature.StringToSign(parameters));
        Assert.Equal("bfd09f95f331f558cbd1320e67aa8d488770583e", CloudinarySignature.Sign(parameters, "abcd"));
    }
}
