/* Small helpers: failures, text cleaning, number formatting, logging, clocks, a seed stream. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

size_t shoal_format(char *out, size_t size, const char *format, ...) {
    if (size == 0) return 0;
    va_list arguments;
    va_start(arguments, format);
    int wanted = vsnprintf(out, size, format, arguments);
    va_end(arguments);
    if (wanted < 0) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)wanted < size ? (size_t)wanted : size - 1;
}

static const char *const failure_prefix[] = {
    [SHOAL_PROTOCOL_ERROR] = "ProtocolError",
    [SHOAL_REQUEST_ERROR] = "RequestError",
    [SHOAL_ACTION_ERROR] = "ActionError",
    [SHOAL_ENVIRONMENT_ERROR] = "EnvironmentError",
};

int shoal_fail(shoal_failure *failure, shoal_failure_kind kind, const char *format, ...) {
    char text[SHOAL_TEXT_SIZE];
    size_t used = shoal_format(text, sizeof text, "%s: ", failure_prefix[kind]);
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(text + used, sizeof text - used, format, arguments);
    va_end(arguments);
    failure->kind = kind;
    shoal_clean_line(failure->message, sizeof failure->message, text);
    failure->details[0] = '\0';
    return -1;
}

/* The length of the valid UTF-8 character at `text` (1-4), or 0 if the bytes there are not one. */
static size_t utf8_length(const unsigned char *text) {
    unsigned char lead = text[0];
    if (lead < 0x80) return 1;
    size_t length;
    unsigned int low = 0x80, high = 0xBF; /* bounds of the second byte */
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;       /* no overlong forms */
        if (lead == 0xED) high = 0x9F;      /* no surrogates */
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;      /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (text[1] < low || text[1] > high) return 0;
    for (size_t i = 2; i < length; i++) {
        if (text[i] < 0x80 || text[i] > 0xBF) return 0;
    }
    return length;
}

void shoal_clean_line(char *out, size_t size, const char *text) {
    if (size == 0) return;
    const unsigned char *in = (const unsigned char *)(text != NULL ? text : "");
    size_t used = 0;
    while (*in != '\0' && *in != '\n' && *in != '\r') {
        size_t length = utf8_length(in);
        if (length == 0) {
            if (used + 1 >= size) break;
            out[used++] = '?';
            in++;
            continue;
        }
        if (used + length >= size) break;
        if (length == 1 && (*in < 0x20 || *in == 0x7F)) {
            out[used++] = ' ';
        } else {
            memcpy(out + used, in, length);
            used += length;
        }
        in += length;
    }
    out[used] = '\0';
}

bool shoal_printable_utf8(const char *text) {
    const unsigned char *in = (const unsigned char *)text;
    while (*in != '\0') {
        size_t length = utf8_length(in);
        if (length == 0 || (length == 1 && (*in < 0x20 || *in == 0x7F))) return false;
        in += length;
    }
    return true;
}

void shoal_format_double(char *out, size_t size, double value) {
    if (isnan(value)) {
        shoal_format(out, size, "NaN");
        return;
    }
    if (isinf(value)) {
        shoal_format(out, size, value > 0 ? "Infinity" : "-Infinity");
        return;
    }
    /* The fewest significant digits that read back as the value, then Python's repr layout: positional for
     * exponents -4 .. 15, else scientific with a two-digit exponent at least. */
    char scientific[40];
    for (int precision = 0; precision <= 16; precision++) {
        snprintf(scientific, sizeof scientific, "%.*e", precision, value);
        if (strtod(scientific, NULL) == value) break;
    }
    const char *cursor = scientific;
    bool negative = *cursor == '-';
    if (negative) cursor++;
    char digits[24];
    size_t count = 0;
    for (; *cursor != 'e'; cursor++) {
        if (*cursor != '.' && count + 1 < sizeof digits) digits[count++] = *cursor;
    }
    int exponent = atoi(cursor + 1);
    while (count > 1 && digits[count - 1] == '0') count--;
    digits[count] = '\0';

    char text[64];
    size_t used = 0;
    if (negative) text[used++] = '-';
    if (exponent < -4 || exponent >= 16) {
        text[used++] = digits[0];
        if (count > 1) {
            text[used++] = '.';
            memcpy(text + used, digits + 1, count - 1);
            used += count - 1;
        }
        snprintf(text + used, sizeof text - used, "e%c%02d", exponent < 0 ? '-' : '+', abs(exponent));
    } else if (exponent < 0) {
        text[used++] = '0';
        text[used++] = '.';
        for (int zero = 0; zero < -exponent - 1; zero++) text[used++] = '0';
        memcpy(text + used, digits, count);
        used += count;
        text[used] = '\0';
    } else {
        size_t whole = (size_t)exponent + 1;
        for (size_t i = 0; i < whole; i++) text[used++] = i < count ? digits[i] : '0';
        text[used++] = '.';
        if (count > whole) {
            memcpy(text + used, digits + whole, count - whole);
            used += count - whole;
        } else {
            text[used++] = '0';
        }
        text[used] = '\0';
    }
    shoal_format(out, size, "%s", text);
}

void shoal_log(const shoal_logger *logger, const char *level, const char *format, ...) {
    if (logger->silent || (logger->quiet && strcmp(level, "INFO") == 0)) return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm local;
    localtime_r(&now.tv_sec, &local);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &local);
    char line[1024];
    size_t used = shoal_format(line, sizeof line, "%s,%03ld %s[%ld] %s ", stamp, now.tv_nsec / 1000000L,
                               logger->name, (long)getpid(), level);
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(line + used, sizeof line - used, format, arguments);
    va_end(arguments);
    fprintf(stderr, "%s\n", line);
}

double shoal_monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

int64_t shoal_unix_nanos(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000000LL + now.tv_nsec;
}

uint64_t shoal_splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
