using MediaLibrary.Auth;

namespace MediaLibrary.Tests.Unit;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.5", "203.0.113.5")]
    [InlineData("::ffff:203.0.113.5", "203.0.113.5")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64")]
    public void TheSignInLimit_CountsAnIPv6ClientByIts64(string address, string counted)
    {
        Assert.Equal(counted, AuthSetup.ClientOf(System.Net.IPAddress.Parse(address)));
    }
}
