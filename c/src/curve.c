/* CurveZMQ for the server socket: its key pair from a Shoal key file (`shoal keygen`), and a ZAP handler that
 * admits only the client keys of an allow-list (a file of public keys, one a line, or a directory of .pub files). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "internal.h"

#define KEY_CHARS 40

struct shoal_curve {
    void *zap;           /* REP socket answering libzmq's ZAP requests */
    char (*allowed)[KEY_CHARS + 1];
    size_t count;
    const shoal_logger *logger;
};

/* The first line of `path` that is neither empty nor a comment, trimmed, as a 40-character Z85 key: 0, or -1 with the
 * reason logged. */
static int read_key(const char *path, char key[KEY_CHARS + 1], const shoal_logger *logger) {
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        shoal_log(logger, "ERROR", "cannot read key file %s: %s", path, strerror(errno));
        return -1;
    }
    char line[256];
    int status = -1;
    while (fgets(line, sizeof line, file) != NULL) {
        size_t length = strcspn(line, " \t\r\n");
        if (length == 0 || line[0] == '#') continue;
        if (length == KEY_CHARS) {
            memcpy(key, line, KEY_CHARS);
            key[KEY_CHARS] = '\0';
            status = 0;
        }
        break;
    }
    fclose(file);
    if (status != 0) shoal_log(logger, "ERROR", "%s holds no CURVE key (40 Z85 characters)", path);
    return status;
}

static int allow(shoal_curve *curve, const char key[KEY_CHARS + 1]) {
    char (*grown)[KEY_CHARS + 1] = realloc(curve->allowed, (curve->count + 1) * sizeof *grown);
    if (grown == NULL) return -1;
    curve->allowed = grown;
    memcpy(curve->allowed[curve->count++], key, KEY_CHARS + 1);
    return 0;
}

/* Reads the allow-list at `path` into `curve`: 0, or -1 with the reason logged. */
static int read_allow_list(shoal_curve *curve, const char *path) {
    DIR *directory = opendir(path);
    if (directory == NULL) {
        FILE *file = fopen(path, "r");
        if (file == NULL) {
            shoal_log(curve->logger, "ERROR", "cannot read allow-list %s: %s", path, strerror(errno));
            return -1;
        }
        char line[256];
        int status = 0;
        while (status == 0 && fgets(line, sizeof line, file) != NULL) {
            size_t length = strcspn(line, " \t\r\n");
            if (length == 0 || line[0] == '#') continue;
            line[length] = '\0';
            if (length != KEY_CHARS) {
                shoal_log(curve->logger, "ERROR", "allow-list %s: '%s' is not a public key", path, line);
                status = -1;
            } else {
                status = allow(curve, line);
            }
        }
        fclose(file);
        return status;
    }
    int status = 0;
    struct dirent *entry;
    while (status == 0 && (entry = readdir(directory)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (length < 5 || strcmp(entry->d_name + length - 4, ".pub") != 0) continue;
        char file[4096], key[KEY_CHARS + 1];
        shoal_format(file, sizeof file, "%s/%s", path, entry->d_name);
        status = read_key(file, key, curve->logger) == 0 ? allow(curve, key) : -1;
    }
    closedir(directory);
    return status;
}

int shoal_curve_open(shoal_curve **out, void *context, void *socket, const char *secret_key_path,
                     const char *allow_path, const shoal_logger *logger) {
    *out = NULL;
    char secret[KEY_CHARS + 1], public[KEY_CHARS + 1];
    if (read_key(secret_key_path, secret, logger) != 0) return -1;
    if (zmq_curve_public(public, secret) != 0) {
        shoal_log(logger, "ERROR", "%s holds no CURVE secret key: %s", secret_key_path, zmq_strerror(zmq_errno()));
        return -1;
    }
    shoal_curve *curve = calloc(1, sizeof *curve);
    if (curve == NULL) return -1;
    curve->logger = logger;
    *out = curve;
    if (read_allow_list(curve, allow_path) != 0) return -1;
    int on = 1, linger = 0;
    curve->zap = zmq_socket(context, ZMQ_REP);
    if (curve->zap == NULL || zmq_setsockopt(curve->zap, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_bind(curve->zap, "inproc://zeromq.zap.01") != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &on, sizeof on) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, secret, KEY_CHARS) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_PUBLICKEY, public, KEY_CHARS) != 0) {
        shoal_log(logger, "ERROR", "cannot set up CURVE: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    shoal_log(logger, "INFO", "CURVE: public key %s, %zu client keys allowed", public, curve->count);
    return 0;
}

void *shoal_curve_zap_socket(const shoal_curve *curve) { return curve != NULL ? curve->zap : NULL; }

/* Whether the ZAP request in `frames` (version, request id, domain, address, identity, mechanism, key) comes from an
 * allowed CURVE client. */
static bool admitted(const shoal_curve *curve, zmq_msg_t *frames, size_t count) {
    if (count != 7 || zmq_msg_size(&frames[5]) != 5 || memcmp(zmq_msg_data(&frames[5]), "CURVE", 5) != 0 ||
        zmq_msg_size(&frames[6]) != 32) {
        return false;
    }
    char key[KEY_CHARS + 1];
    if (zmq_z85_encode(key, zmq_msg_data(&frames[6]), 32) == NULL) return false;
    for (size_t i = 0; i < curve->count; i++) {
        if (strcmp(curve->allowed[i], key) == 0) return true;
    }
    shoal_log(curve->logger, "WARNING", "refused a CURVE client with key %s: not on the allow-list", key);
    return false;
}

void shoal_curve_answer(shoal_curve *curve) {
    zmq_msg_t frames[8];
    size_t count = 0;
    int more = 1;
    while (more) {
        zmq_msg_t frame;
        zmq_msg_init(&frame);
        if (zmq_msg_recv(&frame, curve->zap, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&frame);
            break;
        }
        more = zmq_msg_more(&frame);
        if (count < 8) {
            zmq_msg_init(&frames[count]);
            zmq_msg_move(&frames[count++], &frame);
        }
        zmq_msg_close(&frame);
    }
    if (count >= 2) {
        bool ok = admitted(curve, frames, count);
        const char *status = ok ? "200" : "400", *text = ok ? "OK" : "not allowed";
        zmq_send(curve->zap, "1.0", 3, ZMQ_SNDMORE);
        zmq_send(curve->zap, zmq_msg_data(&frames[1]), zmq_msg_size(&frames[1]), ZMQ_SNDMORE);
        zmq_send(curve->zap, status, 3, ZMQ_SNDMORE);
        zmq_send(curve->zap, text, strlen(text), ZMQ_SNDMORE);
        zmq_send(curve->zap, "", 0, ZMQ_SNDMORE);
        zmq_send(curve->zap, "", 0, 0);
    }
    for (size_t i = 0; i < count; i++) zmq_msg_close(&frames[i]);
}

void shoal_curve_close(shoal_curve *curve) {
    if (curve == NULL) return;
    if (curve->zap != NULL) zmq_close(curve->zap);
    free(curve->allowed);
    free(curve);
}
