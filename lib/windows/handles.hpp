// The handles a child inherits: its three standard handles and the handles
// listed with spx_attr_add_handle(), and nothing else: CreateProcessW gets
// them as PROC_THREAD_ATTRIBUTE_HANDLE_LIST, so an inheritable handle that
// another thread of the caller has open never leaks into the child.
#pragma once

#include <vector>

#include "attr.hpp"
#include "windows/win.hpp"

namespace spx::win {

struct InheritedHandles {
    UniqueHandle copies[3];     // inheritable duplicates of the standard handles, for this spawn only
    HANDLE stdio[3] = {};       // STARTUPINFO's hStdInput, hStdOutput, hStdError (NULL: none)
    std::vector<HANDLE> list;   // every handle the child inherits, each once
};

// Fills out from the attribute object: a standard handle not set there is
// the caller's (GetStdHandle), or none when the caller has none.
int prepare_handles(const spx_attr &a, InheritedHandles &out);

}  // namespace spx::win
