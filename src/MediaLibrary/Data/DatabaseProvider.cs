namespace MediaLibrary.Data;

/// <summary>Which database holds the data: SQLite (one node) or PostgreSQL (one or several).</summary>
public enum DatabaseProvider { Sqlite, Postgres }
