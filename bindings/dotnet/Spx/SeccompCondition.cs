using Spx.Interop;

namespace Spx;

/// <summary>How a <see cref="SeccompCondition"/> compares a system call argument (libseccomp's operators,
/// <c>SPX_CMP_*</c>). Arguments are compared as the kernel passes them, as 64-bit unsigned values: a negative
/// <see cref="int"/> argument is sign-extended.</summary>
public enum SeccompComparison
{
    /// <summary>argument != <see cref="SeccompCondition.Value"/></summary>
    NotEqual = NativeConstants.SPX_CMP_NE,
    /// <summary>argument &lt; <see cref="SeccompCondition.Value"/></summary>
    LessThan = NativeConstants.SPX_CMP_LT,
    /// <summary>argument &lt;= <see cref="SeccompCondition.Value"/></summary>
    LessOrEqual = NativeConstants.SPX_CMP_LE,
    /// <summary>argument == <see cref="SeccompCondition.Value"/></summary>
    Equal = NativeConstants.SPX_CMP_EQ,
    /// <summary>argument &gt;= <see cref="SeccompCondition.Value"/></summary>
    GreaterOrEqual = NativeConstants.SPX_CMP_GE,
    /// <summary>argument &gt; <see cref="SeccompCondition.Value"/></summary>
    GreaterThan = NativeConstants.SPX_CMP_GT,
    /// <summary>(argument &amp; <see cref="SeccompCondition.Value"/>) == <see cref="SeccompCondition.Value2"/></summary>
    MaskedEqual = NativeConstants.SPX_CMP_MASKED_EQ,
}

/// <summary>
/// A condition on one argument of a system call, for
/// <see cref="SeccompFilter.Add(string, SeccompAction, ReadOnlySpan{SeccompCondition})"/>:
/// <c>new SeccompCondition(0, SeccompComparison.Equal, 2 /* AF_INET */)</c> holds for <c>socket(AF_INET, ...)</c>.
/// </summary>
/// <param name="Argument">The argument, 0..5.</param>
/// <param name="Comparison">How it is compared.</param>
/// <param name="Value">The operand; the mask for <see cref="SeccompComparison.MaskedEqual"/>.</param>
/// <param name="Value2">For <see cref="SeccompComparison.MaskedEqual"/> only: what the masked argument must equal.</param>
public readonly record struct SeccompCondition(int Argument, SeccompComparison Comparison, ulong Value, ulong Value2 = 0)
{
    /// <summary>The condition <c>(argument &amp; mask) == value</c>.</summary>
    public static SeccompCondition MaskedEqual(int argument, ulong mask, ulong value) => new(argument, SeccompComparison.MaskedEqual, mask, value);

    /// <summary>The C structure <c>spx_seccomp_cond</c>; a negative argument becomes one the library refuses.</summary>
    internal SpxSeccompCondNative ToNative() => new() { arg = unchecked((uint)Argument), op = (int)Comparison, value = Value, value2 = Value2 };
}

/// <summary>Flags of a whole seccomp filter (<c>SPX_SECCOMP_FLAG_*</c>), for <see cref="SeccompFilter.SetOptions"/>.</summary>
[Flags]
public enum SeccompFilterOptions : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>Log every call the filter does not allow (SECCOMP_FILTER_FLAG_LOG: audit, or the kernel log without
    /// auditd, subject to <c>/proc/sys/kernel/seccomp/actions_logged</c>). A kernel without the flag fails the spawn at
    /// <see cref="SpxStage.Seccomp"/> rather than run the child unlogged.</summary>
    Log = NativeConstants.SPX_SECCOMP_FLAG_LOG,
}
