// The allocator's hold on freed memory, and how the server makes it let go.
//
// glibc's malloc raises its mmap threshold (up to 32 MiB) and its trim threshold (up to 64 MiB)
// after each large block is freed, and a thread arena only gives back free memory at its top beyond
// the trim threshold; with up to 8 arenas per core, a burst of large requests left each worker's
// peak resident for good (issue 13: six rounds of four 32 MiB bodies left 5.4 GB). main fixes the
// thresholds at start-up, and HttpServer trims after a request whose body was large.
#pragma once

namespace patchcast::server {

// Fixes glibc's thresholds: blocks of 1 MiB or more are mapped on their own, so each goes back to
// the system when freed, and an arena's free top beyond 128 KiB is released as it is freed. Call
// once at start-up, before other threads run. A no-op with another C library.
void LimitAllocatorRetention();

// Returns free heap pages of every arena to the system (glibc's malloc_trim(0)): what the
// thresholds leave, small blocks freed in the middle of a heap. Thread-safe (glibc locks each arena
// in turn). A no-op with another C library.
void ReleaseFreeMemory();

}  // namespace patchcast::server
