/* Internal interfaces of the shoal_env library, shared by its source files and its unit tests. */
#ifndef SHOAL_ENV_INTERNAL_H
#define SHOAL_ENV_INTERNAL_H

#include <stdarg.h>

#include "shoal/v1/env.pb-c.h"
#include "shoal_env.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "shoal_env needs a little-endian host: the wire's tensors are little-endian and are copied as they are"
#endif

#define SHOAL_PRINTF(format_index, first_argument) __attribute__((format(printf, format_index, first_argument)))

#define SHOAL_TEXT_SIZE 512

/* Observations or actions above this many bytes per environment are refused when a class is checked. */
#define SHOAL_MAX_ROW_BYTES ((size_t)1 << 30)

/* ---- util.c ---------------------------------------------------------------------------------------------------- */

/* Why a request failed; `kind` becomes the message's prefix ("ActionError: ..."), as the Python server writes it. */
typedef enum shoal_failure_kind {
    SHOAL_PROTOCOL_ERROR,    /* undecodable, another version, without a body, out of session */
    SHOAL_REQUEST_ERROR,     /* cannot be carried out as asked (seeds, needs a reset); nothing was touched */
    SHOAL_ACTION_ERROR,      /* actions that do not fit the action space; nothing was touched */
    SHOAL_ENVIRONMENT_ERROR, /* a callback failed; the environments need a reset */
} shoal_failure_kind;

typedef struct shoal_failure {
    shoal_failure_kind kind;
    char message[SHOAL_TEXT_SIZE]; /* one line, valid UTF-8, with the kind's prefix */
    char details[SHOAL_TEXT_SIZE];
} shoal_failure;

/* Sets `failure` (message formatted, prefixed by the kind, cleaned to one line of UTF-8; no details); returns -1. */
int shoal_fail(shoal_failure *failure, shoal_failure_kind kind, const char *format, ...) SHOAL_PRINTF(3, 4);

/* snprintf that never overflows and tolerates size 0; returns what it wrote (not what it wanted to). */
size_t shoal_format(char *out, size_t size, const char *format, ...) SHOAL_PRINTF(3, 4);

/* Copies `text` into `out` as one line of valid UTF-8: it stops at the first line break, turns other control
 * characters into spaces and invalid bytes into '?', and truncates at a character boundary. NULL reads as "". */
void shoal_clean_line(char *out, size_t size, const char *text);

/* Whether `text` is valid UTF-8 without control characters. */
bool shoal_printable_utf8(const char *text);

/* The shortest text that reads back as `value`, as Python's repr writes it ("4.800000190734863", "1e-05",
 * "2.0"); "NaN", "Infinity", "-Infinity" for the others. */
void shoal_format_double(char *out, size_t size, double value);

/* Whether `text` is one JSON value (Python's json.loads also takes NaN and ±Infinity) and, if `object_only`, an
 * object. 0 if so, else -1 with the reason in `error`. */
int shoal_json_check(const char *text, bool object_only, char *error, size_t error_size);

/* Log lines to stderr, prefixed as the Python server's: "2024-05-01 12:00:00,123 NAME[PID] LEVEL message". */
typedef struct shoal_logger {
    const char *name;
    bool quiet;  /* INFO lines are dropped */
    bool silent; /* every line is dropped (for tests) */
} shoal_logger;

void shoal_log(const shoal_logger *logger, const char *level, const char *format, ...) SHOAL_PRINTF(3, 4);

double shoal_monotonic_seconds(void);
int64_t shoal_unix_nanos(void);

/* splitmix64: the next number of the stream whose state is `*state`. */
uint64_t shoal_splitmix64(uint64_t *state);

/* ---- space.c: spaces, the spec, and the decoding of actions ---------------------------------------------------- */

/* "DTYPE_FLOAT32" and so on; "DType 42" (in `buffer`) for a value the protocol does not know. */
const char *shoal_wire_dtype_name(int dtype, char *buffer, size_t size);

