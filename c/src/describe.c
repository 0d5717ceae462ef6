/* The spec as JSON, laid out as the Python server's `shoal-env describe` prints it (json.dumps with indent=2). */
#include <string.h>

#include "internal.h"

static void indent(FILE *out, int level) {
    for (int i = 0; i < level; i++) fputs("  ", out);
}

/* A JSON string with Python's ensure_ascii escapes (the text is valid UTF-8: names are checked). */
static void string(FILE *out, const char *text) {
    const unsigned char *in = (const unsigned char *)text;
    fputc('"', out);
    while (*in != '\0') {
        unsigned int code = *in++;
        if (code >= 0x80) {
            int more = code >= 0xF0 ? 3 : code >= 0xE0 ? 2 : 1;
            code &= 0x3F >> more;
            for (int i = 0; i < more && (*in & 0xC0) == 0x80; i++) code = (code << 6) | (*in++ & 0x3F);
        }
        switch (code) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        default:
            if (code >= 0x10000) {
                code -= 0x10000;
                fprintf(out, "\\u%04x\\u%04x", 0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF));
            } else if (code < 0x20 || code >= 0x7F) {
                fprintf(out, "\\u%04x", code);
            } else {
                fputc((int)code, out);
            }
        }
    }
    fputc('"', out);
}

static void key(FILE *out, int level, const char *name) {
    indent(out, level);
    string(out, name);
    fputs(": ", out);
}

static void integers(FILE *out, int level, const int64_t *values, size_t count) {
    if (count == 0) {
        fputs("[]", out);
        return;
    }
    fputs("[\n", out);
    for (size_t i = 0; i < count; i++) {
        indent(out, level + 1);
        fprintf(out, "%lld%s\n", (long long)values[i], i + 1 < count ? "," : "");
    }
    indent(out, level);
    fputc(']', out);
}

/* Numbers as Python's repr; NaN and infinities as the strings "NaN", "Infinity", "-Infinity". */
static void doubles(FILE *out, int level, const double *values, size_t count) {
    if (count == 0) {
        fputs("[]", out);
        return;
    }
    fputs("[\n", out);
    for (size_t i = 0; i < count; i++) {
        char text[40];
        shoal_format_double(text, sizeof text, values[i]);
        indent(out, level + 1);
        if (text[0] == 'N' || text[0] == 'I' || text[1] == 'I') {
            string(out, text);
        } else {
            fputs(text, out);
        }
        fputs(i + 1 < count ? ",\n" : "\n", out);
    }
    indent(out, level);
    fputc(']', out);
}

static void space(FILE *out, int level, const Shoal__V1__Space *space) {
    fputs("{\n", out);
    switch (space->kind_case) {
    case SHOAL__V1__SPACE__KIND_BOX: {
        const Shoal__V1__BoxSpace *box = space->box;
        key(out, level + 1, "box");
        fputs("{\n", out);
        key(out, level + 2, "dtype");
        string(out, shoal_dtype_name((shoal_dtype)box->dtype));
        fputs(",\n", out);
        key(out, level + 2, "shape");
        integers(out, level + 2, box->shape, box->n_shape);
        fputs(",\n", out);
        key(out, level + 2, "low");
        doubles(out, level + 2, box->low, box->n_low);
        fputs(",\n", out);
        key(out, level + 2, "high");
        doubles(out, level + 2, box->high, box->n_high);
        fputc('\n', out);
        break;
    }
    case SHOAL__V1__SPACE__KIND_DISCRETE:
        key(out, level + 1, "discrete");
        fputs("{\n", out);
        key(out, level + 2, "n");
        fprintf(out, "%lld,\n", (long long)space->discrete->n);
        key(out, level + 2, "start");
        fprintf(out, "%lld\n", (long long)space->discrete->start);
        break;
    default: /* multi_discrete: a spec made by shoal_spec_init has no other kind */
        key(out, level + 1, "multi_discrete");
        fputs("{\n", out);
        key(out, level + 2, "nvec");
        integers(out, level + 2, space->multi_discrete->nvec, space->multi_discrete->n_nvec);
        fputc('\n', out);
        break;
    }
    indent(out, level + 1);
    fputs("}\n", out);
    indent(out, level);
    fputc('}', out);
}

int shoal_env_describe(const shoal_env_class *cls, FILE *out) {
    shoal_spec made;
    if (shoal_spec_init(&made, cls, 1) != 0) return -1;
    const Shoal__V1__EnvSpec *spec = &made.spec;
    fputs("{\n", out);
    key(out, 1, "env_name");
    string(out, spec->env_name);
    fputs(",\n", out);
    key(out, 1, "observation_space");
    space(out, 1, spec->observation_space);
    fputs(",\n", out);
    key(out, 1, "action_space");
    space(out, 1, spec->action_space);
    fputs(",\n", out);
    key(out, 1, "observation");
    fputs("{\n", out);
    key(out, 2, "dtype");
    string(out, shoal_dtype_name((shoal_dtype)spec->observation->dtype));
    fputs(",\n", out);
    key(out, 2, "shape");
    integers(out, 2, spec->observation->shape, spec->observation->n_shape);
    fputs("\n", out);
    indent(out, 1);
    fputs("},\n", out);
    key(out, 1, "max_episode_steps");
    fprintf(out, "%u,\n", spec->max_episode_steps);
    key(out, 1, "server");
    string(out, spec->server);
    fputs(",\n", out);
    key(out, 1, "autoreset_mode");
    string(out, "SAME_STEP"); /* the library resets an ended environment within the step */
    fputs("\n}\n", out);
    shoal_spec_free(&made);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
