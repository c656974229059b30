#include "windows/testing.hpp"

#include <atomic>

namespace spx::win::testing {

namespace {
std::atomic<unsigned> g_dropped{0};
}

void set_dropped_attributes(unsigned mask) { g_dropped = mask; }
unsigned dropped_attributes() { return g_dropped; }

}  // namespace spx::win::testing
