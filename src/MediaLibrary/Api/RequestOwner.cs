using System.Security.Claims;
using MediaLibrary.Auth;

namespace MediaLibrary.Api;

/// <summary>Whose a request's own things are (its Idempotency-Keys, its resumable uploads): the user, or the API key.</summary>
public static class RequestOwner
{
    /// <summary>The user's id (a token's subject), or "key:{id}" for an API key, which has no user.</summary>
    public static string Of(ClaimsPrincipal user) =>
        user.FindFirst(ApiKeyAuthentication.KeyIdClaim)?.Value is { } key ? "key:" + key : user.FindFirst("sub")?.Value ?? "";
}
