/* An opaque handle without a _free function cannot have a SafeHandle. */
typedef struct spx_thing spx_thing;
spx_thing *spx_thing_new(void);
