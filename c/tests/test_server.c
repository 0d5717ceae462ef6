/* End-to-end test of the CartPole example server: started as a child process (fork/exec) on an ipc endpoint in a
 * temporary directory, spoken to with DEALER sockets and the generated protobuf-c code, its heartbeats received on a
 * PULL socket standing in for Shoal's supervisor, and stopped with SIGTERM.
 *
 *     SHOAL_TEST_SERVER=build/shoal-env-cartpole build/test_server
 *
 * SHOAL_TEST_WRAPPER, when set, is a command the server runs under, say "valgrind --error-exitcode=1 ...": the
 * server must then exit with status 0 too, so leaks and memory errors in it fail the test. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <zmq.h>

#include "shoal/v1/env.pb-c.h"
#include "shoal/v1/frame.pb-c.h"

enum { M = 4 };

static char directory[64];
static char endpoint[160];
static char supervisor[160];
static char server_log[160];
static pid_t server_pid = -1;

static void print_file(const char *path) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return;
    fprintf(stderr, "---- %s\n", path);
    char line[1024];
    while (fgets(line, sizeof line, file) != NULL) fputs(line, stderr);
    fclose(file);
    fprintf(stderr, "----\n");
}

static void clean_up(void) {
    if (server_pid > 0) {
        kill(server_pid, SIGKILL);
        waitpid(server_pid, NULL, 0);
        server_pid = -1;
    }
    if (directory[0] != '\0') {
        char command[128];
        snprintf(command, sizeof command, "rm -rf '%s'", directory);
        if (system(command) != 0) fprintf(stderr, "cannot remove %s\n", directory);
    }
}

static void fail(const char *file, int line, const char *what) {
    fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, what);
    print_file(server_log);
    clean_up();
    exit(1);
}

#define CHECK(condition)                                                                                              \
    do {                                                                                                              \
        if (!(condition)) fail(__FILE__, __LINE__, #condition);                                                       \
    } while (0)

#define CHECK_CONTAINS(text, part)                                                                                    \
    do {                                                                                                              \
        if (strstr((text), (part)) == NULL) {                                                                         \
            fprintf(stderr, "\"%s\" does not contain \"%s\"\n", (text), (part));                                      \
            fail(__FILE__, __LINE__, "CHECK_CONTAINS(" #text ", " #part ")");                                          \
        }                                                                                                             \
    } while (0)

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

/* ---- processes --------------------------------------------------------------------------------------------------- */

/* Starts the server program (under $SHOAL_TEST_WRAPPER) with `arguments` (NULL-terminated), its stdout and stderr
 * into files; `environment` is a NULL-terminated list of "NAME=value" to set. */
static pid_t spawn(const char *const *arguments, const char *const *environment, const char *out, const char *err) {
    const char *program = getenv("SHOAL_TEST_SERVER");
    if (program == NULL) program = "build/shoal-env-cartpole";
    static char wrapper[1024];
    const char *argv[64];
    size_t argc = 0;
    const char *words = getenv("SHOAL_TEST_WRAPPER");
    if (words != NULL) {
        snprintf(wrapper, sizeof wrapper, "%s", words);
        for (char *word = strtok(wrapper, " "); word != NULL && argc < 40; word = strtok(NULL, " ")) {
            argv[argc++] = word;
        }
    }
    argv[argc++] = program;
    for (size_t i = 0; arguments[i] != NULL && argc < 63; i++) argv[argc++] = arguments[i];
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        int out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err_fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out_fd < 0 || err_fd < 0) _exit(126);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        close(out_fd);
        close(err_fd);
        for (size_t i = 0; environment != NULL && environment[i] != NULL; i++) putenv((char *)environment[i]);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* The exit status of `pid`, waiting at most `seconds`. */
static int wait_exit(pid_t pid, double seconds) {
    double end = now_seconds() + seconds;
    for (;;) {
        int status;
        pid_t done = waitpid(pid, &status, WNOHANG);
        CHECK(done >= 0);
        if (done == pid) {
            if (pid == server_pid) server_pid = -1;
            CHECK(WIFEXITED(status));
            return WEXITSTATUS(status);
        }
        CHECK(now_seconds() < end);
        usleep(20 * 1000);
    }
}

