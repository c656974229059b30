/* A return type the generator does not know must be an error. */
double spx_load(void);
