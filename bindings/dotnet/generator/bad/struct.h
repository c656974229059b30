/* A public structure with a field other than an integer must be an error. */
typedef struct spx_pair { const char *name; int b; } spx_pair;
int spx_pair_sum(const spx_pair *p);
