/*
 * shoal_env.h: serve environments written in C or C++ to Shoal over its environment protocol
 * (proto/shoal/v1/env.proto).
 *
 * You describe ONE environment instance with a shoal_env_class: its spaces and four callbacks (create, reset,
 * step, destroy). The library hosts M instances and does everything else: it steps them together, speaks the
 * protocol on a ZeroMQ ROUTER socket (one client at a time, request ids echoed, errors as EnvError replies),
 * enforces the time limit (max_episode_steps), resets an environment on the same step its episode ends
 * ("same-step autoreset"), counts episode returns and lengths, clips Box actions to their bounds, and sends
 * heartbeats to Shoal's supervisor.
 *
 * A minimal program:
 *
 *     static const shoal_env_class my_class = { .name = "MyEnv-v0", ... };
 *     int main(int argc, char **argv) { return shoal_env_main(argc, argv, &my_class, NULL); }
 *
 * and then `my-env serve ipc:///tmp/my-env.sock --num-envs 16` or `my-env describe`. See c/README.md.
 *
 * Conventions: every callback runs on the thread that called shoal_env_serve, one at a time. Data is native
 * endian; the library requires a little-endian host, as the wire is little-endian. The library keeps no global
 * state beyond the flag its SIGTERM/SIGINT handler sets.
 */
#ifndef SHOAL_ENV_H
#define SHOAL_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, and the version of the environment protocol it speaks. */
#define SHOAL_ENV_VERSION "0.1.0"
#define SHOAL_ENV_PROTOCOL_VERSION 1

/* The largest rank of an observation or a Box action (the wire allows rank 8 plus the leading M). */
#define SHOAL_ENV_MAX_RANK 8

/* Element types, numbered as env.proto's DType. Bool is one byte, 0 or 1; float16 is IEEE 754 half precision
 * (pass its bits as uint16_t). */
typedef enum shoal_dtype {
    SHOAL_DTYPE_FLOAT32 = 1,
    SHOAL_DTYPE_FLOAT64 = 2,
    SHOAL_DTYPE_INT32 = 3,
    SHOAL_DTYPE_INT64 = 4,
    SHOAL_DTYPE_UINT8 = 5,
    SHOAL_DTYPE_BOOL = 6,
    SHOAL_DTYPE_INT8 = 7,
    SHOAL_DTYPE_INT16 = 8,
    SHOAL_DTYPE_FLOAT16 = 9,
} shoal_dtype;

/* Bytes per element of `dtype`; 0 for a value that is not a shoal_dtype. */
size_t shoal_dtype_size(shoal_dtype dtype);

/* "float32", "uint8", ... (numpy's names); "unknown" for a value that is not a shoal_dtype. */
const char *shoal_dtype_name(shoal_dtype dtype);

/*
 * gymnasium's Box: `rank` dimensions `shape[0..rank-1]` (rank 0 is a scalar) of `dtype` within bounds.
 *
 * Bounds: by default `low` and `high` bound every element; when `low_each` (or `high_each`) is not NULL it holds
 * one bound per element, row-major, and `low` (or `high`) is not used. Use -INFINITY / INFINITY (math.h) for an
 * unbounded side: a zero-initialised box is bounded to [0, 0].
 */
typedef struct shoal_box {
    shoal_dtype dtype;
    uint32_t rank;
    int64_t shape[SHOAL_ENV_MAX_RANK];
    double low;
    double high;
    const double *low_each;
    const double *high_each;
} shoal_box;

typedef enum shoal_action_kind {
    /* gymnasium's Discrete(n, start): the step callback gets one int64_t in start .. start + n - 1. */
    SHOAL_ACTION_DISCRETE = 1,
    /* gymnasium's MultiDiscrete(nvec): the step callback gets nvec_count int64_t, choice i in 0 .. nvec[i] - 1. */
    SHOAL_ACTION_MULTI_DISCRETE = 2,
    /* gymnasium's Box: the step callback gets the box's elements in its dtype, clipped to its bounds (gymnasium's
     * ClipAction). Actions arrive as float32; the box's dtype may be float32, float64, int8, int16, int32, int64
     * or uint8 (an integer box gets the clipped value truncated toward zero, as numpy's astype does). */
    SHOAL_ACTION_BOX = 3,
} shoal_action_kind;

typedef struct shoal_action_space {
    shoal_action_kind kind;
    int64_t n;              /* Discrete: the number of choices, at least 1 */
    int64_t start;          /* Discrete: the first choice (usually 0) */
    const int64_t *nvec;    /* MultiDiscrete: the number of values of each choice, each at least 1 */
    uint32_t nvec_count;    /* MultiDiscrete: how many choices, at least 1 */
    shoal_box box;          /* Box */
} shoal_action_space;

/*
 * One kind of environment. The library reads it and never changes it; it must outlive shoal_env_serve.
 *
 * Callbacks return 0 on success and nonzero on failure. A failing reset or step becomes an EnvError reply whose
 * message is last_error(env) when that is given (one line; it is cleaned to valid UTF-8), and the client has to
 * reset before it steps again; the server keeps serving.
 */
