/* A JSON checker for --env-args: it only says whether the text is one JSON value (nothing is built). */
#include <string.h>

#include "internal.h"

#define JSON_MAX_DEPTH 64

typedef struct json_reader {
    const char *start;
    const char *at;
    char *error;
    size_t error_size;
} json_reader;

static int json_fail(json_reader *reader, const char *what) {
    shoal_format(reader->error, reader->error_size, "%s at character %zu", what, (size_t)(reader->at - reader->start));
    return -1;
}

static void json_space(json_reader *reader) {
    while (*reader->at == ' ' || *reader->at == '\t' || *reader->at == '\n' || *reader->at == '\r') reader->at++;
}

static bool json_word(json_reader *reader, const char *word) {
    size_t length = strlen(word);
    if (strncmp(reader->at, word, length) != 0) return false;
    reader->at += length;
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static int json_string(json_reader *reader) {
    reader->at++; /* the opening quote */
    for (;;) {
        unsigned char c = (unsigned char)*reader->at;
        if (c == '"') {
            reader->at++;
            return 0;
        }
        if (c == '\0') return json_fail(reader, "unterminated string");
        if (c < 0x20) return json_fail(reader, "control character in a string");
        if (c == '\\') {
            reader->at++;
            char escape = *reader->at;
            if (escape == 'u') {
                for (int i = 1; i <= 4; i++) {
                    if (!is_hex(reader->at[i])) return json_fail(reader, "bad \\u escape");
                }
                reader->at += 4;
            } else if (escape == '\0' || strchr("\"\\/bfnrt", escape) == NULL) {
                return json_fail(reader, "bad escape");
            }
        }
        reader->at++;
    }
}

static int json_number(json_reader *reader) {
    if (*reader->at == '-') reader->at++;
    if (json_word(reader, "Infinity")) return 0;
    if (*reader->at == '0') {
        reader->at++;
    } else if (is_digit(*reader->at)) {
        while (is_digit(*reader->at)) reader->at++;
    } else {
        return json_fail(reader, "expected a value");
    }
    if (*reader->at == '.') {
        reader->at++;
        if (!is_digit(*reader->at)) return json_fail(reader, "expected a digit");
        while (is_digit(*reader->at)) reader->at++;
    }
    if (*reader->at == 'e' || *reader->at == 'E') {
        reader->at++;
        if (*reader->at == '+' || *reader->at == '-') reader->at++;
        if (!is_digit(*reader->at)) return json_fail(reader, "expected a digit");
        while (is_digit(*reader->at)) reader->at++;
    }
    return 0;
}

static int json_value(json_reader *reader, int depth);

/* An object or an array, from its opening bracket. */
static int json_container(json_reader *reader, int depth, char close, bool keyed) {
    if (depth >= JSON_MAX_DEPTH) return json_fail(reader, "nested too deep");
    reader->at++;
    json_space(reader);
    if (*reader->at == close) {
        reader->at++;
        return 0;
    }
    for (;;) {
        if (keyed) {
            if (*reader->at != '"') return json_fail(reader, "expected a key in quotes");
            if (json_string(reader) != 0) return -1;
            json_space(reader);
            if (*reader->at != ':') return json_fail(reader, "expected ':'");
            reader->at++;
            json_space(reader);
        }
        if (json_value(reader, depth + 1) != 0) return -1;
        json_space(reader);
        if (*reader->at == close) {
            reader->at++;
            return 0;
        }
        if (*reader->at != ',') return json_fail(reader, keyed ? "expected ',' or '}'" : "expected ',' or ']'");
        reader->at++;
        json_space(reader);
    }
}

static int json_value(json_reader *reader, int depth) {
    switch (*reader->at) {
    case '{': return json_container(reader, depth, '}', true);
    case '[': return json_container(reader, depth, ']', false);
    case '"': return json_string(reader);
    default:
        if (json_word(reader, "true") || json_word(reader, "false") || json_word(reader, "null") ||
            json_word(reader, "NaN")) {
            return 0;
        }
        return json_number(reader);
    }
}

int shoal_json_check(const char *text, bool object_only, char *error, size_t error_size) {
    json_reader reader = {text, text, error, error_size};
    json_space(&reader);
    if (object_only && *reader.at != '{') return json_fail(&reader, "expected a JSON object");
    if (json_value(&reader, 0) != 0) return -1;
    json_space(&reader);
    if (*reader.at != '\0') return json_fail(&reader, "extra data");
    return 0;
}