static char *read_file(const char *path) {
    FILE *file = fopen(path, "r");
    CHECK(file != NULL);
    static char text[65536];
    size_t size = fread(text, 1, sizeof text - 1, file);
    text[size] = '\0';
    fclose(file);
    return text;
}

/* Runs the program to its end: its exit status, and its stdout and stderr in *out and *err (valid until the next). */
static int run(const char *const *arguments, const char *const *environment, char **out, char **err) {
    char out_path[200], err_path[200];
    snprintf(out_path, sizeof out_path, "%s/out", directory);
    snprintf(err_path, sizeof err_path, "%s/err", directory);
    int status = wait_exit(spawn(arguments, environment, out_path, err_path), 60);
    static char out_text[65536], err_text[65536];
    snprintf(out_text, sizeof out_text, "%s", read_file(out_path));
    snprintf(err_text, sizeof err_text, "%s", read_file(err_path));
    *out = out_text;
    *err = err_text;
    return status;
}

/* ---- a client ---------------------------------------------------------------------------------------------------- */

static void *context;

typedef struct client {
    void *socket;
    uint64_t next_id;
} client;

/* A client; with `keys` (its public and secret key and the server's public key, Z85) a CURVE client. */
static client open_secure_client(const char *identity, int type, const char *const keys[3]) {
    client c = {zmq_socket(context, type), 1};
    CHECK(c.socket != NULL);
    int linger = 0;
    CHECK(zmq_setsockopt(c.socket, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK(zmq_setsockopt(c.socket, ZMQ_ROUTING_ID, identity, strlen(identity)) == 0);
    if (keys != NULL) {
        CHECK(zmq_setsockopt(c.socket, ZMQ_CURVE_PUBLICKEY, keys[0], 40) == 0);
        CHECK(zmq_setsockopt(c.socket, ZMQ_CURVE_SECRETKEY, keys[1], 40) == 0);
        CHECK(zmq_setsockopt(c.socket, ZMQ_CURVE_SERVERKEY, keys[2], 40) == 0);
    }
    CHECK(zmq_connect(c.socket, endpoint) == 0);
    return c;
}

static client open_client(const char *identity, int type) { return open_secure_client(identity, type, NULL); }

static Shoal__V1__EnvReply *last_reply;

/* The next reply on the client's socket, within `seconds`. */
static Shoal__V1__EnvReply *receive(client *c, double seconds) {
    zmq_pollitem_t item = {.socket = c->socket, .events = ZMQ_POLLIN};
    CHECK(zmq_poll(&item, 1, (long)(seconds * 1000)) == 1);
    zmq_msg_t message;
    zmq_msg_init(&message);
    CHECK(zmq_msg_recv(&message, c->socket, 0) >= 0);
    CHECK(!zmq_msg_more(&message));
    if (last_reply != NULL) shoal__v1__env_reply__free_unpacked(last_reply, NULL);
    last_reply = shoal__v1__env_reply__unpack(NULL, zmq_msg_size(&message), zmq_msg_data(&message));
    zmq_msg_close(&message);
    CHECK(last_reply != NULL);
    CHECK(last_reply->protocol_version == 1);
    return last_reply;
}

static void send_bytes(client *c, const void *payload, size_t size) {
    CHECK(zmq_send(c->socket, payload, size, 0) == (int)size);
}

static uint64_t requests_sent, error_replies, steps_served;

/* Sends a request (version 1 and the client's next id unless set) and returns its reply; the id must be echoed. */
static Shoal__V1__EnvReply *call(client *c, Shoal__V1__EnvRequest *request, double seconds) {
    if (request->protocol_version == 0) request->protocol_version = 1;
    if (request->request_id == 0) request->request_id = c->next_id++;
    size_t size = shoal__v1__env_request__get_packed_size(request);
    uint8_t *payload = malloc(size + 1);
    CHECK(payload != NULL);
    shoal__v1__env_request__pack(request, payload);
    send_bytes(c, payload, size);
    free(payload);
    Shoal__V1__EnvReply *reply = receive(c, seconds);
    CHECK(reply->request_id == request->request_id);
    requests_sent++;
    if (reply->body_case == SHOAL__V1__ENV_REPLY__BODY_ERROR) error_replies++;
    if (reply->body_case == SHOAL__V1__ENV_REPLY__BODY_TRANSITIONS) steps_served++;
    return reply;
}

static Shoal__V1__EnvReply *hello(client *c, bool describe_only, double seconds) {
    Shoal__V1__EnvHello body = SHOAL__V1__ENV_HELLO__INIT;
    body.client = "test_server";
    body.describe_only = describe_only;
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_HELLO;
    request.hello = &body;
    return call(c, &request, seconds);
}

static Shoal__V1__EnvReply *reset(client *c, const uint64_t *seeds, size_t count) {
    Shoal__V1__EnvReset body = SHOAL__V1__ENV_RESET__INIT;
    body.seeds = (uint64_t *)seeds;
    body.n_seeds = count;
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_RESET;
    request.reset = &body;
    return call(c, &request, 30);
}

static Shoal__V1__EnvReply *step_with(client *c, int dtype, const int64_t *shape, size_t rank, const void *data,
                                      size_t size) {
    Shoal__V1__Tensor actions = SHOAL__V1__TENSOR__INIT;
    actions.dtype = (Shoal__V1__DType)dtype;
    actions.shape = (int64_t *)shape;
    actions.n_shape = rank;
    actions.data.data = (uint8_t *)data;
    actions.data.len = size;
    Shoal__V1__EnvStep body = SHOAL__V1__ENV_STEP__INIT;
    body.actions = &actions;
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_STEP;
    request.step = &body;
    return call(c, &request, 30);
}

static Shoal__V1__EnvReply *step(client *c, const int64_t actions[M]) {
    const int64_t shape[] = {M};
    return step_with(c, SHOAL__V1__DTYPE__DTYPE_INT64, shape, 1, actions, sizeof(int64_t) * M);
}

static const char *error_of(const Shoal__V1__EnvReply *reply) {
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_ERROR);
    return reply->error->message;
}

/* Copies the float32 [K, 4] observations of a tensor (K rows expected). */
static void observations_of(const Shoal__V1__Tensor *tensor, size_t rows, float out[][4]) {
    CHECK(tensor != NULL && tensor->dtype == SHOAL__V1__DTYPE__DTYPE_FLOAT32);
    CHECK(tensor->n_shape == 2 && tensor->shape[0] == (int64_t)rows && tensor->shape[1] == 4);
    CHECK(tensor->data.len == rows * 4 * sizeof(float));
    if (rows > 0) memcpy(out, tensor->data.data, tensor->data.len);
}

static bool first_observation(const float row[4]) {
    for (int j = 0; j < 4; j++) {
        if (!(fabsf(row[j]) <= 0.05f)) return false;
    }
    return true;
}

#define THETA_THRESHOLD (12 * 2 * 3.141592653589793 / 360)

/* Checks one step's transitions against CartPole's rules; `lengths` are the running episodes' lengths. */
static const Shoal__V1__EnvTransitions *check_step(const Shoal__V1__EnvReply *reply, int64_t lengths[M],
                                                   int *terminations, int *truncations) {
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_TRANSITIONS);
    const Shoal__V1__EnvTransitions *t = reply->transitions;
    CHECK(t->n_rewards == M && t->n_terminated == M && t->n_truncated == M);
    float observations[M][4], finals[M][4];
    observations_of(t->observations, M, observations);
    observations_of(t->final_observations, t->n_ended, finals);
    CHECK(t->n_episodes == t->n_ended);
    size_t k = 0;
    for (uint32_t i = 0; i < M; i++) {
        CHECK(t->rewards[i] == 1.0);
        lengths[i]++;
        bool ended = t->terminated[i] || t->truncated[i];
        CHECK(t->truncated[i] == (lengths[i] == 500)); /* the library's time limit, and nothing else */
        if (!ended) {
            CHECK(fabsf(observations[i][0]) <= 2.4f && fabsf(observations[i][2]) <= (float)THETA_THRESHOLD);
            continue;
        }
        CHECK(k < t->n_ended && t->ended[k] == i); /* ended: the flagged environments, increasing */
        const float *final = finals[k];
        if (t->terminated[i]) {
            CHECK(fabsf(final[0]) > 2.4f - 1e-6f || fabsf(final[2]) > (float)THETA_THRESHOLD - 1e-6f);
            (*terminations)++;
        }
        if (t->truncated[i]) (*truncations)++;
        CHECK(first_observation(observations[i])); /* same-step autoreset: the next episode's first observation */
        CHECK(memcmp(final, observations[i], sizeof observations[i]) != 0);
        CHECK(t->episodes[k]->length == lengths[i]);
        CHECK(t->episodes[k]->episode_return == (double)lengths[i]); /* reward 1 per step, the last one too */
        lengths[i] = 0;
        k++;
    }
    CHECK(k == t->n_ended);
    return t;
}

