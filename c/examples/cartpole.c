/*
 * CartPole-v1 in C, served to Shoal with the shoal_env library: gymnasium 1.4.0's dynamics exactly (a float64
 * state, float32 observations, reward 1 for every step including the one that ends the episode, termination when
 * |x| > 2.4 or |theta| > 12 degrees); the library adds the time limit of 500 steps and the autoreset.
 *
 *     shoal-env-cartpole serve ipc:///tmp/cartpole.sock --num-envs 16
 *     shoal-env-cartpole describe
 *
 * Its resets draw the state uniformly from [-0.05, 0.05) with its own generator (splitmix64), so the same seed
 * gives the same episode here, though not the one gymnasium's numpy generator gives.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shoal_env.h"

/* gymnasium's constants, computed as gymnasium computes them. */
#define GRAVITY 9.8
#define MASS_CART 1.0
#define MASS_POLE 0.1
#define TOTAL_MASS (MASS_POLE + MASS_CART)
#define LENGTH 0.5 /* half the pole's length */
#define POLE_MASS_LENGTH (MASS_POLE * LENGTH)
#define FORCE_MAG 10.0
#define TAU 0.02
#define THETA_THRESHOLD (12 * 2 * 3.141592653589793 / 360)
#define X_THRESHOLD 2.4

typedef struct cartpole {
    double x, x_dot, theta, theta_dot;
    uint64_t random; /* splitmix64 state */
    char error[96];
} cartpole;

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [low, high), as numpy's uniform computes it from a 53-bit fraction. */
static double uniform(uint64_t *state, double low, double high) {
    return low + (high - low) * ((double)(splitmix64(state) >> 11) * 0x1.0p-53);
}

static void observe(const cartpole *env, void *observation) {
    float values[4] = {(float)env->x, (float)env->x_dot, (float)env->theta, (float)env->theta_dot};
    memcpy(observation, values, sizeof values);
}

/* One step of the dynamics (gymnasium's CartPoleEnv.step, Euler integrator); whether the episode terminated. */
static bool cartpole_advance(cartpole *env, int64_t action) {
    double force = action == 1 ? FORCE_MAG : -FORCE_MAG;
    double costheta = cos(env->theta);
    double sintheta = sin(env->theta);
    double temp = (force + POLE_MASS_LENGTH * (env->theta_dot * env->theta_dot) * sintheta) / TOTAL_MASS;
    double thetaacc = (GRAVITY * sintheta - costheta * temp) /
                      (LENGTH * (4.0 / 3.0 - MASS_POLE * (costheta * costheta) / TOTAL_MASS));
    double xacc = temp - POLE_MASS_LENGTH * thetaacc * costheta / TOTAL_MASS;
    env->x = env->x + TAU * env->x_dot;
    env->x_dot = env->x_dot + TAU * xacc;
    env->theta = env->theta + TAU * env->theta_dot;
    env->theta_dot = env->theta_dot + TAU * thetaacc;
    return env->x < -X_THRESHOLD || env->x > X_THRESHOLD || env->theta < -THETA_THRESHOLD ||
           env->theta > THETA_THRESHOLD;
}

/* CartPole takes no arguments: only an empty JSON object. */
static bool no_arguments(const char *args) {
    const char *at = args;
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') at++;
    if (*at++ != '{') return false;
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') at++;
    if (*at++ != '}') return false;
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') at++;
    return *at == '\0';
}

static void *cartpole_create(void *user, uint32_t index, const char *args, char *error, size_t error_size) {
    (void)user;
    (void)index;
    if (!no_arguments(args)) {
        snprintf(error, error_size, "CartPoleC-v1 takes no arguments, got %.60s", args);
        return NULL;
    }
    cartpole *env = calloc(1, sizeof *env);
    if (env == NULL) snprintf(error, error_size, "out of memory");
    return env;
}

static void cartpole_destroy(void *env) { free(env); }

static int cartpole_reset(void *opaque, const uint64_t *seed, void *observation) {
    cartpole *env = opaque;
    if (seed != NULL) env->random = *seed;
    env->x = uniform(&env->random, -0.05, 0.05);
    env->x_dot = uniform(&env->random, -0.05, 0.05);
    env->theta = uniform(&env->random, -0.05, 0.05);
    env->theta_dot = uniform(&env->random, -0.05, 0.05);
    observe(env, observation);
    return 0;
}

static int cartpole_step(void *opaque, const void *action, void *observation, double *reward, bool *terminated,
                         bool *truncated) {
    (void)truncated;
    cartpole *env = opaque;
    int64_t choice;
    memcpy(&choice, action, sizeof choice);
    if (choice != 0 && choice != 1) { /* the library checks actions; this only shows how a step reports a failure */
        snprintf(env->error, sizeof env->error, "action %lld is neither 0 (push left) nor 1 (push right)",
                 (long long)choice);
        return -1;
    }
    *terminated = cartpole_advance(env, choice);
    *reward = 1.0;
    observe(env, observation);
    return 0;
}

static const char *cartpole_last_error(const void *env) { return ((const cartpole *)env)->error; }

static const double observation_low[4] = {-X_THRESHOLD * 2, -INFINITY, -THETA_THRESHOLD * 2, -INFINITY};
static const double observation_high[4] = {X_THRESHOLD * 2, INFINITY, THETA_THRESHOLD * 2, INFINITY};

static const shoal_env_class cartpole_class = {
    .name = "CartPoleC-v1",
    .observation = {.dtype = SHOAL_DTYPE_FLOAT32, .rank = 1, .shape = {4},
                    .low_each = observation_low, .high_each = observation_high},
    .action = {.kind = SHOAL_ACTION_DISCRETE, .n = 2},
    .max_episode_steps = 500,
    .create = cartpole_create,
    .destroy = cartpole_destroy,
    .reset = cartpole_reset,
    .step = cartpole_step,
    .last_error = cartpole_last_error,
};

#ifndef CARTPOLE_NO_MAIN
int main(int argc, char **argv) { return shoal_env_main(argc, argv, &cartpole_class, NULL); }
#endif
