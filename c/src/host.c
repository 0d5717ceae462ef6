/* The M environments of a server: reset and step them together, with the time limit, same-step autoreset and the
 * counting of episodes. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int shoal_host_init(shoal_host *host, const shoal_env_class *cls, void *user, uint32_t num_envs, const char *args,
                    uint64_t seed, char *error, size_t error_size) {
    memset(host, 0, sizeof *host);
    host->cls = cls;
    host->num_envs = num_envs;
    host->seed_state = seed;
    host->needs_reset = true;
    if (num_envs == 0) {
        shoal_format(error, error_size, "the number of environments must be at least 1");
        return -1;
    }
    if (shoal_env_check(cls, error, error_size) != 0) return -1;
    size_t count;
    shoal_box_count(&cls->observation, "", &count, error, error_size);
    host->observation_bytes = count * shoal_dtype_size(cls->observation.dtype);
    size_t m = num_envs;
    /* +1 keeps every size nonzero, so that malloc's NULL always means out of memory. */
    host->envs = calloc(m, sizeof *host->envs);
    host->observations = malloc(m * host->observation_bytes + 1);
    host->finals = malloc(m * host->observation_bytes + 1);
    host->rewards = calloc(m, sizeof *host->rewards);
    host->terminated = calloc(m, sizeof *host->terminated);
    host->truncated = calloc(m, sizeof *host->truncated);
    host->ended = calloc(m, sizeof *host->ended);
    host->episode_returns = calloc(m, sizeof *host->episode_returns);
    host->episode_lengths = calloc(m, sizeof *host->episode_lengths);
    host->returns = calloc(m, sizeof *host->returns);
    host->lengths = calloc(m, sizeof *host->lengths);
    host->seeds = calloc(m, sizeof *host->seeds);
    int actions = shoal_actions_init(&host->actions, &cls->action, num_envs);
    host->decoded = actions == 0 ? malloc(m * host->actions.bytes_per_env + 1) : NULL;
    if (host->envs == NULL || host->observations == NULL || host->finals == NULL || host->rewards == NULL ||
        host->terminated == NULL || host->truncated == NULL || host->ended == NULL || host->episode_returns == NULL ||
        host->episode_lengths == NULL || host->returns == NULL || host->lengths == NULL || host->seeds == NULL ||
        host->decoded == NULL) {
        shoal_format(error, error_size, "out of memory for %u environments of %s", num_envs, cls->name);
        shoal_host_free(host);
        return -1;
    }
    const char *arguments = args != NULL ? args : "{}";
    for (uint32_t i = 0; i < num_envs; i++) {
        char reason[SHOAL_TEXT_SIZE] = "";
        host->envs[i] = cls->create(user, i, arguments, reason, sizeof reason);
        if (host->envs[i] == NULL) {
            char line[SHOAL_TEXT_SIZE];
            shoal_clean_line(line, sizeof line, reason);
            shoal_format(error, error_size, "cannot create environment %u of %s%s%s", i, cls->name,
                         line[0] != '\0' ? ": " : "", line);
            shoal_host_free(host);
            return -1;
        }
    }
    return 0;
}

void shoal_host_free(shoal_host *host) {
    if (host->envs != NULL && host->cls->destroy != NULL) {
        for (uint32_t i = 0; i < host->num_envs; i++) {
            if (host->envs[i] != NULL) host->cls->destroy(host->envs[i]);
        }
    }
    free(host->envs);
    free(host->observations);
    free(host->finals);
    free(host->decoded);
    free(host->rewards);
    free(host->terminated);
    free(host->truncated);
    free(host->ended);
    free(host->episode_returns);
    free(host->episode_lengths);
    free(host->returns);
    free(host->lengths);
    free(host->seeds);
    shoal_actions_free(&host->actions);
    memset(host, 0, sizeof *host);
}

void shoal_host_restart(shoal_host *host) {
    memset(host->returns, 0, sizeof *host->returns * host->num_envs);
    memset(host->lengths, 0, sizeof *host->lengths * host->num_envs);
    host->needs_reset = true;
}

