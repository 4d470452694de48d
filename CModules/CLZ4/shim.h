// The system liblz4 (frame and block APIs) for ArrowIPC's LZ4_FRAME body compression.
#ifndef CLZ4_SHIM_H
#define CLZ4_SHIM_H

#include <lz4frame.h>
#include <lz4.h>

#endif
