/* The server: a ZeroMQ ROUTER socket whose requests the session answers, heartbeats between them, and a clean stop
 * on SIGTERM or SIGINT. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zmq.h>

#include "internal.h"

/* Set by the SIGTERM/SIGINT handler: the only global state of the library. */
static volatile sig_atomic_t stop_requested;

static void request_stop(int signum) {
    (void)signum;
    stop_requested = 1;
}

/* How long the loop waits for a request before it looks at the stop flag and the heartbeats again. */
#define POLL_MILLISECONDS 100
/* A request's envelope: [identity, (the empty delimiter of a REQ client,) payload]; longer ones are dropped. */
#define MAX_PARTS 8

void shoal_env_options_init(shoal_env_options *options) {
    memset(options, 0, sizeof *options);
    options->num_envs = 16;
    options->heartbeat_seconds = 1.0;
    options->max_message_bytes = 64 * 1024 * 1024;
}

/* Receives one message, answers it, and sends the reply with the request's envelope. */
static void serve_one(void *socket, shoal_session *session, const shoal_logger *logger) {
    zmq_msg_t parts[MAX_PARTS];
    size_t count = 0;
    bool dropped = false;
    for (;;) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, socket, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&part);
            if (zmq_errno() == EINTR) continue;
            break; /* nothing there (EAGAIN), or the rest of a message that cannot be had */
        }
        bool more = zmq_msg_more(&part);
        if (count < MAX_PARTS) {
            parts[count++] = part;
        } else {
            zmq_msg_close(&part);
            dropped = true;
        }
        if (!more) break;
    }
    if (dropped) shoal_log(logger, "WARNING", "dropped a message of more than %d parts", MAX_PARTS);
    if (count >= 2 && !dropped) {
        const Shoal__V1__EnvReply *reply =
            shoal_session_handle(session, zmq_msg_data(&parts[0]), zmq_msg_size(&parts[0]),
                                 zmq_msg_data(&parts[count - 1]), zmq_msg_size(&parts[count - 1]));
        zmq_msg_t out;
        size_t size = shoal__v1__env_reply__get_packed_size(reply);
        if (zmq_msg_init_size(&out, size) != 0) {
            shoal_log(logger, "ERROR", "cannot allocate a reply of %zu bytes", size);
        } else {
            shoal__v1__env_reply__pack(reply, zmq_msg_data(&out));
            bool sent = true;
            for (size_t i = 0; i + 1 < count && sent; i++) sent = zmq_msg_send(&parts[i], socket, ZMQ_SNDMORE) >= 0;
            if (sent) sent = zmq_msg_send(&out, socket, 0) >= 0;
            if (!sent) shoal_log(logger, "WARNING", "cannot send a reply: %s", zmq_strerror(zmq_errno()));
            zmq_msg_close(&out);
        }
    }
    for (size_t i = 0; i < count; i++) zmq_msg_close(&parts[i]);
}

/* The file an ipc:// bind made, to remove when the server closes. */
typedef struct {
    char path[256];
    dev_t device;
    ino_t inode;
    bool recorded;
} socket_file;

/* Everything a server holds, so that one cleanup frees whatever was made. */
typedef struct server {
    shoal_logger logger;
    shoal_host host;
    bool host_made;
    shoal_spec spec;
    bool spec_made;
    shoal_session session;
    bool session_made;
    void *context;
    void *socket;
    shoal_curve *curve;
    shoal_heartbeats *heartbeats;
    socket_file bound;
} server;

/* Remembers the file an ipc:// bind at `endpoint` made (not a wildcard nor an abstract socket), by its inode. */
static void socket_file_record(socket_file *file, const char *endpoint) {
    static const char scheme[] = "ipc://";
    if (strncmp(endpoint, scheme, sizeof scheme - 1) != 0) return;
    const char *path = endpoint + sizeof scheme - 1;
    struct stat status;
    if (path[0] == '\0' || strcmp(path, "*") == 0 || path[0] == '@' || strlen(path) >= sizeof file->path ||
        lstat(path, &status) != 0) {
        return;
    }
    memcpy(file->path, path, strlen(path) + 1);
    file->device = status.st_dev;
    file->inode = status.st_ino;
    file->recorded = true;
}

