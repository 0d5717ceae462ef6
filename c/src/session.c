/* The protocol's rules for one request: decoding, the version, the session (one client at a time), and the reply. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int shoal_session_init(shoal_session *session, shoal_host *host, const shoal_spec *spec, const shoal_logger *logger) {
    memset(session, 0, sizeof *session);
    session->host = host;
    session->spec = spec;
    session->logger = logger;
    size_t m = host->num_envs;
    session->terminated = calloc(m, sizeof *session->terminated);
    session->truncated = calloc(m, sizeof *session->truncated);
    session->episodes = calloc(m, sizeof *session->episodes);
    session->episode_pointers = calloc(m, sizeof *session->episode_pointers);
    if (session->terminated == NULL || session->truncated == NULL || session->episodes == NULL ||
        session->episode_pointers == NULL) {
        shoal_session_free(session);
        return -1;
    }
    for (size_t i = 0; i < m; i++) {
        shoal__v1__episode_end__init(&session->episodes[i]);
        session->episode_pointers[i] = &session->episodes[i];
    }
    const shoal_box *observation = &host->cls->observation;
    Shoal__V1__Tensor *tensors[] = {&session->observation_tensor, &session->final_tensor};
    int64_t *shapes[] = {session->observation_shape, session->final_shape};
    for (size_t t = 0; t < 2; t++) {
        shoal__v1__tensor__init(tensors[t]);
        tensors[t]->dtype = (Shoal__V1__DType)observation->dtype;
        shapes[t][0] = (int64_t)m;
        memcpy(shapes[t] + 1, observation->shape, sizeof(int64_t) * observation->rank);
        tensors[t]->n_shape = 1 + observation->rank;
        tensors[t]->shape = shapes[t];
    }
    session->observation_tensor.data.data = host->observations;
    session->final_tensor.data.data = host->finals;

    shoal__v1__env_observations__init(&session->observations);
    session->observations.observations = &session->observation_tensor;

    Shoal__V1__EnvTransitions *transitions = &session->transitions;
    shoal__v1__env_transitions__init(transitions);
    transitions->observations = &session->observation_tensor;
    transitions->n_rewards = transitions->n_terminated = transitions->n_truncated = m;
    transitions->rewards = host->rewards;
    transitions->terminated = session->terminated;
    transitions->truncated = session->truncated;
    transitions->ended = host->ended;
    transitions->final_observations = &session->final_tensor;
    transitions->episodes = session->episode_pointers;

    shoal__v1__env_error__init(&session->error);
    session->error.message = session->failure.message;
    session->error.details = session->failure.details;
    return 0;
}

void shoal_session_free(shoal_session *session) {
    free(session->client);
    free(session->terminated);
    free(session->truncated);
    free(session->episodes);
    free(session->episode_pointers);
    memset(session, 0, sizeof *session);
}

static bool is_client(const shoal_session *session, const void *identity, size_t identity_size) {
    return session->client != NULL && session->client_size == identity_size &&
           memcmp(session->client, identity, identity_size) == 0;
}

/* The client's name for the log: what its hello says, else its identity in hex. */
static void client_name(char *out, size_t size, const char *said, const unsigned char *identity, size_t identity_size) {
    if (said != NULL && said[0] != '\0') {
        shoal_clean_line(out, size, said);
        return;
    }
    size_t used = 0;
    for (size_t i = 0; i < identity_size && used + 3 <= size; i++) {
        used += shoal_format(out + used, size - used, "%02x", identity[i]);
    }
    if (used == 0) shoal_format(out, size, "(anonymous)");
}

static int hello(shoal_session *session, const void *identity, size_t identity_size, const Shoal__V1__EnvHello *hello) {
    char name[128];
    client_name(name, sizeof name, hello->client, identity, identity_size);
    if (hello->describe_only) {
        shoal_log(session->logger, "INFO", "client '%s' asks what this server hosts", name);
    } else {
        if (!is_client(session, identity, identity_size)) {
            unsigned char *copy = malloc(identity_size + 1);
            if (copy == NULL) return shoal_fail(&session->failure, SHOAL_REQUEST_ERROR, "out of memory for a session");
            memcpy(copy, identity, identity_size);
            shoal_log(session->logger, "INFO", "client '%s' %s", name,
                      session->client != NULL ? "takes over the server" : "says hello");
            free(session->client);
            session->client = copy;
            session->client_size = identity_size;
        }
        shoal_host_restart(session->host);
    }
    session->reply.body_case = SHOAL__V1__ENV_REPLY__BODY_SPEC;
    session->reply.spec = (Shoal__V1__EnvSpec *)&session->spec->spec; /* only read while packing */
    return 0;
}

