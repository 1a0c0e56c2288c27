namespace FieldTheory.Theory.Benchmarks;

/// <summary>Where the Python baselines (tests/baselines) and the interpreter that runs them are found.</summary>
internal static class Baselines
{
    /// <summary>
    /// A baseline script: from <c>FTC_BASELINES</c> when set (a published copy of this program, as on the GPU machine),
    /// else from the source tree beside the build output.
    /// </summary>
    public static string Script(string name) =>
        Environment.GetEnvironmentVariable("FTC_BASELINES") is { Length: > 0 } folder
            ? Path.Combine(folder, name)
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../baselines", name));

    /// <summary>
    /// The interpreter: <c>FTC_PYTHON</c> when set, else Debian's /usr/bin/python3 (which has python3-numpy here),
    /// else whatever <c>python3</c> is on the PATH.
    /// </summary>
    public static string Python =>
        Environment.GetEnvironmentVariable("FTC_PYTHON") is { Length: > 0 } python ? python
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}
