/* Life under Shoal's supervisor: heartbeats to it, and dying with it.
 *
 * The supervisor starts a server with SHOAL_SUPERVISOR (the endpoint its heartbeats go to), SHOAL_RUN_ID,
 * SHOAL_INCARNATION and SHOAL_SUPERVISOR_PID in the environment; a server started by hand has none of them. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <zmq.h>

#include "internal.h"
#include "shoal/v1/frame.pb-c.h"

struct shoal_heartbeats {
    void *socket;
    const shoal_logger *logger;
    double interval;
    double next;
    char endpoint[256];
    char run_id[256];
    char host[256];
    Shoal__V1__Heartbeat heartbeat;
    Shoal__V1__Heartbeat__StatsEntry stats[2];
    Shoal__V1__Heartbeat__StatsEntry *stat_pointers[2];
    Shoal__V1__Frame frame;
};

/* $SHOAL_INCARNATION as a positive number, else 1 (as the Python server reads it). */
static uint32_t incarnation(void) {
    const char *text = getenv("SHOAL_INCARNATION");
    if (text == NULL || text[0] < '0' || text[0] > '9') return 1;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || value > UINT32_MAX) return 1;
    return (uint32_t)value;
}

int shoal_heartbeats_open(shoal_heartbeats **out, void *context, uint32_t id, double interval_seconds,
                          const shoal_logger *logger) {
    *out = NULL;
    const char *endpoint = getenv("SHOAL_SUPERVISOR");
    if (endpoint == NULL || endpoint[0] == '\0') return 0;
    shoal_heartbeats *heartbeats = calloc(1, sizeof *heartbeats);
    if (heartbeats == NULL) return -1;
    heartbeats->logger = logger;
    heartbeats->interval = interval_seconds;
    shoal_format(heartbeats->endpoint, sizeof heartbeats->endpoint, "%s", endpoint);
    heartbeats->socket = zmq_socket(context, ZMQ_PUSH);
    int high_water_mark = 4, linger = 100;
    if (heartbeats->socket == NULL ||
        zmq_setsockopt(heartbeats->socket, ZMQ_SNDHWM, &high_water_mark, sizeof high_water_mark) != 0 ||
        zmq_setsockopt(heartbeats->socket, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_connect(heartbeats->socket, endpoint) != 0) {
        shoal_log(logger, "ERROR", "cannot send heartbeats to %s: %s", heartbeats->endpoint, zmq_strerror(zmq_errno()));
        shoal_heartbeats_close(heartbeats);
        return -1;
    }
    shoal_clean_line(heartbeats->run_id, sizeof heartbeats->run_id, getenv("SHOAL_RUN_ID"));
    char host[sizeof heartbeats->host] = "";
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    shoal_clean_line(heartbeats->host, sizeof heartbeats->host, host);

    Shoal__V1__Heartbeat *heartbeat = &heartbeats->heartbeat;
    shoal__v1__heartbeat__init(heartbeat);
    heartbeat->run_id = heartbeats->run_id;
    heartbeat->role = SHOAL__V1__ROLE__ROLE_ENV_SERVER;
    heartbeat->id = id;
    heartbeat->pid = (int32_t)getpid();
    heartbeat->host = heartbeats->host;
    heartbeat->incarnation = incarnation();
    static const char *const names[] = {"requests", "errors"};
    for (size_t i = 0; i < 2; i++) {
        shoal__v1__heartbeat__stats_entry__init(&heartbeats->stats[i]);
        heartbeats->stats[i].key = (char *)names[i]; /* only read while packing */
        heartbeats->stat_pointers[i] = &heartbeats->stats[i];
    }
    heartbeat->n_stats = 2;
    heartbeat->stats = heartbeats->stat_pointers;
    shoal__v1__frame__init(&heartbeats->frame);
    heartbeats->frame.protocol_version = SHOAL_ENV_PROTOCOL_VERSION;
    heartbeats->frame.body_case = SHOAL__V1__FRAME__BODY_HEARTBEAT;
    heartbeats->frame.heartbeat = heartbeat;
    heartbeats->next = 0.0;
    *out = heartbeats;
    return 0;
}

void shoal_heartbeats_tick(shoal_heartbeats *heartbeats, uint64_t environment_steps, uint64_t requests,
                           uint64_t errors) {
    if (heartbeats == NULL) return;
    double now = shoal_monotonic_seconds();
    if (now < heartbeats->next) return;
    heartbeats->next = now + heartbeats->interval;
    heartbeats->heartbeat.timestamp_nanos = shoal_unix_nanos();
    heartbeats->heartbeat.environment_steps = environment_steps;
    heartbeats->stats[0].value = (double)requests;
    heartbeats->stats[1].value = (double)errors;
    unsigned char buffer[2048];
    size_t size = shoal__v1__frame__get_packed_size(&heartbeats->frame);
    if (size > sizeof buffer) return; /* cannot happen: every text in it is bounded */
    shoal__v1__frame__pack(&heartbeats->frame, buffer);
    /* A heartbeat that cannot go now is dropped: the supervisor is not reading, and a newer one says the same. */
    (void)zmq_send(heartbeats->socket, buffer, size, ZMQ_DONTWAIT);
}

const char *shoal_heartbeats_endpoint(const shoal_heartbeats *heartbeats) { return heartbeats->endpoint; }

void shoal_heartbeats_close(shoal_heartbeats *heartbeats) {
    if (heartbeats == NULL) return;
    if (heartbeats->socket != NULL) zmq_close(heartbeats->socket);
    free(heartbeats);
}

int shoal_die_with_supervisor(const shoal_logger *logger) {
    const char *expected = getenv("SHOAL_SUPERVISOR_PID");
    if (expected == NULL || expected[0] == '\0') return 0;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
        shoal_log(logger, "WARNING", "prctl(PR_SET_PDEATHSIG) failed: %s", strerror(errno));
    }
    char *end;
    errno = 0;
    long supervisor = strtol(expected, &end, 10);
    if (errno != 0 || *end != '\0' || supervisor <= 0) {
        char shown[64];
        shoal_clean_line(shown, sizeof shown, expected);
        shoal_log(logger, "WARNING", "SHOAL_SUPERVISOR_PID='%s' is not a process id; not watching the supervisor",
                  shown);
        return 0;
    }
    if ((long)getppid() != supervisor) {
        shoal_log(logger, "ERROR", "the supervisor (pid %ld) is gone; exiting", supervisor);
        return -1;
    }
    return 0;
}