/* The element count of a box, or an error (rank, a negative extent, an unknown dtype, too many bytes). */
int shoal_box_count(const shoal_box *box, const char *what, size_t *count, char *error, size_t error_size);

/* Bound `element` of a box, rounded to the box's dtype when that is float32 (as gymnasium keeps it). */
double shoal_box_bound(const shoal_box *box, bool high, size_t element);

/* The spec a hello gets, built once: every part points into this struct or its two arrays. */
typedef struct shoal_spec {
    Shoal__V1__EnvSpec spec;
    Shoal__V1__Space observation_space;
    Shoal__V1__Space action_space;
    Shoal__V1__BoxSpace observation_box;
    Shoal__V1__BoxSpace action_box;
    Shoal__V1__DiscreteSpace discrete;
    Shoal__V1__MultiDiscreteSpace multi_discrete;
    Shoal__V1__TensorSpec observation;
    int64_t observation_shape[SHOAL_ENV_MAX_RANK];
    int64_t action_shape[SHOAL_ENV_MAX_RANK];
    double *bounds; /* observation low, high, action low, high, each of 1 or count values */
    char server[128];
} shoal_spec;

int shoal_spec_init(shoal_spec *spec, const shoal_env_class *cls, uint32_t num_envs);
void shoal_spec_free(shoal_spec *spec);

/* How the actions of M environments are checked and handed to the step callbacks. */
typedef struct shoal_actions {
    shoal_action_kind kind;
    uint32_t num_envs;
    int wire_dtype;              /* Shoal__V1__DType: INT64 for choices, FLOAT32 for a Box */
    size_t wire_rank;            /* of [M, ...] */
    int64_t wire_shape[SHOAL_ENV_MAX_RANK + 1];
    size_t per_env;              /* elements of one environment's action */
    size_t bytes_per_env;        /* what one step callback gets */
    shoal_dtype box_dtype;
    double *low, *high;          /* Box: per element, in the box's dtype's precision */
    int64_t *nvec;               /* choices: values of each */
    int64_t start;               /* Discrete */
    char expected[96];           /* "int64 [16]" */
    char space[96];              /* "Discrete(2)" */
} shoal_actions;

int shoal_actions_init(shoal_actions *actions, const shoal_action_space *space, uint32_t num_envs);
void shoal_actions_free(shoal_actions *actions);

/* Checks an action tensor of the wire and writes the M actions the callbacks get to `out` (M × bytes_per_env).
 * 0, or -1 with an ActionError in `failure` (then `out` may hold part of the actions). */
int shoal_actions_decode(const shoal_actions *actions, const Shoal__V1__Tensor *tensor, void *out,
                         shoal_failure *failure);

/* ---- host.c: M environments ------------------------------------------------------------------------------------- */

typedef struct shoal_host {
    const shoal_env_class *cls;
    uint32_t num_envs;
    void **envs;
    shoal_actions actions;
    size_t observation_bytes;   /* one observation */
    unsigned char *observations;/* [M, ...] after the last reset or step */
    unsigned char *finals;      /* [ended_count, ...] */
    unsigned char *decoded;     /* [M] actions as the callbacks get them */
    double *rewards;
    bool *terminated;
    bool *truncated;
    uint32_t *ended;
    uint32_t ended_count;
    double *episode_returns;    /* [ended_count] */
    int64_t *episode_lengths;   /* [ended_count] */
    double *returns;            /* the running episodes */
    int64_t *lengths;
    uint64_t *seeds;            /* drawn for a reset without */
    uint64_t seed_state;
    bool needs_reset;
    uint64_t steps;             /* environment steps served (M per step) */
} shoal_host;

/* Makes the M environments (the class must pass shoal_env_check). -1 with the reason in `error` otherwise. */
int shoal_host_init(shoal_host *host, const shoal_env_class *cls, void *user, uint32_t num_envs, const char *args,
                    uint64_t seed, char *error, size_t error_size);
void shoal_host_free(shoal_host *host);

/* A new session: every episode starts afresh and a reset must come before the next step. */
void shoal_host_restart(shoal_host *host);

