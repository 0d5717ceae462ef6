/* A benchmark client: steps an environment server through the protocol as fast as one client can (one request in
 * flight, as Shoal's actors step a server) and prints environment steps per second.
 *
 *     build/shoal-env-cartpole serve ipc:///tmp/bench.sock --num-envs 16 &
 *     build/shoal-env-bench ipc:///tmp/bench.sock [SECONDS]
 *
 * Actions are fixed, of period 2: at step t, environment i takes the index ((t + i) mod 2) mod n of a Discrete(n)
 * space (every choice of a MultiDiscrete alike), and -1 when t + i is even, +1 when odd, in every element of a Box
 * (clipped to its bounds by the server). CartPole's episodes then last a few dozen steps, so autoresets are part of
 * the cost. python/benchmarks/protocol_cost.py steps its in-process reference with the same actions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zmq.h>

#include "shoal/v1/env.pb-c.h"

static double now_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

static uint64_t next_id = 1;

/* Sends a request and returns its reply (the caller frees it), or NULL after 30 s. */
static Shoal__V1__EnvReply *call(void *socket, Shoal__V1__EnvRequest *request, uint8_t **buffer, size_t *capacity) {
    request->protocol_version = 1;
    request->request_id = next_id++;
    size_t size = shoal__v1__env_request__get_packed_size(request);
    if (size > *capacity) {
        free(*buffer);
        *capacity = 2 * size;
        *buffer = malloc(*capacity);
        if (*buffer == NULL) return NULL;
    }
    shoal__v1__env_request__pack(request, *buffer);
    if (zmq_send(socket, *buffer, size, 0) != (int)size) return NULL;
    zmq_pollitem_t item = {.socket = socket, .events = ZMQ_POLLIN};
    if (zmq_poll(&item, 1, 30000) != 1) return NULL;
    zmq_msg_t message;
    zmq_msg_init(&message);
    if (zmq_msg_recv(&message, socket, 0) < 0) return NULL;
    Shoal__V1__EnvReply *reply = shoal__v1__env_reply__unpack(NULL, zmq_msg_size(&message), zmq_msg_data(&message));
    zmq_msg_close(&message);
    if (reply == NULL || reply->request_id != request->request_id) {
        fprintf(stderr, "bench: bad reply\n");
        exit(1);
    }
    if (reply->body_case == SHOAL__V1__ENV_REPLY__BODY_ERROR) {
        fprintf(stderr, "bench: %s\n", reply->error->message);
        exit(1);
    }
    return reply;
}

/* The action tensor of M environments, with its data for even and for odd steps. */
typedef struct {
    Shoal__V1__Tensor tensor;
    int64_t *shape;
    void *data[2];
} Actions;

/* Fills `actions` for the action space of M environments; 0, or -1 (and a message) for a space it cannot step. */
static int make_actions(Actions *actions, const Shoal__V1__Space *space, uint32_t m) {
    const int64_t *nvec = NULL; /* choices per element, for Discrete and MultiDiscrete */
    const int64_t *box_shape = NULL;
    size_t rank = 0, per_env = 1;
    if (space->kind_case == SHOAL__V1__SPACE__KIND_DISCRETE) {
        nvec = &space->discrete->n;
    } else if (space->kind_case == SHOAL__V1__SPACE__KIND_MULTI_DISCRETE) {
        nvec = space->multi_discrete->nvec;
        per_env = space->multi_discrete->n_nvec;
        rank = 1;
    } else if (space->kind_case == SHOAL__V1__SPACE__KIND_BOX) {
        box_shape = space->box->shape;
        rank = space->box->n_shape;
        for (size_t d = 0; d < rank; d++) per_env *= (size_t)box_shape[d];
    } else {
        fprintf(stderr, "bench: an action space that is neither Discrete, MultiDiscrete nor Box\n");
        return -1;
    }
    for (size_t j = 0; nvec != NULL && j < per_env; j++) {
        if (nvec[j] < 1) {
            fprintf(stderr, "bench: a choice of %lld actions\n", (long long)nvec[j]);
            return -1;
        }
    }
    size_t count = (size_t)m * per_env;
    actions->shape = malloc((1 + rank) * sizeof *actions->shape);
    for (int parity = 0; parity < 2; parity++) actions->data[parity] = calloc(count + 1, sizeof(int64_t));
    if (actions->shape == NULL || actions->data[0] == NULL || actions->data[1] == NULL) return -1;
    actions->shape[0] = m;
    for (size_t d = 0; d < rank; d++) actions->shape[1 + d] = box_shape != NULL ? box_shape[d] : (int64_t)per_env;
    for (int parity = 0; parity < 2; parity++) {
        for (size_t k = 0; k < count; k++) {
            int odd = (int)(((size_t)parity + k / per_env) & 1); /* (t + i) mod 2 */
            if (nvec != NULL)
                ((int64_t *)actions->data[parity])[k] = odd % nvec[k % per_env];
            else
                ((float *)actions->data[parity])[k] = odd ? 1.0f : -1.0f;
        }
    }
    actions->tensor = (Shoal__V1__Tensor)SHOAL__V1__TENSOR__INIT;
    actions->tensor.dtype = nvec != NULL ? SHOAL__V1__DTYPE__DTYPE_INT64 : SHOAL__V1__DTYPE__DTYPE_FLOAT32;
    actions->tensor.shape = actions->shape;
    actions->tensor.n_shape = 1 + rank;
    actions->tensor.data.len = count * (nvec != NULL ? sizeof(int64_t) : sizeof(float));
    return 0;
}

