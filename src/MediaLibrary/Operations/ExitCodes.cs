namespace MediaLibrary.Operations;

/// <summary>What the executable returns; README's Command line section lists them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The work failed: a check found a problem, a file did not move, a user change was refused, the service could not start.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong: an unknown verb or option, a missing or malformed value. Nothing was done.</summary>
    public const int Usage = 2;
}
