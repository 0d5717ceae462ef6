/* A benchmark client: steps an environment server through the protocol as fast as one client can (one request in
 * flight, as Shoal's actors step a server) and prints environment steps per second.
 *
 *     build/shoal-env-cartpole serve ipc:///tmp/bench.sock --num-envs 16 &
 *     build/shoal-env-bench ipc:///tmp/bench.sock [SECONDS]
 *
 * Actions are fixed: environment i pushes right on odd steps when i is even, on even steps when i is odd (CartPole's
 * episodes then last a few dozen steps, so autoresets are part of the cost). Discrete action spaces only. */
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
    if (reply == NULL || reply->spec->action_space->kind_case != SHOAL__V1__SPACE__KIND_DISCRETE) {
        fprintf(stderr, "bench: no spec, or not a Discrete action space\n");
        return 1;
    }
    uint32_t m = reply->spec->num_envs;
    printf("%s, M=%u (%s)\n", reply->spec->env_name, m, reply->spec->server);
    shoal__v1__env_reply__free_unpacked(reply, NULL);

    Shoal__V1__EnvReset reset = SHOAL__V1__ENV_RESET__INIT;
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_RESET;
    request.reset = &reset;
    reply = call(socket, &request, &buffer, &capacity);
    if (reply == NULL) return 1;
    shoal__v1__env_reply__free_unpacked(reply, NULL);

    int64_t *actions = calloc(m, sizeof *actions);
    int64_t shape[1] = {m};
    Shoal__V1__Tensor tensor = SHOAL__V1__TENSOR__INIT;
    tensor.dtype = SHOAL__V1__DTYPE__DTYPE_INT64;
    tensor.shape = shape;
    tensor.n_shape = 1;
    tensor.data.data = (uint8_t *)actions;
    tensor.data.len = sizeof *actions * m;
    Shoal__V1__EnvStep step = SHOAL__V1__ENV_STEP__INIT;
    step.actions = &tensor;
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_STEP;
    request.step = &step;

    uint64_t steps = 0, episodes = 0;
    double start = now_seconds(), elapsed = 0;
    while (elapsed < seconds) {
        for (uint32_t i = 0; i < m; i++) actions[i] = (int64_t)((steps + i) & 1);
        reply = call(socket, &request, &buffer, &capacity);
        if (reply == NULL) {
            fprintf(stderr, "bench: no reply\n");
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
    free(actions);
    free(buffer);
    zmq_close(socket);
    zmq_ctx_term(context);
    return 0;
}
