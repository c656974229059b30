// Whether CreateProcessW would hand a program to cmd.exe. cmd.exe re-parses
// the whole command line with rules no argv quoting can satisfy (the
// BatBadBut class: CVE-2024-24576, CVE-2024-43402), so spx refuses such
// programs instead of running them.
#pragma once

#include <string_view>

namespace spx::winport {

// True when the final component of full_path (after the last '\' or '/')
// ends in ".bat" or ".cmd", compared case-insensitively, after removing the
// trailing dots and spaces that Windows strips from a path ("x.bat. " runs
// x.bat). A stream suffix ("x.bat::$DATA", "x.cmd:s") is looked through as
// well. "a.bat.txt" is not a batch file. Callers pass the fully resolved
// path, the one given to CreateProcessW as lpApplicationName.
bool is_batch_file(std::u16string_view full_path);

}  // namespace spx::winport
