/*
 * netdelay: a fixed one-way packet delay through netfilter's NFQUEUE, for kernels without tc netem (sch_netem).
 *
 * It binds an NFQUEUE queue, receives each queued packet's metadata (no payload is copied), and gives each one an
 * NF_ACCEPT verdict DELAY_MS milliseconds after it arrived, in arrival order. The integration tests' TestHosts
 * (NetfilterImpairment.swift) use it to delay everything a test host sends, as `tc qdisc add dev eth0 root netem
 * delay DELAY_MS ms` on that host would, by queueing the frames that enter the test bridge from the host's port:
 *
 *     cc -O2 -o netdelay Tests/NetworkTools/netdelay.c $(pkg-config --cflags --libs libnetfilter_queue)
 *     ip netns exec SWITCH ./netdelay 50 1 &              # prints "ready" once queue 1 is bound
 *     ip netns exec SWITCH iptables -w -t mangle -A PREROUTING -m physdev --physdev-in PORT \
 *         -j NFQUEUE --queue-num 1                        # bridged frames reach iptables through br_netfilter
 *
 * Queueing in the sending host's own OUTPUT chain works too, but is not like a delay on the wire: the packet is
 * still charged to its socket while held, so TCP Small Queues keep only about two segments in flight.
 *
 * Needs root (CAP_NET_ADMIN), libnetfilter_queue (Debian: libnetfilter-queue-dev) and a kernel with
 * nfnetlink_queue. The queue's length limit is raised so that the queue itself drops nothing at the tests' rates.
 * On SIGTERM or SIGINT every packet still held is accepted at once, the queue is unbound, a summary (packets
 * delayed, most held at once, socket overruns, CPU time) goes to stderr, and the program exits 0.
 *
 * Usage: netdelay DELAY_MS [QUEUE_NUM]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

/* Packets held at once; also the kernel queue's limit, so the ring can never overflow. At 50 ms this allows
 * 320 000 packets/s, far above what the tests send. */
#define QUEUE_MAX_LENGTH 16384
/* Room for bursts of queue messages between two reads (the default socket buffer drops them under load). */
#define SOCKET_BUFFER_BYTES (8 * 1024 * 1024)

struct held_packet {
    uint32_t id;
    struct timespec due;
};

/* The packets awaiting their verdict, oldest first: a fixed ring, as arrivals and releases are both in order. */
static struct held_packet ring[QUEUE_MAX_LENGTH];
static size_t ring_head;
static size_t ring_count;

static long delay_nanoseconds;
static unsigned long packets_delayed;
static unsigned long socket_overruns;
static size_t most_held;
static volatile sig_atomic_t stopping;

static void on_stop_signal(int signal_number) {
    (void)signal_number;
    stopping = 1;
}

static struct timespec now(void) {
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return time;
}

static struct timespec add_nanoseconds(struct timespec time, long nanoseconds) {
    time.tv_sec += nanoseconds / 1000000000L;
    time.tv_nsec += nanoseconds % 1000000000L;
    if (time.tv_nsec >= 1000000000L) {
        time.tv_sec += 1;
        time.tv_nsec -= 1000000000L;
    }
    return time;
}

/* a - b in nanoseconds (a ≥ b where it matters; the span is at most the delay, so no overflow). */
static long long nanoseconds_between(struct timespec a, struct timespec b) {
    return (long long)(a.tv_sec - b.tv_sec) * 1000000000LL + (a.tv_nsec - b.tv_nsec);
}

/* Called by nfq_handle_packet for each queued packet: remember it with the time its verdict is due. */
static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *packet, void *context) {
    (void)message;
    (void)context;
    struct nfqnl_msg_packet_hdr *header = nfq_get_msg_packet_hdr(packet);
    if (header == NULL) return 0;
    uint32_t id = ntohl(header->packet_id);
    if (ring_count == QUEUE_MAX_LENGTH) {
        /* Cannot happen while the kernel queue's limit equals the ring's size; never leave a packet unanswered. */
        return nfq_set_verdict(queue, id, NF_ACCEPT, 0, NULL);
    }
    struct held_packet held = {id, add_nanoseconds(now(), delay_nanoseconds)};
    ring[(ring_head + ring_count) % QUEUE_MAX_LENGTH] = held;
    ring_count += 1;
    if (ring_count > most_held) most_held = ring_count;
    packets_delayed += 1;
    return 0;
}

/* Accepts every held packet due by `time` (all of them when `everything`) with one batch verdict: packets are
 * held in the kernel's queue order, so the due ones are a prefix and "accept all up to id N" releases exactly them. */
static int release_due(struct nfq_q_handle *queue, struct timespec time, int everything) {
    size_t released = 0;
    uint32_t last_id = 0;
    while (released < ring_count) {
        struct held_packet *packet = &ring[(ring_head + released) % QUEUE_MAX_LENGTH];
        if (!everything && nanoseconds_between(packet->due, time) > 0) break;
        last_id = packet->id;
        released += 1;
    }
    if (released == 0) return 0;
    ring_head = (ring_head + released) % QUEUE_MAX_LENGTH;
    ring_count -= released;
    return nfq_set_verdict_batch(queue, last_id, NF_ACCEPT);
}