/* Starts new episodes with `seed_count` seeds (M, or 0 to draw them); the first observations are in observations. */
int shoal_host_reset(shoal_host *host, const uint64_t *seeds, size_t seed_count, shoal_failure *failure);

/* Steps every environment once (actions checked before anything is stepped), with the time limit and same-step
 * autoreset; the outcome is in the host's arrays. */
int shoal_host_step(shoal_host *host, const Shoal__V1__Tensor *actions, shoal_failure *failure);

/* ---- session.c: one request in, one reply out ------------------------------------------------------------------ */

typedef struct shoal_session {
    shoal_host *host;
    const shoal_spec *spec;
    const shoal_logger *logger;
    unsigned char *client;      /* the identity of the client in session, or NULL */
    size_t client_size;
    uint64_t requests;
    uint64_t errors;
    /* The reply being built; its parts point into the host and here. */
    Shoal__V1__EnvReply reply;
    Shoal__V1__EnvObservations observations;
    Shoal__V1__EnvTransitions transitions;
    Shoal__V1__Tensor observation_tensor;
    Shoal__V1__Tensor final_tensor;
    int64_t observation_shape[SHOAL_ENV_MAX_RANK + 1];
    int64_t final_shape[SHOAL_ENV_MAX_RANK + 1];
    protobuf_c_boolean *terminated;
    protobuf_c_boolean *truncated;
    Shoal__V1__EpisodeEnd *episodes;
    Shoal__V1__EpisodeEnd **episode_pointers;
    Shoal__V1__EnvError error;
    shoal_failure failure;
} shoal_session;

int shoal_session_init(shoal_session *session, shoal_host *host, const shoal_spec *spec, const shoal_logger *logger);
void shoal_session_free(shoal_session *session);

/* Answers one request's payload from the peer `identity`: the reply, valid until the next call. Never fails. */
const Shoal__V1__EnvReply *shoal_session_handle(shoal_session *session, const void *identity, size_t identity_size,
                                                const void *payload, size_t payload_size);

/* ---- curve.c: CurveZMQ for the server socket ------------------------------------------------------------------- */

typedef struct shoal_curve shoal_curve;

/* Makes `socket` (before it binds) a CURVE server with the key pair in `secret_key_path`, admitting only the client
 * keys of `allow_path` (a file of public keys, one a line, or a directory of .pub files) through a ZAP handler in
 * `context`. 0, or -1 with the reason logged; close `*out` either way. */
int shoal_curve_open(shoal_curve **out, void *context, void *socket, const char *secret_key_path,
                     const char *allow_path, const shoal_logger *logger);

/* The ZAP handler's socket, to poll; NULL for NULL. */
void *shoal_curve_zap_socket(const shoal_curve *curve);

/* Answers the ZAP request waiting on the handler's socket. */
void shoal_curve_answer(shoal_curve *curve);

void shoal_curve_close(shoal_curve *curve);

/* ---- heartbeat.c: life under Shoal's supervisor ---------------------------------------------------------------- */

typedef struct shoal_heartbeats shoal_heartbeats;

/* Heartbeats to $SHOAL_SUPERVISOR; *out is NULL when it is not set. -1 if the socket cannot be made. */
int shoal_heartbeats_open(shoal_heartbeats **out, void *context, uint32_t id, double interval_seconds,
                          const shoal_logger *logger);
/* Sends a heartbeat if the interval has passed since the last one; never blocks. */
void shoal_heartbeats_tick(shoal_heartbeats *heartbeats, uint64_t environment_steps, uint64_t requests,
                           uint64_t errors);
const char *shoal_heartbeats_endpoint(const shoal_heartbeats *heartbeats);
void shoal_heartbeats_close(shoal_heartbeats *heartbeats);

/* When $SHOAL_SUPERVISOR_PID is set: asks for SIGKILL when the parent dies; -1 if the parent is already not it. */
int shoal_die_with_supervisor(const shoal_logger *logger);

#endif /* SHOAL_ENV_INTERNAL_H */