/* ---- the tests --------------------------------------------------------------------------------------------------- */

static void test_command_line(void) {
    char *out, *err;
    const char *describe[] = {"describe", NULL};
    CHECK(run(describe, NULL, &out, &err) == 0);
    CHECK_CONTAINS(out, "\"env_name\": \"CartPoleC-v1\"");
    CHECK_CONTAINS(out, "\"discrete\": {\n      \"n\": 2,\n      \"start\": 0\n    }");
    CHECK_CONTAINS(out, "\"max_episode_steps\": 500");
    CHECK_CONTAINS(out, "-4.800000190734863");

    const char *no_endpoint[] = {"serve", "--num-envs", "2", NULL};
    CHECK(run(no_endpoint, NULL, &out, &err) == 2);
    CHECK_CONTAINS(err, "the following arguments are required: ENDPOINT");
    const char *zero_envs[] = {"serve", endpoint, "--num-envs", "0", NULL};
    CHECK(run(zero_envs, NULL, &out, &err) == 2);
    CHECK_CONTAINS(err, "argument --num-envs: 0 is not a positive integer");
    const char *bad_seconds[] = {"serve", endpoint, "--heartbeat-seconds=nan", NULL};
    CHECK(run(bad_seconds, NULL, &out, &err) == 2);
    CHECK_CONTAINS(err, "argument --heartbeat-seconds");
    const char *bad_json[] = {"serve", endpoint, "--env-args", "{\"g\": ", NULL};
    CHECK(run(bad_json, NULL, &out, &err) == 2);
    CHECK_CONTAINS(err, "argument --env-args: not JSON");
    const char *unknown[] = {"serve", endpoint, "--vectorization", "sync", NULL};
    CHECK(run(unknown, NULL, &out, &err) == 2);
    CHECK_CONTAINS(err, "unrecognized arguments: --vectorization");
    const char *arguments[] = {"serve", endpoint, "--env-args", "{\"g\": 9.81}", NULL};
    CHECK(run(arguments, NULL, &out, &err) == 2);
    CHECK_CONTAINS(err, "cannot create environment 0 of CartPoleC-v1: CartPoleC-v1 takes no arguments");

    /* Started by a supervisor that is not its parent (any more): it exits at once. */
    static char orphan[64];
    snprintf(orphan, sizeof orphan, "SHOAL_SUPERVISOR_PID=%ld", (long)getpid() + 100000);
    const char *environment[] = {orphan, NULL};
    const char *serve[] = {"serve", endpoint, NULL};
    CHECK(run(serve, environment, &out, &err) == 1);
    CHECK_CONTAINS(err, "the supervisor (pid ");
    CHECK_CONTAINS(err, ") is gone; exiting");
}

