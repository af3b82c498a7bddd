using System.Runtime.InteropServices;

namespace MLExtensions.Native;

/// <summary>
/// The process environment as native code sees it. On Linux and macOS, .NET keeps its own copy of the environment, so
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> is invisible to a native library's <c>getenv</c>;
/// these methods go through the C library instead. On Windows they use the process environment block.
/// </summary>
internal static partial class NativeEnvironment
{
    /// <summary>The variable's value as native code reads it, or null when it is not set.</summary>
    public static string? Get(string name)
    {
        if (OperatingSystem.IsWindows())
            return Environment.GetEnvironmentVariable(name);
        var value = getenv(name);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    /// <summary>Sets the variable for native code unless it is already set. Returns whether it was set here.</summary>
    public static bool SetIfUnset(string name, string value)
    {
        if (Get(name) is not null)
            return false;
        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable(name, value);
            return true;
        }
        if (setenv(name, value, 0) != 0)
            throw new InvalidOperationException($"setenv({name}) failed with error {Marshal.GetLastPInvokeError()}.");
        return true;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int setenv(string name, string value, int overwrite);
}
