namespace Spx;

/// <summary>How a reaped child ended.</summary>
/// <param name="Code">The exit status, or -1 when a signal killed it.</param>
/// <param name="Signal">The signal that killed it, or 0.</param>
/// <param name="CoreDumped">Whether it dumped core.</param>
/// <param name="Time">When it was reaped (local time).</param>
internal readonly record struct ExitStatus(int Code, int Signal, bool CoreDumped, DateTime Time);
