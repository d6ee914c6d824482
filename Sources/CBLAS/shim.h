#ifndef ONDO_CBLAS_SHIM_H
#define ONDO_CBLAS_SHIM_H
// OpenBLAS's CBLAS interface (Debian: libopenblas-dev); pkg-config adds the include path.
#include <cblas.h>
#endif
