using System.Diagnostics;
using System.Globalization;

namespace MLExtensions.Benchmarks;

/// <summary>
/// CPU time that other processes (and the hypervisor, as steal time) used while a run was timed, from /proc/stat
/// minus this process's own time (Linux; NaN elsewhere). Anything well above zero means the figures of that run are
/// disturbed: on two cores, libtorch's two threads compete with any other work.
/// </summary>
internal readonly struct OtherCpu
{
    private const double TicksPerSecond = 100; // USER_HZ
    private readonly long _machine, _own;

    private OtherCpu(long machine, long own) { _machine = machine; _own = own; }

    public static OtherCpu Start() => new(MachineBusyTicks(), OwnTicks());

    public double Seconds() => _machine < 0 ? double.NaN : Math.Max(0, (MachineBusyTicks() - _machine) - (OwnTicks() - _own)) / TicksPerSecond;

    private static long MachineBusyTicks()
    {
        if (!OperatingSystem.IsLinux())
            return -1;
        try
        {
            // cpu user nice system idle iowait irq softirq steal ...
            var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(int i) => long.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture);
            return Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    }

    private static long OwnTicks()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(f[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(f[12], System.Globalization.CultureInfo.InvariantCulture); // utime + stime
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}

/// <summary>Small measuring helpers shared by the benchmarks.</summary>
internal static class Measure
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>The <paramref name="p"/>-quantile (0 … 1) by linear interpolation between order statistics.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        double position = p * (sorted.Length - 1);
        int low = (int)Math.Floor(position), high = (int)Math.Ceiling(position);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    public static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Starts a new peak of the resident set (Linux: <c>/proc/self/clear_refs</c>); false where that is not possible.</summary>
    public static bool ResetPeakResidentSet()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The peak resident set since the process started or since <see cref="ResetPeakResidentSet"/> (Linux <c>VmHWM</c>; elsewhere the process's peak working set).</summary>
    public static long PeakResidentSet()
    {
        if (OperatingSystem.IsLinux())
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}
