/* The command line of an environment program, the same as the Python server's:
 *
 *     PROGRAM serve ENDPOINT [--num-envs M] [--id N] [--heartbeat-seconds S] [--seed N] [--env-args JSON]
 *                            [--curve-secret-key FILE --curve-allow FILE_OR_DIR]
 *     PROGRAM describe [--env-args JSON]
 *
 * Usage errors are reported the way Python's argparse reports them (usage line, "PROG CMD: error: ...", status 2). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define EXIT_USAGE 2

static const char serve_usage[] =
    "serve [-h] [--num-envs M] [--seed N] [--id N] [--heartbeat-seconds S] [--env-args JSON] "
    "[--curve-secret-key FILE --curve-allow FILE_OR_DIR] ENDPOINT";
static const char describe_usage[] = "describe [-h] [--env-args JSON]";

typedef struct command_line {
    const char *program;
    const char *command; /* "serve" or "describe" */
    const char *usage;
    shoal_env_options options;
} command_line;

static int usage_error(const command_line *line, const char *format, ...) SHOAL_PRINTF(2, 3);

static int usage_error(const command_line *line, const char *format, ...) {
    if (line->command != NULL) {
        fprintf(stderr, "usage: %s %s\n%s %s: error: ", line->program, line->usage, line->program, line->command);
    } else {
        fprintf(stderr, "usage: %s [-h] [--version] {serve,describe} ...\n%s: error: ", line->program, line->program);
    }
    va_list arguments;
    va_start(arguments, format);
    vfprintf(stderr, format, arguments);
    va_end(arguments);
    fputc('\n', stderr);
    return EXIT_USAGE;
}

static void help(const command_line *line, const shoal_env_class *cls) {
    const char *name = cls != NULL && cls->name != NULL ? cls->name : "environments";
    if (line->command == NULL) {
        printf("usage: %s [-h] [--version] {serve,describe} ...\n\n"
               "Serve %s over Shoal's environment protocol.\n\n"
               "commands:\n"
               "  serve       host M environments and serve them on a ZeroMQ endpoint\n"
               "  describe    print the spaces and the observation layout as JSON\n",
               line->program, name);
    } else if (strcmp(line->command, "serve") == 0) {
        printf("usage: %s %s\n\n"
               "Host M environments of %s and serve them on a ZeroMQ endpoint until SIGTERM or SIGINT.\n\n"
               "  ENDPOINT               ipc://PATH or tcp://HOST:PORT to bind\n"
               "  --num-envs M           environments (default 16)\n"
               "  --seed N               seeds the seeds drawn for resets without\n"
               "  --id N                 this server's index, for heartbeats (default 0)\n"
               "  --heartbeat-seconds S  at most one heartbeat per S seconds to $SHOAL_SUPERVISOR, when set "
               "(default 1.0)\n"
               "  --env-args JSON        a JSON object handed to the environments' create callback (default {})\n"
               "  --curve-secret-key FILE  serve over CurveZMQ with this secret key (from shoal keygen)\n"
               "  --curve-allow FILE_OR_DIR  the clients admitted: public keys one a line, or a folder of .pub\n",
               line->program, line->usage, name);
    } else {
        printf("usage: %s %s\n\nPrint the spaces and the observation layout of %s as JSON.\n\n"
               "  --env-args JSON        accepted for symmetry with serve; the spaces do not depend on it\n",
               line->program, line->usage, name);
    }
}

/* An unsigned decimal integer in [low, high], or -1 with the reason in `reason`. */
static int parse_unsigned(const char *text, uint64_t low, uint64_t high, uint64_t *value, const char *what,
                          char *reason, size_t size) {
    char *end;
    errno = 0;
    unsigned long long parsed = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno == ERANGE) {
        if (text[0] == '-' && text[1] >= '0' && text[1] <= '9') {
            shoal_format(reason, size, "%s is not %s", text, what);
        } else {
            shoal_format(reason, size, "'%s' is not an integer", text);
        }
        return -1;
    }
    if (parsed < low || parsed > high) {
        shoal_format(reason, size, "%llu is not %s", parsed, what);
        return -1;
    }
    *value = parsed;
    return 0;
}

