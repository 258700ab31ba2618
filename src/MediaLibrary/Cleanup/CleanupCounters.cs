namespace MediaLibrary.Cleanup;

public sealed record CleanupCounters(long Attempts, long Successes, long Failures);
