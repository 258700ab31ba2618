namespace MediaLibrary.Data;

/// <summary>What kind of database failure an exception is, for an honest answer: a passing one, a full disk, or neither.</summary>
public enum DatabaseFaultKind
{
    /// <summary>Not the database's unavailability (a bug, a constraint): a 500 is the truth.</summary>
    None,

    /// <summary>The database is down, unreachable, restarting, overloaded or locked: retrying later can work.</summary>
    Unavailable,

    /// <summary>The database's disk is full: nothing can be written until space is made.</summary>
    DiskFull,
}
