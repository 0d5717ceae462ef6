#ifndef SHOAL_COPENBLAS_SHIM_H
#define SHOAL_COPENBLAS_SHIM_H
#include <cblas.h>

/// Pins OpenBLAS to one thread: Shoal's parallelism comes from processes.
static inline void shoal_openblas_set_threads(int count) { openblas_set_num_threads(count); }
#endif
