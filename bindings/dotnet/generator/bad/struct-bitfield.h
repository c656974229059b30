/* A public structure with a bit-field must be an error: its layout is the compiler's. */
typedef struct spx_bits { unsigned a : 3; unsigned b : 5; } spx_bits;
int spx_bits_sum(const spx_bits *p);