static void test_signal_stops(int signum) {
    char out[200];
    snprintf(out, sizeof out, "%s/signal.out", directory);
    const char *serve[] = {"serve", endpoint, "--num-envs", "1", NULL};
    server_pid = spawn(serve, NULL, out, server_log);
    client c = open_client("signal", ZMQ_DEALER);
    CHECK(hello(&c, false, 60)->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    zmq_close(c.socket);
    CHECK(kill(server_pid, signum) == 0);
    CHECK(wait_exit(server_pid, 60) == 0);
    CHECK_CONTAINS(read_file(server_log), "stopped after 1 requests (0 errors)");
}

/* Writes a key pair as `shoal keygen` does, NAME.key and NAME.pub in `folder`; the keys in `public`, `secret`. */
static void keygen(const char *folder, const char *name, char public[41], char secret[41]) {
    CHECK(zmq_curve_keypair(public, secret) == 0);
    char path[300];
    snprintf(path, sizeof path, "%s/%s.key", folder, name);
    FILE *file = fopen(path, "w");
    CHECK(file != NULL);
    fprintf(file, "# Shoal CURVE secret key '%s': keep it private\n%s\n", name, secret);
    fclose(file);
    snprintf(path, sizeof path, "%s/%s.pub", folder, name);
    file = fopen(path, "w");
    CHECK(file != NULL);
    fprintf(file, "# Shoal CURVE public key '%s'\n%s\n", name, public);
    fclose(file);
}

/* A CURVE server answers the client on its allow-list (a folder of .pub files) and nobody else. */
static void test_curve(void) {
    char clients[120], secret_key[200], server_public[41], server_secret[41];
    char actor_public[41], actor_secret[41], stranger_public[41], stranger_secret[41];
    snprintf(clients, sizeof clients, "%s/clients", directory);
    CHECK(mkdir(clients, 0700) == 0);
    keygen(directory, "env-server", server_public, server_secret);
    keygen(clients, "actor", actor_public, actor_secret);
    keygen(directory, "stranger", stranger_public, stranger_secret);
    snprintf(secret_key, sizeof secret_key, "%s/env-server.key", directory);
    char out[200];
    snprintf(out, sizeof out, "%s/curve.out", directory);
    const char *serve[] = {"serve", endpoint, "--curve-secret-key", secret_key, "--curve-allow", clients, NULL};
    server_pid = spawn(serve, NULL, out, server_log);

    const char *actor_keys[3] = {actor_public, actor_secret, server_public};
    client allowed = open_secure_client("allowed", ZMQ_DEALER, actor_keys);
    CHECK(hello(&allowed, true, 60)->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    const char *stranger_keys[3] = {stranger_public, stranger_secret, server_public};
    client refused[2] = {open_secure_client("stranger", ZMQ_DEALER, stranger_keys),
                         open_client("plain", ZMQ_DEALER)};
    for (int i = 0; i < 2; i++) {
        /* A refused handshake can leave the socket without a peer to queue for: then the send fails at once. */
        if (zmq_send(refused[i].socket, "", 0, ZMQ_DONTWAIT) == 0) {
            zmq_pollitem_t item = {.socket = refused[i].socket, .events = ZMQ_POLLIN};
            CHECK(zmq_poll(&item, 1, 1500) == 0);
        } else {
            CHECK(zmq_errno() == EAGAIN);
        }
        zmq_close(refused[i].socket);
    }
    zmq_close(allowed.socket);
    CHECK(kill(server_pid, SIGTERM) == 0);
    CHECK(wait_exit(server_pid, 60) == 0);
    CHECK(access(endpoint + strlen("ipc://"), F_OK) != 0); /* its socket file removed */
    char *log = read_file(server_log);
    CHECK_CONTAINS(log, "CURVE: public key ");
    CHECK_CONTAINS(log, stranger_public);
}

static void test_server(void) {
    requests_sent = error_replies = steps_served = 0; /* what this server will have served */
    void *pull = zmq_socket(context, ZMQ_PULL);
    int linger = 0;
    CHECK(zmq_setsockopt(pull, ZMQ_LINGER, &linger, sizeof linger) == 0);
    CHECK(zmq_bind(pull, supervisor) == 0);
    static char supervisor_variable[200], supervisor_pid[64];
    snprintf(supervisor_variable, sizeof supervisor_variable, "SHOAL_SUPERVISOR=%s", supervisor);
    snprintf(supervisor_pid, sizeof supervisor_pid, "SHOAL_SUPERVISOR_PID=%ld", (long)getpid());
    const char *environment[] = {supervisor_variable, supervisor_pid, "SHOAL_RUN_ID=run-c", "SHOAL_INCARNATION=3",
                                 NULL};
    const char *serve[] = {"serve", endpoint, "--num-envs", "4", "--id", "7", "--heartbeat-seconds", "0.2",
                           "--seed", "5", "--env-args", "{}", NULL};
    char out[200];
    snprintf(out, sizeof out, "%s/server.out", directory);
    server_pid = spawn(serve, environment, out, server_log);

    /* hello: the spec */
    client a = open_client("client-a", ZMQ_DEALER);
    Shoal__V1__EnvReply *reply = hello(&a, false, 60);
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    const Shoal__V1__EnvSpec *spec = reply->spec;
    CHECK(strcmp(spec->env_name, "CartPoleC-v1") == 0);
    CHECK(spec->num_envs == M && spec->max_episode_steps == 500);
    CHECK(spec->observation->dtype == SHOAL__V1__DTYPE__DTYPE_FLOAT32);
    CHECK(spec->observation->n_shape == 1 && spec->observation->shape[0] == 4);
    const Shoal__V1__BoxSpace *box = spec->observation_space->box;
    CHECK(spec->observation_space->kind_case == SHOAL__V1__SPACE__KIND_BOX);
    CHECK(box->dtype == SHOAL__V1__DTYPE__DTYPE_FLOAT32 && box->n_shape == 1 && box->shape[0] == 4);
    CHECK(box->n_low == 4 && box->n_high == 4);
    CHECK(box->high[0] == (double)4.8f && isinf(box->high[1]) && box->high[2] == (double)(float)(THETA_THRESHOLD * 2));
    CHECK(box->low[0] == -(double)4.8f && isinf(box->low[3]) && box->low[3] < 0);
    CHECK(spec->action_space->kind_case == SHOAL__V1__SPACE__KIND_DISCRETE);
    CHECK(spec->action_space->discrete->n == 2 && spec->action_space->discrete->start == 0);
    CHECK(strstr(spec->server, "shoal-env C library") != NULL);

    /* a step before any reset */
    const int64_t right[M] = {1, 1, 1, 1};
    CHECK_CONTAINS(error_of(step(&a, right)), "need a reset before a step");

    /* resets: the same seeds give the same first observations */
    const uint64_t seeds[M] = {1, 2, 3, 4}, other_seeds[M] = {5, 6, 7, 8};
    float first[M][4], again[M][4], other[M][4];
    reply = reset(&a, seeds, M);
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS);
    observations_of(reply->observations->observations, M, first);
    for (int i = 0; i < M; i++) CHECK(first_observation(first[i]));
    CHECK(memcmp(first[0], first[1], sizeof first[0]) != 0);
    observations_of(reset(&a, seeds, M)->observations->observations, M, again);
    CHECK(memcmp(first, again, sizeof first) == 0);
    observations_of(reset(&a, other_seeds, M)->observations->observations, M, other);
    CHECK(memcmp(first, other, sizeof first) != 0);
    observations_of(reset(&a, NULL, 0)->observations->observations, M, other); /* seeds the server draws */
    for (int i = 0; i < M; i++) CHECK(first_observation(other[i]));
    CHECK_CONTAINS(error_of(reset(&a, seeds, 3)), "a reset needs 4 seeds, one per environment, or none; got 3");

    /* a describe-only hello does not take the server over */
    client b = open_client("client-b", ZMQ_DEALER);
    reply = hello(&b, true, 30);
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC && reply->spec->num_envs == M);
    CHECK_CONTAINS(error_of(reset(&b, seeds, M)), "reset from a client without a session: send a hello first");
    client req = open_client("client-req", ZMQ_REQ); /* a REQ client's envelope has an empty delimiter */
    CHECK(hello(&req, true, 30)->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    zmq_close(req.socket);

    /* episodes that end (pushing right topples the pole in about ten steps): same-step autoreset */
    int64_t lengths[M] = {0};
    int terminations = 0, truncations = 0;
    CHECK(reset(&a, seeds, M)->body_case == SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS);
    for (int t = 0; t < 60; t++) check_step(step(&a, right), lengths, &terminations, &truncations);
    CHECK(terminations >= 3 * M && truncations == 0);

    /* the time limit: a policy that balances (push toward the pole's lean) runs into it at 500 steps */
    reply = reset(&a, seeds, M);
    float observations[M][4];
    observations_of(reply->observations->observations, M, observations);
    memset(lengths, 0, sizeof lengths);
    terminations = truncations = 0;
    for (int t = 0; t < 500; t++) {
        int64_t balance[M];
        for (int i = 0; i < M; i++) balance[i] = observations[i][2] + 0.5f * observations[i][3] > 0;
        const Shoal__V1__EnvTransitions *transitions = check_step(step(&a, balance), lengths, &terminations,
                                                                  &truncations);
        observations_of(transitions->observations, M, observations);
        if (t < 499) CHECK(transitions->n_ended == 0);
    }
    CHECK(terminations == 0 && truncations == M);

    /* request ids are echoed, whatever they are */
    Shoal__V1__EnvHello describe_body = SHOAL__V1__ENV_HELLO__INIT;
    describe_body.describe_only = true;
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_HELLO;
    request.hello = &describe_body;
    request.request_id = 0xFEEDFACECAFEBEEFULL;
    CHECK(call(&a, &request, 30)->request_id == 0xFEEDFACECAFEBEEFULL);

    /* malformed requests get an EnvError, and the server keeps answering */
    send_bytes(&a, "\x0a\xff\xff\xff", 4);
    reply = receive(&a, 30);
    requests_sent++;
    error_replies++;
    CHECK(reply->request_id == 0);
    CHECK_CONTAINS(error_of(reply), "ProtocolError: undecodable EnvRequest of 4 bytes");
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    request.protocol_version = 2;
    CHECK_CONTAINS(error_of(call(&a, &request, 30)), "protocol version 2 is not spoken here (this server speaks 1)");
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    CHECK_CONTAINS(error_of(call(&a, &request, 30)), "EnvRequest without a body");

    /* wrong actions get an EnvError naming what is wrong, and change nothing */
    const int64_t short_shape[] = {M - 1}, long_shape[] = {M, 1}, shape[] = {M};
    CHECK_CONTAINS(error_of(step_with(&a, SHOAL__V1__DTYPE__DTYPE_INT64, short_shape, 1, right, 8 * (M - 1))),
                   "actions must be int64 [4] for Discrete(2), got shape [3]");
    CHECK_CONTAINS(error_of(step_with(&a, SHOAL__V1__DTYPE__DTYPE_INT64, long_shape, 2, right, 8 * M)),
                   "got shape [4, 1]");
    const float floats[M] = {1, 1, 1, 1};
    CHECK_CONTAINS(error_of(step_with(&a, SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape, 1, floats, sizeof floats)),
                   "got dtype DTYPE_FLOAT32");
    CHECK_CONTAINS(error_of(step_with(&a, SHOAL__V1__DTYPE__DTYPE_INT64, shape, 1, right, 8 * M - 3)),
                   "needs 32 bytes of data, it has 29");
    const int64_t outside[M] = {0, 1, 2, 0};
    CHECK_CONTAINS(error_of(step(&a, outside)), "action [2] of environment 2 is outside Discrete(2)");
    Shoal__V1__EnvStep no_actions = SHOAL__V1__ENV_STEP__INIT;
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_STEP;
    request.step = &no_actions;
    CHECK_CONTAINS(error_of(call(&a, &request, 30)), "a step without actions (expected int64 [4])");
    check_step(step(&a, right), lengths, &terminations, &truncations); /* the episodes go on where they were */

    /* a second client's hello takes the server over */
    client c = open_client("client-c", ZMQ_DEALER);
    CHECK(hello(&c, false, 30)->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    CHECK_CONTAINS(error_of(step(&a, right)), "another client's hello took the server over");
    CHECK_CONTAINS(error_of(step(&c, right)), "need a reset before a step");
    CHECK(reset(&c, seeds, M)->body_case == SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS);
    memset(lengths, 0, sizeof lengths);
    check_step(step(&c, right), lengths, &terminations, &truncations);

    /* heartbeats, the last ones counting everything served */
    double end = now_seconds() + 30;
    int heartbeats = 0;
    bool caught_up = false;
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    while (!caught_up && now_seconds() < end) {
        zmq_pollitem_t item = {.socket = pull, .events = ZMQ_POLLIN};
        if (zmq_poll(&item, 1, 500) != 1) continue;
        zmq_msg_t message;
        zmq_msg_init(&message);
        CHECK(zmq_msg_recv(&message, pull, 0) >= 0);
        Shoal__V1__Frame *frame = shoal__v1__frame__unpack(NULL, zmq_msg_size(&message), zmq_msg_data(&message));
        zmq_msg_close(&message);
        CHECK(frame != NULL && frame->protocol_version == 1);
        CHECK(frame->body_case == SHOAL__V1__FRAME__BODY_HEARTBEAT);
        const Shoal__V1__Heartbeat *beat = frame->heartbeat;
        CHECK(beat->role == SHOAL__V1__ROLE__ROLE_ENV_SERVER && beat->id == 7 && beat->incarnation == 3);
        CHECK(strcmp(beat->run_id, "run-c") == 0 && strcmp(beat->host, host) == 0);
        CHECK(beat->pid == server_pid);
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        CHECK(llabs(beat->timestamp_nanos - ((int64_t)now.tv_sec * 1000000000LL + now.tv_nsec)) < 60000000000LL);
        double requests = -1, errors = -1;
        for (size_t i = 0; i < beat->n_stats; i++) {
            if (strcmp(beat->stats[i]->key, "requests") == 0) requests = beat->stats[i]->value;
            if (strcmp(beat->stats[i]->key, "errors") == 0) errors = beat->stats[i]->value;
        }
        CHECK(requests >= 0 && errors >= 0);
        if (requests == (double)requests_sent) {
            CHECK(errors == (double)error_replies);
            CHECK(beat->environment_steps == steps_served * M);
            caught_up = true;
        }
        heartbeats++;
        shoal__v1__frame__free_unpacked(frame, NULL);
    }
    CHECK(heartbeats >= 1 && caught_up);

    /* SIGTERM: the server finishes, frees everything and exits 0 (under valgrind: without leaks or errors) */
    zmq_close(a.socket);
    zmq_close(b.socket);
    zmq_close(c.socket);
    zmq_close(pull);
    CHECK(kill(server_pid, SIGTERM) == 0);
    CHECK(wait_exit(server_pid, 60) == 0);
    CHECK(access(endpoint + strlen("ipc://"), F_OK) != 0); /* its socket file removed */
    char *log = read_file(server_log);
    CHECK_CONTAINS(log, "serving CartPoleC-v1 at ipc://");
    CHECK_CONTAINS(log, "M=4, observations float32 [4], actions Discrete(2), max_episode_steps 500, heartbeats to");
    CHECK_CONTAINS(log, "client 'test_server' takes over the server");
}

int main(void) {
    snprintf(directory, sizeof directory, "/tmp/shoal-env-test-XXXXXX");
    CHECK(mkdtemp(directory) != NULL);
    snprintf(endpoint, sizeof endpoint, "ipc://%s/env.sock", directory);
    snprintf(supervisor, sizeof supervisor, "ipc://%s/supervisor.sock", directory);
    snprintf(server_log, sizeof server_log, "%s/server.log", directory);
    context = zmq_ctx_new();
    CHECK(context != NULL);

    test_command_line();
    test_signal_stops(SIGINT);
    test_curve();
    test_server();

    if (last_reply != NULL) shoal__v1__env_reply__free_unpacked(last_reply, NULL);
    zmq_ctx_term(context);
    clean_up();
    printf("test_server: all passed%s\n",
           getenv("SHOAL_TEST_WRAPPER") != NULL ? " (the server under the wrapper too)" : "");
    return 0;
}
