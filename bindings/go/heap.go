package spx

/*
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

// Bytes currently allocated with malloc in this process (all arenas), or -1
// where the C library cannot tell.
static long long spx_go_c_heap_in_use(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
	struct mallinfo2 mi = mallinfo2();
	return (long long)(mi.uordblks + mi.hblkhd);
#else
	return -1;
#endif
}
*/
import "C"

// cHeapInUse returns the bytes allocated with the C library's malloc and not
// freed yet, or -1 when unknown. The leak tests use it to see C memory that a
// spawn might lose, which the Go runtime's statistics cannot show.
func cHeapInUse() int64 { return int64(C.spx_go_c_heap_in_use()) }
