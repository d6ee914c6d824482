#ifndef ONDO_CBLAS_SHIM_H
#define ONDO_CBLAS_SHIM_H
// OpenBLAS's CBLAS interface (Debian: libopenblas-dev); pkg-config adds the include path.
#include <cblas.h>
#include <dlfcn.h>
#include <stdlib.h>

// Re-selects the kernel family of an OpenBLAS built with DYNAMIC_ARCH (as Debian's is), e.g.
// "SkylakeX": the same as starting the process with OPENBLAS_CORETYPE set. OpenBLAS reads that
// variable only when it is loaded, before main, so the selection is redone through its exported
// init/quit pair. Returns 0 (and changes nothing) when this OpenBLAS has no such pair. Call it
// before any other thread uses BLAS.
static inline int ondo_openblas_select_core(const char *name) {
    void *self = dlopen(NULL, RTLD_LAZY);
    if (self == NULL) return 0;
    void (*quit)(void) = (void (*)(void))dlsym(self, "gotoblas_dynamic_quit");
    void (*init)(void) = (void (*)(void))dlsym(self, "gotoblas_dynamic_init");
    dlclose(self);
    if (quit == NULL || init == NULL) return 0;
    setenv("OPENBLAS_CORETYPE", name, 1);
    quit();
    init();
    return 1;
}
#endif