/* Reads every queue message waiting on the socket without blocking; returns -1 on a real error. */
static int receive_waiting(struct nfq_handle *handle, int descriptor) {
    static char buffer[65536] __attribute__((aligned));
    for (;;) {
        ssize_t length = recv(descriptor, buffer, sizeof buffer, MSG_DONTWAIT);
        if (length >= 0) {
            nfq_handle_packet(handle, buffer, (int)length);
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
        /* The kernel could not deliver some queue messages (it dropped those packets); carry on and report it. */
        if (errno == ENOBUFS) {
            socket_overruns += 1;
            continue;
        }
        perror("netdelay: recv");
        return -1;
    }
}

/* The time until the oldest held packet is due, or NULL (wait indefinitely) when none is held. */
static const struct timespec *time_until_head(struct timespec *out, struct timespec time) {
    if (ring_count == 0) return NULL;
    long long remaining = nanoseconds_between(ring[ring_head].due, time);
    if (remaining < 0) remaining = 0;
    out->tv_sec = (time_t)(remaining / 1000000000LL);
    out->tv_nsec = (long)(remaining % 1000000000LL);
    return out;
}

static struct nfq_q_handle *bind_queue(struct nfq_handle *handle, uint16_t queue_number) {
    struct nfq_q_handle *queue = nfq_create_queue(handle, queue_number, on_packet, NULL);
    if (queue == NULL) {
        fprintf(stderr, "netdelay: cannot bind NFQUEUE %u (in use, or no nfnetlink_queue?)\n", queue_number);
        return NULL;
    }
    if (nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(queue, QUEUE_MAX_LENGTH) < 0) {
        fprintf(stderr, "netdelay: cannot configure NFQUEUE %u\n", queue_number);
        nfq_destroy_queue(queue);
        return NULL;
    }
    /* Whole GSO packets, as netem sees them, rather than having the kernel segment each one before queueing it. */
    nfq_set_queue_flags(queue, NFQA_CFG_F_GSO, NFQA_CFG_F_GSO);
    return queue;
}

int main(int argc, char **argv) {
    char *end = NULL;
    long delay_ms = argc >= 2 ? strtol(argv[1], &end, 10) : -1;
    long queue_number = argc >= 3 ? strtol(argv[2], NULL, 10) : 0;
    if (argc < 2 || argc > 3 || *end != '\0' || delay_ms < 0 || delay_ms > 60000 || queue_number < 0
        || queue_number > 65535) {
        fprintf(stderr, "usage: netdelay DELAY_MS [QUEUE_NUM]  (DELAY_MS 0...60000, QUEUE_NUM 0...65535)\n");
        return 2;
    }
    delay_nanoseconds = delay_ms * 1000000L;

    /* SIGTERM/SIGINT are blocked except inside ppoll, so a stop request can never slip in between the check of
     * `stopping` and the wait. */
    sigset_t stop_signals, wait_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    sigprocmask(SIG_BLOCK, &stop_signals, &wait_mask);
    sigdelset(&wait_mask, SIGTERM);
    sigdelset(&wait_mask, SIGINT);
    struct sigaction action = {.sa_handler = on_stop_signal};
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);

    struct nfq_handle *handle = nfq_open();
    if (handle == NULL) {
        perror("netdelay: nfq_open (needs CAP_NET_ADMIN)");
        return 1;
    }
    struct nfq_q_handle *queue = bind_queue(handle, (uint16_t)queue_number);
    if (queue == NULL) {
        nfq_close(handle);
        return 1;
    }
    int descriptor = nfq_fd(handle);
    /* Root may exceed net.core.rmem_max (SO_RCVBUFFORCE); otherwise take what the limit allows. */
    int buffer_bytes = SOCKET_BUFFER_BYTES;
    if (setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &buffer_bytes, sizeof buffer_bytes) < 0) {
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
    }
    printf("ready\n");
    fflush(stdout);

    int status = 0;
    while (!stopping) {
        struct timespec timeout;
        struct pollfd readable = {.fd = descriptor, .events = POLLIN};
        int ready = ppoll(&readable, 1, time_until_head(&timeout, now()), &wait_mask);
        if (ready < 0 && errno != EINTR) {
            perror("netdelay: ppoll");
            status = 1;
            break;
        }
        if (ready > 0 && receive_waiting(handle, descriptor) < 0) {
            status = 1;
            break;
        }
        if (release_due(queue, now(), 0) < 0) {
            perror("netdelay: verdict");
            status = 1;
            break;
        }
    }
    release_due(queue, now(), 1);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    double cpu_seconds = (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    fprintf(stderr, "netdelay: %lu packets delayed by %ld ms, at most %zu held at once, %lu socket overruns, "
            "%.2f s CPU\n", packets_delayed, delay_ms, most_held, socket_overruns, cpu_seconds);
    nfq_destroy_queue(queue);
    nfq_close(handle);
    return status;
}
