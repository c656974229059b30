/* The OCI seccomp profile of the "oci-350" bench row.
 * SPDX-License-Identifier: MIT */
#ifndef SPX_BENCH_OCI_PROFILE_H
#define SPX_BENCH_OCI_PROFILE_H

#include <stddef.h>

/** How many names the profile's allow rule lists. */
#define OCI_PROFILE_NAMES 350

/** The profile as JSON (malloc'd; the caller frees it), its length in @p len; NULL without memory. */
char *oci_profile_json(size_t *len);

#endif