typedef struct shoal_env_class {
    /* Shown to Shoal as the environment's name, e.g. "CartPoleC-v1". Required. */
    const char *name;
    /* The observation space. Observations travel as this box's dtype and shape. */
    shoal_box observation;
    shoal_action_space action;
    /* The time limit: the library truncates an episode after this many steps (gymnasium's TimeLimit). 0: none. */
    uint32_t max_episode_steps;

    /*
     * Makes environment `index` (0 .. M-1) of a server. `user` is the pointer given to shoal_env_serve or
     * shoal_env_main; `args` is the --env-args text (a JSON object, "{}" when none was given), which the
     * environment may parse or reject. On failure returns NULL and may write a one-line reason into `error`
     * (`error_size` bytes, NUL-terminated). Required.
     */
    void *(*create)(void *user, uint32_t index, const char *args, char *error, size_t error_size);
    /* Frees what create made. Optional. */
    void (*destroy)(void *env);
    /*
     * Starts a new episode and writes its first observation to `observation` (the observation box's element
     * count × dtype size bytes, aligned for its dtype). `seed` points to a seed when the client asked for a reset
     * (seeds of its own or ones the server drew); it is NULL for the library's autoreset at the end of an episode,
     * when the environment continues its own random stream (gymnasium's reset(seed=None)). The first reset of an
     * environment always has a seed. Required.
     */
    int (*reset)(void *env, const uint64_t *seed, void *observation);
    /*
     * Takes one step with `action` (see shoal_action_kind for its type) and writes the next observation to
     * `observation`. `*reward` (0), `*terminated` and `*truncated` (false) come preset; set `*terminated` when the
     * episode reached a terminal state and `*truncated` when the environment cut it short itself (the library
     * sets truncated for max_episode_steps on its own). Required.
     */
    int (*step)(void *env, const void *action, void *observation, double *reward, bool *terminated,
                bool *truncated);
    /* What went wrong in the last failing reset or step of `env`, for the EnvError. Optional. */
    const char *(*last_error)(const void *env);
} shoal_env_class;

/* How to serve. Initialise with shoal_env_options_init, then set endpoint and num_envs at least. */
typedef struct shoal_env_options {
    /* Where to bind the ROUTER socket: ipc://PATH or tcp://HOST:PORT (port 0 or * picks a free port). Required. */
    const char *endpoint;
    /* M, the environments stepped together (default 16). */
    uint32_t num_envs;
    /* This server's index among the run's environment servers, for heartbeats (default 0). */
    uint32_t id;
    /* At most one heartbeat to $SHOAL_SUPERVISOR per this many seconds (default 1.0). */
    double heartbeat_seconds;
    /* Seeds the server's own draws of seeds, for resets that come without (default: from the clock). */
    bool has_seed;
    uint64_t seed;
    /* Handed to create as `args`; NULL means "{}". */
    const char *env_args;
    /* Requests larger than this are refused by ZeroMQ (default 64 MiB). */
    int64_t max_message_bytes;
    /* Log only warnings and errors to stderr, not the informational lines. */
    bool quiet;
    /* CurveZMQ: this server's secret key file (from `shoal keygen`) and the clients it admits (a file of public keys,
     * one a line, or a directory of .pub files). Both or neither; NULL serves in plain text. */
    const char *curve_secret_key;
    const char *curve_allow;
} shoal_env_options;

/* Fills `options` with the defaults (endpoint NULL). */
void shoal_env_options_init(shoal_env_options *options);

/* Checks a class: 0 if it can be served, else nonzero with a one-line reason in `error` (when not NULL). */
int shoal_env_check(const shoal_env_class *cls, char *error, size_t error_size);

/* Writes what the class serves as JSON (the fields of an EnvSpec, as `shoal-env describe` prints them).
 * 0 on success; nonzero if the class does not pass shoal_env_check or writing failed. */
int shoal_env_describe(const shoal_env_class *cls, FILE *out);

/*
 * Serves M environments of `cls` until SIGTERM or SIGINT (it installs handlers for both while it runs, and
 * restores the previous ones when it returns): finishes the request in hand, closes, frees everything and
 * returns 0.
 *
 * Under Shoal's supervisor (environment variables SHOAL_SUPERVISOR, SHOAL_RUN_ID, SHOAL_INCARNATION,
 * SHOAL_SUPERVISOR_PID) it heartbeats to the supervisor and dies with it.
 *
 * Returns 1 when it cannot bind the endpoint or set up ZeroMQ, or the supervisor is already gone; 2 when the
 * class or the options are invalid or an environment cannot be created (the reason goes to stderr).
 */
int shoal_env_serve(const shoal_env_class *cls, void *user, const shoal_env_options *options);

/*
 * The command line of an environment program, the same as the Python server's, so Shoal starts either alike:
 *
 *     PROGRAM serve ENDPOINT [--num-envs M] [--id N] [--heartbeat-seconds S] [--seed N] [--env-args JSON]
 *     PROGRAM describe [--env-args JSON]
 *
 * Returns the exit status: that of shoal_env_serve, 0 after describe, 2 for a usage error (named on stderr).
 */
int shoal_env_main(int argc, char *const argv[], const shoal_env_class *cls, void *user);

#ifdef __cplusplus
}
#endif

#endif /* SHOAL_ENV_H */