static void transitions(shoal_session *session) {
    shoal_host *host = session->host;
    uint32_t k = host->ended_count;
    for (uint32_t i = 0; i < host->num_envs; i++) {
        session->terminated[i] = host->terminated[i];
        session->truncated[i] = host->truncated[i];
    }
    for (uint32_t i = 0; i < k; i++) {
        session->episodes[i].episode_return = host->episode_returns[i];
        session->episodes[i].length = host->episode_lengths[i];
    }
    session->observation_tensor.data.len = host->num_envs * host->observation_bytes;
    session->final_shape[0] = k;
    session->final_tensor.data.len = k * host->observation_bytes;
    session->transitions.n_ended = k;
    session->transitions.n_episodes = k;
    session->reply.body_case = SHOAL__V1__ENV_REPLY__BODY_TRANSITIONS;
    session->reply.transitions = &session->transitions;
}

static int answer(shoal_session *session, const void *identity, size_t identity_size,
                  const Shoal__V1__EnvRequest *request) {
    shoal_failure *failure = &session->failure;
    if (request->protocol_version != SHOAL_ENV_PROTOCOL_VERSION) {
        return shoal_fail(failure, SHOAL_PROTOCOL_ERROR,
                          "protocol version %u is not spoken here (this server speaks %d)", request->protocol_version,
                          SHOAL_ENV_PROTOCOL_VERSION);
    }
    const char *body;
    switch (request->body_case) {
    case SHOAL__V1__ENV_REQUEST__BODY_HELLO: {
        static const Shoal__V1__EnvHello empty = SHOAL__V1__ENV_HELLO__INIT;
        return hello(session, identity, identity_size, request->hello != NULL ? request->hello : &empty);
    }
    case SHOAL__V1__ENV_REQUEST__BODY_RESET: body = "reset"; break;
    case SHOAL__V1__ENV_REQUEST__BODY_STEP: body = "step"; break;
    default: return shoal_fail(failure, SHOAL_PROTOCOL_ERROR, "EnvRequest without a body (hello, reset or step)");
    }
    if (!is_client(session, identity, identity_size)) {
        return shoal_fail(failure, SHOAL_PROTOCOL_ERROR, "%s from a client without a session: send a hello first%s",
                          body, session->client != NULL ? " (another client's hello took the server over)" : "");
    }
    shoal_host *host = session->host;
    if (request->body_case == SHOAL__V1__ENV_REQUEST__BODY_RESET) {
        const Shoal__V1__EnvReset *reset = request->reset;
        if (shoal_host_reset(host, reset != NULL ? reset->seeds : NULL, reset != NULL ? reset->n_seeds : 0,
                             failure) != 0) {
            return -1;
        }
        session->observation_tensor.data.len = host->num_envs * host->observation_bytes;
        session->reply.body_case = SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS;
        session->reply.observations = &session->observations;
        return 0;
    }
    if (shoal_host_step(host, request->step != NULL ? request->step->actions : NULL, failure) != 0) return -1;
    transitions(session);
    return 0;
}

const Shoal__V1__EnvReply *shoal_session_handle(shoal_session *session, const void *identity, size_t identity_size,
                                                const void *payload, size_t payload_size) {
    session->requests++;
    shoal__v1__env_reply__init(&session->reply);
    session->reply.protocol_version = SHOAL_ENV_PROTOCOL_VERSION;
    Shoal__V1__EnvRequest *request = shoal__v1__env_request__unpack(NULL, payload_size, payload);
    int status;
    if (request == NULL) {
        status = shoal_fail(&session->failure, SHOAL_PROTOCOL_ERROR, "undecodable EnvRequest of %zu bytes",
                            payload_size);
    } else {
        session->reply.request_id = request->request_id;
        status = answer(session, identity, identity_size, request);
        shoal__v1__env_request__free_unpacked(request, NULL);
    }
    if (status != 0) {
        session->errors++;
        session->reply.body_case = SHOAL__V1__ENV_REPLY__BODY_ERROR;
        session->reply.error = &session->error;
        shoal_log(session->logger, "WARNING", "error reply to request %llu: %s",
                  (unsigned long long)session->reply.request_id, session->failure.message);
    }
    return &session->reply;
}
