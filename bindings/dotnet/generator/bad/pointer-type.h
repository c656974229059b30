/* A pointer to an unknown type must be an error. */
#include <stdint.h>
int spx_fill(int16_t *values, unsigned n);
