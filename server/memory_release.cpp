#include "server/memory_release.h"

#include <cstdlib>  // defines __GLIBC__ with glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace patchcast::server {

void LimitAllocatorRetention() {
#if defined(__GLIBC__)
  // Setting either value also turns off glibc's raising of both after large frees.
  ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 128 << 10);
#endif
}

void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  ::malloc_trim(0);
#endif
}

}  // namespace patchcast::server
