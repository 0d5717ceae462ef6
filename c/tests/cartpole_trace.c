/* Steps CartPoleC-v1 from given states, for tests/cartpole_vs_gymnasium.py: reads lines "x x_dot theta theta_dot
 * action" (C99 hex floats), writes "x x_dot theta theta_dot terminated reward obs0 obs1 obs2 obs3" after one step. */
#define CARTPOLE_NO_MAIN
#include "../examples/cartpole.c"

int main(void) {
    cartpole env = {0};
    long long action;
    while (scanf("%la %la %la %la %lld", &env.x, &env.x_dot, &env.theta, &env.theta_dot, &action) == 5) {
        int64_t choice = action;
        float observation[4];
        double reward = 0.0;
        bool terminated = false, truncated = false;
        if (cartpole_class.step(&env, &choice, observation, &reward, &terminated, &truncated) != 0) return 1;
        printf("%a %a %a %a %d %a %a %a %a %a\n", env.x, env.x_dot, env.theta, env.theta_dot, terminated, reward,
               (double)observation[0], (double)observation[1], (double)observation[2], (double)observation[3]);
    }
    return 0;
}
