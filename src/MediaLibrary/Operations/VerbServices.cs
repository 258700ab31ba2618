namespace MediaLibrary.Operations;

/// <summary>
/// Builds the services a verb works with: the service's own configuration (environment, .env), the database migrated,
/// no background work. Called only once a verb's arguments parsed, so that --help and usage errors touch nothing.
/// </summary>
public delegate Task<IServiceProvider> VerbServices(CancellationToken ct);
