#include "demo.h"

void demo_execfd(void) { demo_title("execfd: (section not written yet)"); }
