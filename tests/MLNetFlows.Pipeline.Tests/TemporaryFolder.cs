namespace MLNetFlows.Pipeline.Tests;

/// <summary>A folder under the system temp folder, deleted with its contents on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mlnf-pipeline-").FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