static void free_actions(Actions *actions) {
    free(actions->shape);
    free(actions->data[0]);
    free(actions->data[1]);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s ENDPOINT [SECONDS]\n", argv[0]);
        return 2;
    }
    double seconds = argc > 2 ? atof(argv[2]) : 5.0;
    void *context = zmq_ctx_new();
    void *socket = zmq_socket(context, ZMQ_DEALER);
    int linger = 0;
    zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect(socket, argv[1]) != 0) {
        fprintf(stderr, "bench: cannot connect to %s\n", argv[1]);
        return 1;
    }
    uint8_t *buffer = NULL;
    size_t capacity = 0;

    Shoal__V1__EnvHello hello = SHOAL__V1__ENV_HELLO__INIT;
    hello.client = "shoal-env-bench";
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_HELLO;
    request.hello = &hello;
    Shoal__V1__EnvReply *reply = call(socket, &request, &buffer, &capacity);
    if (reply == NULL || reply->body_case != SHOAL__V1__ENV_REPLY__BODY_SPEC) {
        fprintf(stderr, "bench: no spec\n");
        return 1;
    }
    uint32_t m = reply->spec->num_envs;
    printf("%s, M=%u (%s)\n", reply->spec->env_name, m, reply->spec->server);
    Actions actions = {0};
    int made = make_actions(&actions, reply->spec->action_space, m);
    shoal__v1__env_reply__free_unpacked(reply, NULL);
    if (made != 0) {
        free_actions(&actions);
        return 1;
    }

    Shoal__V1__EnvReset reset = SHOAL__V1__ENV_RESET__INIT;
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_RESET;
    request.reset = &reset;
    reply = call(socket, &request, &buffer, &capacity);
    if (reply == NULL) return 1;
    shoal__v1__env_reply__free_unpacked(reply, NULL);

    Shoal__V1__EnvStep step = SHOAL__V1__ENV_STEP__INIT;
    step.actions = &actions.tensor;
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_STEP;
    request.step = &step;

    uint64_t steps = 0, episodes = 0;
    double start = now_seconds(), elapsed = 0;
    while (elapsed < seconds) {
        actions.tensor.data.data = actions.data[steps & 1];
        reply = call(socket, &request, &buffer, &capacity);
        if (reply == NULL || reply->body_case != SHOAL__V1__ENV_REPLY__BODY_TRANSITIONS) {
            fprintf(stderr, "bench: no transitions\n");
            return 1;
        }
        episodes += reply->transitions->n_ended;
        shoal__v1__env_reply__free_unpacked(reply, NULL);
        steps++;
        if ((steps & 63) == 0) elapsed = now_seconds() - start;
    }
    elapsed = now_seconds() - start;
    printf("%llu requests in %.2f s: %.0f environment steps/s, %.1f us per request, %llu episodes ended\n",
           (unsigned long long)steps, elapsed, (double)(steps * m) / elapsed, elapsed / (double)steps * 1e6,
           (unsigned long long)episodes);
    free_actions(&actions);
    free(buffer);
    zmq_close(socket);
    zmq_ctx_term(context);
    return 0;
}