/* Applies one option; 0, or -1 with the reason. */
static int option(command_line *line, const char *name, const char *value, char *reason, size_t size) {
    shoal_env_options *options = &line->options;
    uint64_t number;
    if (strcmp(name, "--env-args") == 0) {
        char why[200];
        if (shoal_json_check(value, false, why, sizeof why) != 0) {
            shoal_format(reason, size, "not JSON: %s", why);
            return -1;
        }
        if (shoal_json_check(value, true, why, sizeof why) != 0) {
            shoal_format(reason, size, "must be a JSON object of keyword arguments");
            return -1;
        }
        options->env_args = value;
        return 0;
    }
    if (strcmp(line->command, "serve") != 0) return 1;
    if (strcmp(name, "--num-envs") == 0) {
        if (parse_unsigned(value, 1, UINT32_MAX, &number, "a positive integer", reason, size) != 0) return -1;
        options->num_envs = (uint32_t)number;
    } else if (strcmp(name, "--id") == 0) {
        if (parse_unsigned(value, 0, UINT32_MAX, &number, "in 0...4294967295", reason, size) != 0) return -1;
        options->id = (uint32_t)number;
    } else if (strcmp(name, "--seed") == 0) {
        if (parse_unsigned(value, 0, UINT64_MAX, &number, "a seed in 0...2**64-1", reason, size) != 0) return -1;
        options->seed = number;
        options->has_seed = true;
    } else if (strcmp(name, "--curve-secret-key") == 0) {
        options->curve_secret_key = value;
    } else if (strcmp(name, "--curve-allow") == 0) {
        options->curve_allow = value;
    } else if (strcmp(name, "--heartbeat-seconds") == 0) {
        char *end;
        double seconds = strtod(value, &end);
        if (value[0] == '\0' || *end != '\0') {
            shoal_format(reason, size, "'%s' is not a number", value);
            return -1;
        }
        if (!(seconds > 0) || isinf(seconds)) {
            shoal_format(reason, size, "%s is not a positive number of seconds", value);
            return -1;
        }
        options->heartbeat_seconds = seconds;
    } else {
        return 1; /* not an option of this command */
    }
    return 0;
}

int shoal_env_main(int argc, char *const argv[], const shoal_env_class *cls, void *user) {
    command_line line = {0};
    const char *program = argc > 0 && argv[0] != NULL ? argv[0] : "shoal-env";
    const char *slash = strrchr(program, '/');
    line.program = slash != NULL ? slash + 1 : program;
    shoal_env_options_init(&line.options);

    if (argc < 2) return usage_error(&line, "the following arguments are required: %s", "COMMAND");
    const char *command = argv[1];
    if (strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0) {
        help(&line, cls);
        return 0;
    }
    if (strcmp(command, "--version") == 0) {
        printf("%s (shoal-env C library %s)\n", line.program, SHOAL_ENV_VERSION);
        return 0;
    }
    if (strcmp(command, "serve") == 0) {
        line.usage = serve_usage;
    } else if (strcmp(command, "describe") == 0) {
        line.usage = describe_usage;
    } else {
        return usage_error(&line, "argument COMMAND: invalid choice: '%s' (choose from 'serve', 'describe')",
                           command);
    }
    line.command = command;

    for (int i = 2; i < argc; i++) {
        const char *argument = argv[i];
        if (strcmp(argument, "-h") == 0 || strcmp(argument, "--help") == 0) {
            help(&line, cls);
            return 0;
        }
        if (strncmp(argument, "--", 2) != 0 || argument[2] == '\0') {
            if (strcmp(line.command, "serve") != 0 || line.options.endpoint != NULL) {
                return usage_error(&line, "unrecognized arguments: %s", argument);
            }
            if ((strncmp(argument, "ipc://", 6) != 0 && strncmp(argument, "tcp://", 6) != 0) || strlen(argument) <= 6) {
                return usage_error(&line, "argument ENDPOINT: '%s' is not ipc://PATH or tcp://HOST:PORT", argument);
            }
            line.options.endpoint = argument;
            continue;
        }
        char name[64];
        const char *equals = strchr(argument, '=');
        const char *value;
        if (equals != NULL) {
            shoal_format(name, sizeof name, "%.*s", (int)(equals - argument), argument);
            value = equals + 1;
        } else {
            shoal_format(name, sizeof name, "%s", argument);
            if (i + 1 >= argc) {
                char reason[SHOAL_TEXT_SIZE];
                int known = option(&line, name, "", reason, sizeof reason);
                if (known == 1) return usage_error(&line, "unrecognized arguments: %s", argument);
                return usage_error(&line, "argument %s: expected one argument", name);
            }
            value = argv[++i];
        }
        char reason[SHOAL_TEXT_SIZE];
        int applied = option(&line, name, value, reason, sizeof reason);
        if (applied == 1) return usage_error(&line, "unrecognized arguments: %s", argument);
        if (applied != 0) return usage_error(&line, "argument %s: %s", name, reason);
    }

    if (strcmp(line.command, "describe") == 0) {
        char error[SHOAL_TEXT_SIZE];
        if (shoal_env_check(cls, error, sizeof error) != 0) {
            fprintf(stderr, "%s: cannot serve %s: %s\n", line.program,
                    cls != NULL && cls->name != NULL ? cls->name : "(no class)", error);
            return EXIT_USAGE;
        }
        return shoal_env_describe(cls, stdout) == 0 ? 0 : 1;
    }
    if (line.options.endpoint == NULL) {
        return usage_error(&line, "the following arguments are required: %s", "ENDPOINT");
    }
    return shoal_env_serve(cls, user, &line.options);
}
