// CGRPC: the system gRPC core headers, plus static inline shims for what the Swift
// importer drops (macros built from expressions) and the C storage of op batches and call
// requests. Every shim is prefixed `CGRPC_`.
#ifndef CGRPC_SHIM_H
#define CGRPC_SHIM_H

#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/slice.h>
// No libc headers here (nor grpc/support/log.h, which includes stdlib.h): a [system] module
// that includes them clashes with SwiftGlibc on a clean build (fd_set defined twice).
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>

/// GRPC_PROPAGATE_DEFAULTS.
static inline uint32_t CGRPC_propagate_defaults(void) { return GRPC_PROPAGATE_DEFAULTS; }

/// GRPC_SLICE_START_PTR of the slice at `slice`. Takes a pointer: an inlined slice keeps its
/// bytes inside the struct, so a by-value parameter would return a pointer into a dead copy.
static inline const uint8_t *CGRPC_slice_start(const grpc_slice *slice) { return GRPC_SLICE_START_PTR(*slice); }

/// GRPC_SLICE_LENGTH.
static inline size_t CGRPC_slice_length(grpc_slice slice) { return GRPC_SLICE_LENGTH(slice); }

/// Whether a slice is reference counted (inlined slices are not and must be copied).
static inline int CGRPC_slice_is_refcounted(grpc_slice slice) { return slice.refcount != NULL; }

/// An infinite deadline on the monotonic clock.
static inline gpr_timespec CGRPC_inf_future(void) { return gpr_inf_future(GPR_CLOCK_MONOTONIC); }

/// A deadline `millis` milliseconds from now on the monotonic clock.
static inline gpr_timespec CGRPC_deadline_in_millis(int64_t millis) {
  return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(millis, GPR_TIMESPAN));
}

/// The C storage of one batch of ops (FlightTransport's OpBatch): the ops, then every value
/// they point to that gRPC core writes while the batch runs. All zeros is an empty batch.
typedef struct {
  grpc_op ops[4];
  grpc_byte_buffer *message;             /* SEND_MESSAGE's, or written by RECV_MESSAGE */
  grpc_metadata_array received_metadata; /* RECV_INITIAL_METADATA, RECV_STATUS_ON_CLIENT */
  grpc_status_code status;               /* RECV_STATUS_ON_CLIENT */
  grpc_slice status_details;             /* RECV_STATUS_ON_CLIENT, SEND_STATUS_FROM_SERVER */
  const char *error_string;              /* RECV_STATUS_ON_CLIENT */
  int cancelled;                         /* RECV_CLOSE_ON_SERVER */
} CGRPC_batch;

/// The C storage grpc_server_request_call fills with a new call (FlightTransport's CallRequest).
typedef struct {
  grpc_call *call;
  grpc_call_details details;
  grpc_metadata_array metadata;
} CGRPC_call_request;

#endif
