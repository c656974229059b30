/* A function-like macro without a hand translation must be an error. */
#define SPX_TWICE(x) ((x) * 2)
int spx_version_number(void);
