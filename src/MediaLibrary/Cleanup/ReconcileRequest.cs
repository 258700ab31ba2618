namespace MediaLibrary.Cleanup;

public sealed record ReconcileRequest(bool Apply, TimeSpan Grace, int BatchSize = 500);