/* An EnvironmentError for a failing callback of environment `index`. */
static int callback_failed(shoal_host *host, uint32_t index, const char *callback, int status,
                           shoal_failure *failure) {
    const shoal_env_class *cls = host->cls;
    const char *reason = cls->last_error != NULL ? cls->last_error(host->envs[index]) : NULL;
    char line[SHOAL_TEXT_SIZE];
    shoal_clean_line(line, sizeof line, reason);
    if (line[0] == '\0') shoal_format(line, sizeof line, "%s returned %d", callback, status);
    shoal_fail(failure, SHOAL_ENVIRONMENT_ERROR, "%s of environment %u: %s (the environments need a reset)", callback,
               index, line);
    shoal_format(failure->details, sizeof failure->details, "%s: the %s callback of environment %u returned %d",
                 cls->name, callback, index, status);
    return -1;
}

int shoal_host_reset(shoal_host *host, const uint64_t *seeds, size_t seed_count, shoal_failure *failure) {
    uint32_t m = host->num_envs;
    if (seed_count != 0 && seed_count != m) {
        return shoal_fail(failure, SHOAL_REQUEST_ERROR,
                          "a reset needs %u seeds, one per environment, or none; got %zu", m, seed_count);
    }
    if (seed_count == 0) {
        /* Seeds in [0, 2^63), as the Python server draws them. */
        for (uint32_t i = 0; i < m; i++) host->seeds[i] = shoal_splitmix64(&host->seed_state) >> 1;
        seeds = host->seeds;
    }
    host->needs_reset = true;
    for (uint32_t i = 0; i < m; i++) {
        int status = host->cls->reset(host->envs[i], &seeds[i], host->observations + i * host->observation_bytes);
        if (status != 0) return callback_failed(host, i, "reset", status, failure);
    }
    shoal_host_restart(host);
    host->needs_reset = false;
    return 0;
}

int shoal_host_step(shoal_host *host, const Shoal__V1__Tensor *actions, shoal_failure *failure) {
    if (actions == NULL) {
        return shoal_fail(failure, SHOAL_ACTION_ERROR, "a step without actions (expected %s)", host->actions.expected);
    }
    if (shoal_actions_decode(&host->actions, actions, host->decoded, failure) != 0) return -1;
    if (host->needs_reset) {
        return shoal_fail(failure, SHOAL_REQUEST_ERROR,
                          "the environments need a reset before a step (after a hello or a failed request)");
    }
    const shoal_env_class *cls = host->cls;
    size_t bytes = host->observation_bytes;
    host->needs_reset = true; /* until this step has gone through */
    host->ended_count = 0;
    for (uint32_t i = 0; i < host->num_envs; i++) {
        unsigned char *observation = host->observations + i * bytes;
        double reward = 0.0;
        bool terminated = false, truncated = false;
        int status = cls->step(host->envs[i], host->decoded + i * host->actions.bytes_per_env, observation, &reward,
                               &terminated, &truncated);
        if (status != 0) return callback_failed(host, i, "step", status, failure);
        host->returns[i] += reward;
        host->lengths[i] += 1;
        if (cls->max_episode_steps != 0 && host->lengths[i] >= (int64_t)cls->max_episode_steps) truncated = true;
        host->rewards[i] = reward;
        host->terminated[i] = terminated;
        host->truncated[i] = truncated;
        if (!terminated && !truncated) continue;
        uint32_t k = host->ended_count++;
        host->ended[k] = i;
        memcpy(host->finals + k * bytes, observation, bytes);
        host->episode_returns[k] = host->returns[i];
        host->episode_lengths[k] = host->lengths[i];
        host->returns[i] = 0.0;
        host->lengths[i] = 0;
        status = cls->reset(host->envs[i], NULL, observation);
        if (status != 0) return callback_failed(host, i, "reset", status, failure);
    }
    host->needs_reset = false;
    host->steps += host->num_envs;
    return 0;
}
