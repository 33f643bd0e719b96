// OpenBLAS from Debian's libopenblas-dev: CBLAS (sgemm/dgemm) and the thread-count controls.
#include <cblas.h>
