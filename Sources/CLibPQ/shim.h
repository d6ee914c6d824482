#ifndef ONDO_CLIBPQ_SHIM_H
#define ONDO_CLIBPQ_SHIM_H
// libpq's public API; pkg-config adds -I/usr/include/postgresql.
#include <libpq-fe.h>
#endif