/* libzmq leaves an ipc:// socket's file behind: removes it, unless another socket has bound the path since. */
static void socket_file_remove(socket_file *file) {
    struct stat status;
    if (file->recorded && lstat(file->path, &status) == 0 && status.st_dev == file->device &&
        status.st_ino == file->inode) {
        unlink(file->path);
    }
    file->recorded = false;
}

static void server_close(server *s) {
    shoal_curve_close(s->curve);
    if (s->socket != NULL) zmq_close(s->socket);
    socket_file_remove(&s->bound);
    shoal_heartbeats_close(s->heartbeats);
    if (s->context != NULL) zmq_ctx_term(s->context);
    if (s->session_made) shoal_session_free(&s->session);
    if (s->spec_made) shoal_spec_free(&s->spec);
    if (s->host_made) shoal_host_free(&s->host);
}

static int check_options(const shoal_env_options *options, char *error, size_t size) {
    if (options == NULL || options->endpoint == NULL || options->endpoint[0] == '\0') {
        shoal_format(error, size, "no endpoint to bind");
        return -1;
    }
    if (options->num_envs == 0) {
        shoal_format(error, size, "the number of environments must be at least 1");
        return -1;
    }
    if (!(options->heartbeat_seconds > 0) || isinf(options->heartbeat_seconds)) {
        shoal_format(error, size, "the heartbeat interval must be a positive number of seconds");
        return -1;
    }
    if (options->max_message_bytes < 0) {
        shoal_format(error, size, "the largest request must not be negative");
        return -1;
    }
    if (options->env_args != NULL && !shoal_printable_utf8(options->env_args)) {
        shoal_format(error, size, "the environment's arguments are not printable UTF-8");
        return -1;
    }
    return 0;
}

