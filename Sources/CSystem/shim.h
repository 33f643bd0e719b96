// C facilities Swift has no spelling for.
#if __has_include(<malloc.h>)
#include <malloc.h>  // mallopt (glibc)
#endif
