// C facilities Swift has no spelling for: glibc's allocator controls (`MemoryPolicy`), naming a thread (`DedicatedThread`),
// opening a pseudo-terminal (tests).
#if __has_include(<malloc.h>)
#include <malloc.h>  // mallopt (glibc)
#endif

#if defined(__linux__)
#include <sys/prctl.h>
// Names the calling thread (the kernel keeps 15 bytes): prctl is variadic, so Swift cannot call it.
static inline int tradewind_name_this_thread(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }
#endif

#if defined(__linux__)
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
// Opens a new pseudo-terminal's controlling side and writes its terminal's path into `path` (ioctl is variadic, and
// glibc shows posix_openpt only to C with _XOPEN_SOURCE): -1 on failure. Tests use it to type at a real terminal.
static inline int tradewind_open_pseudo_terminal(char *path, int capacity) {
    int fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);
    if (fd < 0) return -1;
    int unlock = 0, number = 0;
    if (ioctl(fd, TIOCSPTLCK, &unlock) != 0 || ioctl(fd, TIOCGPTN, &number) != 0) { close(fd); return -1; }
    snprintf(path, (size_t)capacity, "/dev/pts/%d", number);
    return fd;
}
#endif