static int serve(server *s, const shoal_env_class *cls, void *user, const shoal_env_options *options) {
    const shoal_logger *logger = &s->logger;
    char error[SHOAL_TEXT_SIZE];
    if (check_options(options, error, sizeof error) != 0 || shoal_env_check(cls, error, sizeof error) != 0) {
        shoal_log(logger, "ERROR", "cannot serve: %s", error);
        return 2;
    }
    if (shoal_die_with_supervisor(logger) != 0) return 1;
    uint64_t seed = options->seed;
    if (!options->has_seed) {
        seed = (uint64_t)shoal_unix_nanos() ^ ((uint64_t)getpid() << 32);
        seed = shoal_splitmix64(&seed);
    }
    if (shoal_host_init(&s->host, cls, user, options->num_envs, options->env_args, seed, error, sizeof error) != 0) {
        shoal_log(logger, "ERROR", "cannot serve %s: %s", cls->name, error);
        return 2;
    }
    s->host_made = true;
    s->spec_made = shoal_spec_init(&s->spec, cls, options->num_envs) == 0;
    s->session_made = s->spec_made && shoal_session_init(&s->session, &s->host, &s->spec, logger) == 0;
    if (!s->session_made) {
        shoal_log(logger, "ERROR", "cannot serve %s: out of memory", cls->name);
        return 2;
    }

    s->context = zmq_ctx_new();
    if (s->context == NULL) {
        shoal_log(logger, "ERROR", "cannot make a ZeroMQ context: %s", zmq_strerror(zmq_errno()));
        return 1;
    }
    if (shoal_heartbeats_open(&s->heartbeats, s->context, options->id, options->heartbeat_seconds, logger) != 0) {
        return 1;
    }
    s->socket = zmq_socket(s->context, ZMQ_ROUTER);
    int linger = 0;
    int64_t largest = options->max_message_bytes;
    if ((options->curve_secret_key == NULL) != (options->curve_allow == NULL)) {
        shoal_log(logger, "ERROR", "CURVE needs both a secret key and an allow-list");
        return 2;
    }
    if (s->socket != NULL && options->curve_secret_key != NULL &&
        shoal_curve_open(&s->curve, s->context, s->socket, options->curve_secret_key, options->curve_allow,
                         logger) != 0) {
        return 2;
    }
    if (s->socket == NULL || zmq_setsockopt(s->socket, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_setsockopt(s->socket, ZMQ_MAXMSGSIZE, &largest, sizeof largest) != 0 ||
        zmq_bind(s->socket, options->endpoint) != 0) {
        shoal_log(logger, "ERROR", "cannot bind %s: %s", options->endpoint, zmq_strerror(zmq_errno()));
        return 1;
    }
    socket_file_record(&s->bound, options->endpoint);
    char endpoint[512];
    size_t endpoint_size = sizeof endpoint;
    if (zmq_getsockopt(s->socket, ZMQ_LAST_ENDPOINT, endpoint, &endpoint_size) != 0) {
        shoal_format(endpoint, sizeof endpoint, "%s", options->endpoint);
    }

    struct sigaction stop = {0}, previous_term, previous_int;
    stop.sa_handler = request_stop; /* without SA_RESTART, so that a signal ends the wait at once */
    sigemptyset(&stop.sa_mask);
    stop_requested = 0;
    sigaction(SIGTERM, &stop, &previous_term);
    sigaction(SIGINT, &stop, &previous_int);

    const shoal_box *observation = &cls->observation;
    char shape[160];
    size_t used = shoal_format(shape, sizeof shape, "[");
    for (uint32_t i = 0; i < observation->rank; i++) {
        used += shoal_format(shape + used, sizeof shape - used, "%s%lld", i ? ", " : "",
                             (long long)observation->shape[i]);
    }
    shoal_format(shape + used, sizeof shape - used, "]");
    shoal_log(logger, "INFO", "serving %s at %s: M=%u, observations %s %s, actions %s, max_episode_steps %u%s%s",
              cls->name, endpoint, options->num_envs, shoal_dtype_name(observation->dtype), shape,
              s->host.actions.space, cls->max_episode_steps, s->heartbeats != NULL ? ", heartbeats to " : "",
              s->heartbeats != NULL ? shoal_heartbeats_endpoint(s->heartbeats) : "");

    while (!stop_requested) {
        zmq_pollitem_t items[2] = {{.socket = s->socket, .events = ZMQ_POLLIN},
                                   {.socket = shoal_curve_zap_socket(s->curve), .events = ZMQ_POLLIN}};
        int ready = zmq_poll(items, s->curve != NULL ? 2 : 1, POLL_MILLISECONDS);
        if (ready > 0 && (items[1].revents & ZMQ_POLLIN) != 0) shoal_curve_answer(s->curve);
        if (ready > 0 && (items[0].revents & ZMQ_POLLIN) != 0) {
            serve_one(s->socket, &s->session, logger);
        } else if (ready < 0 && zmq_errno() != EINTR) {
            shoal_log(logger, "ERROR", "waiting for requests failed: %s", zmq_strerror(zmq_errno()));
            break;
        }
        shoal_heartbeats_tick(s->heartbeats, s->host.steps, s->session.requests, s->session.errors);
    }

    sigaction(SIGTERM, &previous_term, NULL);
    sigaction(SIGINT, &previous_int, NULL);
    shoal_log(logger, "INFO", "stopped after %llu requests (%llu errors)", (unsigned long long)s->session.requests,
              (unsigned long long)s->session.errors);
    return stop_requested ? 0 : 1;
}

int shoal_env_serve(const shoal_env_class *cls, void *user, const shoal_env_options *options) {
    server s = {0};
    s.logger.name = cls != NULL && cls->name != NULL && shoal_printable_utf8(cls->name) ? cls->name : "shoal-env";
    s.logger.quiet = options != NULL && options->quiet;
    int status = serve(&s, cls, user, options);
    server_close(&s);
    return status;
}
