#include "demo.h"

void demo_landlock(void) { demo_title("landlock: (section not written yet)"); }
