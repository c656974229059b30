#include "demo.h"

void demo_seccomp(void) { demo_title("seccomp: (section not written yet)"); }
