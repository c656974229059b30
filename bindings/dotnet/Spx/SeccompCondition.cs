using Spx.Interop;

namespace Spx;

/// <summary>How a <see cref="SeccompCondition"/> compares a system call argument (libseccomp's operators,
/// <c>SPX_CMP_*</c>). The filter compares the whole 64-bit register. For a 32-bit argument (socket's family, ioctl's
/// request, a descriptor) the kernel reads only the low half and the program chooses the upper one: a program that
/// sets it slips past <see cref="Equal"/>, <see cref="NotEqual"/> and the orderings while the kernel still sees the
/// value the rule named. A rule that denies on a 32-bit value must compare the low half:
/// <see cref="SeccompCondition.Equal32"/>. A rule that allows on equality fails closed and needs no mask.</summary>
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
/// <c>SeccompCondition.Equal32(0, 2 /* AF_INET */)</c> holds for <c>socket(AF_INET, ...)</c>, whatever the upper half
/// of the register holds; <c>SeccompCondition.MaskedEqual(0, CLONE_NEWUSER, CLONE_NEWUSER)</c> for a <c>clone</c>
/// that creates a user namespace.
/// </summary>
/// <param name="Argument">The argument, 0..5.</param>
/// <param name="Comparison">How it is compared.</param>
/// <param name="Value">The operand; the mask for <see cref="SeccompComparison.MaskedEqual"/>.</param>
/// <param name="Value2">For <see cref="SeccompComparison.MaskedEqual"/> only: what the masked argument must equal.</param>
public readonly record struct SeccompCondition(int Argument, SeccompComparison Comparison, ulong Value, ulong Value2 = 0)
{
    /// <summary>The 32-bit argument equals <paramref name="value"/> as the kernel reads it: the low half of the register
    /// compared (<see cref="SeccompComparison.MaskedEqual"/> with the mask 0xffffffff), so that a program cannot slip
    /// past a denying rule by setting the upper half. For <c>int</c> and <c>unsigned int</c> arguments.</summary>
    public static SeccompCondition Equal32(int argument, uint value) => new(argument, SeccompComparison.MaskedEqual, 0xffffffffUL, value);

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
