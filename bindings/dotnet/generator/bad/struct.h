/* A public structure other than spx_error must be an error. */
typedef struct spx_pair { int a; int b; } spx_pair;
int spx_pair_sum(const spx_pair *p);
