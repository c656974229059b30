/* A macro of an unknown type must be an error. */
#define SPX_RATIO 1.5
int spx_version_number(void);
