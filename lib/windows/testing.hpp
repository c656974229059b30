// Test hooks, for tests/windows only (nothing here is exported from
// spx.dll): leave an attribute out of CreateProcessW's list, as a Windows
// that ignored it silently would, to prove that the checks made while the
// child is still suspended stop such a child before it runs.
#pragma once

namespace spx::win::testing {

enum : unsigned {
    drop_security_capabilities = 1u,  // the AppContainer's SECURITY_CAPABILITIES
    drop_job_list = 2u,               // PROC_THREAD_ATTRIBUTE_JOB_LIST
};

void set_dropped_attributes(unsigned mask);
unsigned dropped_attributes();

}  // namespace spx::win::testing
