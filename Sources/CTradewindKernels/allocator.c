// The allocator setting behind TradewindML's AllocatorTuning (see tradewind_kernels.h).
#include "tradewind_kernels.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int tw_keep_freed_memory(long mmap_threshold, long trim_threshold) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) && mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
#else
    (void)mmap_threshold;
    (void)trim_threshold;
    return 0;
#endif
}
