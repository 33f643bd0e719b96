// OpenBLAS from Debian's packages (libopenblas-dev at build time for this header's types, libopenblas0 at run
// time), loaded on first use rather than linked: a process that never multiplies matrices (a backtest, the server
// without ML work) never loads OpenBLAS, whose start-up creates a pool of threads that spin for a while waiting
// for work (about 0.1 s of a core in every process, measured in `tradewind backtest`).
#ifndef TRADEWIND_COPENBLAS_H
#define TRADEWIND_COPENBLAS_H

#include <cblas.h>

/// Loads OpenBLAS if it is not loaded yet (thread-safe, once per process) and pins it to one thread. Returns 0 when
/// it is usable, -1 when the library or one of its functions could not be found.
int tw_openblas_load(void);

/// Why OpenBLAS could not be loaded (with the install instruction), or NULL when it is loaded.
const char *tw_openblas_load_error(void);

/// `cblas_sgemm` / `cblas_dgemm` of the loaded library, loading it first; a machine without OpenBLAS stops the
/// process here with the install instruction on standard error (Tradewind's ops check `tw_openblas_load` before
/// and throw instead, so a server never gets here).
void tw_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                    blasint m, blasint n, blasint k, float alpha, const float *a, blasint lda,
                    const float *b, blasint ldb, float beta, float *c, blasint ldc);
void tw_cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                    blasint m, blasint n, blasint k, double alpha, const double *a, blasint lda,
                    const double *b, blasint ldb, double beta, double *c, blasint ldc);

#endif
