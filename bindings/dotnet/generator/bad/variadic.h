/* A variadic function must be an error. */
int spx_printf(const char *format, ...);
