// Loads OpenBLAS on first use (see COpenBLAS.h).
#include "COpenBLAS.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*sgemm_fn)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, blasint, blasint, blasint,
                         float, const float *, blasint, const float *, blasint, float, float *, blasint);
typedef void (*dgemm_fn)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, blasint, blasint, blasint,
                         double, const double *, blasint, const double *, blasint, double, double *, blasint);
typedef void (*set_threads_fn)(int);

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sgemm_fn sgemm_ptr;
static dgemm_fn dgemm_ptr;
static const char *load_error;

static void load(void) {
    void *lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libopenblas.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        load_error = "OpenBLAS (libopenblas.so.0) is not installed: install Debian's libopenblas0 (or libopenblas-dev)";
        return;
    }
    sgemm_fn s = (sgemm_fn)dlsym(lib, "cblas_sgemm");
    dgemm_fn d = (dgemm_fn)dlsym(lib, "cblas_dgemm");
    set_threads_fn t = (set_threads_fn)dlsym(lib, "openblas_set_num_threads");
    if (!s || !d || !t) {
        load_error = "the OpenBLAS found (libopenblas.so.0) lacks cblas_sgemm, cblas_dgemm or openblas_set_num_threads";
        return;
    }
    // Tradewind splits large products over the caller's own threads (BLASThreads): OpenBLAS runs single-threaded.
    t(1);
    sgemm_ptr = s;
    dgemm_ptr = d;
}

int tw_openblas_load(void) {
    pthread_once(&once, load);
    return sgemm_ptr ? 0 : -1;
}

const char *tw_openblas_load_error(void) {
    return tw_openblas_load() == 0 ? NULL : load_error;
}

/// Loads the library before a product. Tradewind's ops check `tw_openblas_load` first and throw a typed error
/// (`MLError.backendUnavailable`), so this stop is only reached by a product that bypassed them.
static inline void require_loaded(void) {
    if (tw_openblas_load() != 0) {
        fprintf(stderr, "tradewind: %s\n", load_error);
        abort();
    }
}

void tw_cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                    blasint m, blasint n, blasint k, float alpha, const float *a, blasint lda,
                    const float *b, blasint ldb, float beta, float *c, blasint ldc) {
    require_loaded();
    sgemm_ptr(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void tw_cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                    blasint m, blasint n, blasint k, double alpha, const double *a, blasint lda,
                    const double *b, blasint ldb, double beta, double *c, blasint ldc) {
    require_loaded();
    dgemm_ptr(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
