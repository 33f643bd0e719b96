// C facilities Swift has no spelling for: glibc's allocator controls (`MemoryPolicy`), naming a thread (`DedicatedThread`).
#if __has_include(<malloc.h>)
#include <malloc.h>  // mallopt (glibc)
#endif

#if defined(__linux__)
#include <sys/prctl.h>
// Names the calling thread (the kernel keeps 15 bytes): prctl is variadic, so Swift cannot call it.
static inline int tradewind_name_this_thread(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }
#endif
