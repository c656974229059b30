/* A parameter type the generator does not know must be an error. */
typedef struct spx_attr spx_attr;
void spx_attr_free(spx_attr *attr);
int spx_attr_set_ratio(spx_attr *attr, float ratio);
