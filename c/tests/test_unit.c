/* Unit tests of the library's parts, in one process: text and number helpers, the JSON check, class checks, action
 * decoding, the host's stepping, and the session's handling of requests (through encoded protobuf both ways). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define CHECK(condition)                                                                                              \
    do {                                                                                                              \
        if (!(condition)) {                                                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #condition);                             \
            exit(1);                                                                                                  \
        }                                                                                                             \
    } while (0)

#define CHECK_TEXT(text, expected)                                                                                    \
    do {                                                                                                              \
        const char *text_ = (text), *expected_ = (expected);                                                          \
        if (strcmp(text_, expected_) != 0) {                                                                          \
            fprintf(stderr, "%s:%d: got \"%s\", expected \"%s\"\n", __FILE__, __LINE__, text_, expected_);            \
            exit(1);                                                                                                  \
        }                                                                                                             \
    } while (0)

#define CHECK_CONTAINS(text, part)                                                                                    \
    do {                                                                                                              \
        const char *text_ = (text), *part_ = (part);                                                                  \
        if (strstr(text_, part_) == NULL) {                                                                           \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, text_, part_);            \
            exit(1);                                                                                                  \
        }                                                                                                             \
    } while (0)

/* ---- helpers ----------------------------------------------------------------------------------------------------- */

static void test_dtypes(void) {
    static const struct {
        shoal_dtype dtype;
        size_t size;
        const char *name;
    } table[] = {
        {SHOAL_DTYPE_FLOAT32, 4, "float32"}, {SHOAL_DTYPE_FLOAT64, 8, "float64"}, {SHOAL_DTYPE_INT32, 4, "int32"},
        {SHOAL_DTYPE_INT64, 8, "int64"},     {SHOAL_DTYPE_UINT8, 1, "uint8"},     {SHOAL_DTYPE_BOOL, 1, "bool"},
        {SHOAL_DTYPE_INT8, 1, "int8"},       {SHOAL_DTYPE_INT16, 2, "int16"},     {SHOAL_DTYPE_FLOAT16, 2, "float16"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        CHECK(shoal_dtype_size(table[i].dtype) == table[i].size);
        CHECK_TEXT(shoal_dtype_name(table[i].dtype), table[i].name);
        /* numbered as the wire's DType */
        char buffer[32];
        char expected[32];
        snprintf(expected, sizeof expected, "DTYPE_%s", table[i].name);
        for (char *c = expected; *c; c++) *c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
        CHECK_TEXT(shoal_wire_dtype_name((int)table[i].dtype, buffer, sizeof buffer), expected);
    }
    CHECK(shoal_dtype_size((shoal_dtype)0) == 0 && shoal_dtype_size((shoal_dtype)10) == 0);
    CHECK_TEXT(shoal_dtype_name((shoal_dtype)42), "unknown");
    char buffer[32];
    CHECK_TEXT(shoal_wire_dtype_name(42, buffer, sizeof buffer), "DType 42");
}

static void test_format_double(void) {
    static const struct {
        double value;
        const char *text;
    } table[] = {
        {(double)4.8f, "4.800000190734863"},
        {0.1, "0.1"},
        {1e-05, "1e-05"},
        {0.0001, "0.0001"},
        {1e16, "1e+16"},
        {123.0, "123.0"},
        {-0.0, "-0.0"},
        {0.0, "0.0"},
        {1.5e-07, "1.5e-07"},
        {1e22, "1e+22"},
        {5e-324, "5e-324"},
        {1.7976931348623157e+308, "1.7976931348623157e+308"},
        {12345678901234567.0, "1.2345678901234568e+16"},
        {0.5, "0.5"},
        {100.0, "100.0"},
        {1234567890123456.0, "1234567890123456.0"},
        {(double)0.41887903f, "0.41887903213500977"},
        {2.5e-5, "2.5e-05"},
        {-1234.5678, "-1234.5678"},
        {INFINITY, "Infinity"},
        {-INFINITY, "-Infinity"},
        {NAN, "NaN"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        char text[40];
        shoal_format_double(text, sizeof text, table[i].value);
        CHECK_TEXT(text, table[i].text);
    }
    char small[4];
    shoal_format_double(small, sizeof small, 123.25);
    CHECK_TEXT(small, "123");
}

static void test_clean_line(void) {
    char out[32];
    shoal_clean_line(out, sizeof out, "first line\nsecond line");
    CHECK_TEXT(out, "first line");
    shoal_clean_line(out, sizeof out, "tab\there\r\n");
    CHECK_TEXT(out, "tab here");
    shoal_clean_line(out, sizeof out, "bad \xff byte");
    CHECK_TEXT(out, "bad ? byte");
    shoal_clean_line(out, sizeof out, "over\xc0\x80long, sur\xed\xa0\x80rogate, cut \xe2\x82");
    CHECK_TEXT(out, "over??long, sur???rogate, cut ?");
    shoal_clean_line(out, sizeof out, "caf\xc3\xa9 \xf0\x9f\x90\x9f");
    CHECK_TEXT(out, "caf\xc3\xa9 \xf0\x9f\x90\x9f");
    shoal_clean_line(out, sizeof out, NULL);
    CHECK_TEXT(out, "");
    char tiny[5];
    shoal_clean_line(tiny, sizeof tiny, "ab\xc3\xa9\xc3\xa9"); /* no room for the second é: cut before it */
    CHECK_TEXT(tiny, "ab\xc3\xa9");
    shoal_clean_line(tiny, 1, "abc");
    CHECK_TEXT(tiny, "");
    CHECK(shoal_printable_utf8("CartPole \xc3\xa9"));
    CHECK(!shoal_printable_utf8("two\nlines"));
    CHECK(!shoal_printable_utf8("bad \xff"));
}

static void test_json(void) {
    static const char *const good[] = {
        "{}", " { } ", "{\"g\": 9.81, \"name\": \"x\\n\\u00e9\", \"list\": [1, -2.5e3, true, false, null, {}, []]}",
        "{\"a\": NaN, \"b\": -Infinity, \"c\": Infinity}", "{\"nested\": {\"deep\": [[[]]]}}",
    };
    static const char *const bad[] = {
        "", "{", "}", "{\"a\"}", "{\"a\": }", "{\"a\": 1,}", "{a: 1}", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": \"\\x\"}",
        "{\"a\": \"unterminated}", "{} {}", "{\"a\": tru}", "{\"a\": \"\\u12\"}", "{\"a\": [1 2]}",
    };
    char error[128];
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        CHECK(shoal_json_check(good[i], true, error, sizeof error) == 0);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(shoal_json_check(bad[i], false, error, sizeof error) != 0);
    }
    CHECK(shoal_json_check("[1, 2]", false, error, sizeof error) == 0);
    CHECK(shoal_json_check("[1, 2]", true, error, sizeof error) != 0);
    CHECK_CONTAINS(error, "object");
    CHECK(shoal_json_check("\"text\"", true, error, sizeof error) != 0);
    char deep[300];
    memset(deep, '[', 200);
    memset(deep + 200, ']', 99);
    deep[299] = '\0';
    CHECK(shoal_json_check(deep, false, error, sizeof error) != 0); /* too deep, and unbalanced: never a crash */
    CHECK_CONTAINS(error, "deep");
}

/* ---- a test environment ------------------------------------------------------------------------------------------
 * Observations int16 [3]: the step count, then each action element × 100 (after a reset: the seed, or -1 for an
 * autoreset, and the index). Environment i terminates after i + 2 steps; the time limit is 4. An action of exactly
 * 0.5 fails the step; seed 666 fails the reset. */

typedef struct tally_world {
    int created;
    int destroyed;
    int fail_create_at; /* -1: never */
    int autoresets;
} tally_world;

typedef struct tally {
    tally_world *world;
    uint32_t index;
    int16_t steps;
    char error[64];
} tally;

static void *tally_create(void *user, uint32_t index, const char *args, char *error, size_t error_size) {
    tally_world *world = user;
    CHECK(strcmp(args, "{}") == 0);
    if ((int)index == world->fail_create_at) {
        snprintf(error, error_size, "no room\nfor environment %u", index);
        return NULL;
    }
    tally *env = calloc(1, sizeof *env);
    CHECK(env != NULL);
    env->world = world;
    env->index = index;
    world->created++;
    return env;
}

static void tally_destroy(void *opaque) {
    tally *env = opaque;
    env->world->destroyed++;
    free(env);
}

static int tally_reset(void *opaque, const uint64_t *seed, void *observation) {
    tally *env = opaque;
    if (seed != NULL && *seed == 666) {
        snprintf(env->error, sizeof env->error, "seed 666 refused\nby the test");
        return 7;
    }
    if (seed == NULL) env->world->autoresets++;
    env->steps = 0;
    int16_t values[3] = {0, seed != NULL ? (int16_t)*seed : -1, (int16_t)env->index};
    memcpy(observation, values, sizeof values);
    return 0;
}

static int tally_step(void *opaque, const void *action, void *observation, double *reward, bool *terminated,
                      bool *truncated) {
    tally *env = opaque;
    float values[2];
    memcpy(values, action, sizeof values);
    CHECK(*reward == 0.0 && !*terminated && !*truncated);
    if (values[0] == 0.5f) {
        snprintf(env->error, sizeof env->error, "bad \xff action");
        return -3;
    }
    env->steps++;
    int16_t out[3] = {env->steps, (int16_t)lrintf(values[0] * 100), (int16_t)lrintf(values[1] * 100)};
    memcpy(observation, out, sizeof out);
    *reward = env->index + 0.5;
    *terminated = env->steps >= (int16_t)env->index + 2;
    return 0;
}

static const char *tally_last_error(const void *env) { return ((const tally *)env)->error; }

static const double tally_low[2] = {-1.0, -2.0};

static shoal_env_class tally_class(void) {
    shoal_env_class cls = {
        .name = "Tally-v0",
        .observation = {.dtype = SHOAL_DTYPE_INT16, .rank = 1, .shape = {3}, .low = -32768, .high = 32767},
        .action = {.kind = SHOAL_ACTION_BOX,
                   .box = {.dtype = SHOAL_DTYPE_FLOAT32, .rank = 1, .shape = {2}, .low_each = tally_low, .high = 1}},
        .max_episode_steps = 4,
        .create = tally_create,
        .destroy = tally_destroy,
        .reset = tally_reset,
        .step = tally_step,
        .last_error = tally_last_error,
    };
    return cls;
}

static void test_env_check(void) {
    char error[SHOAL_TEXT_SIZE];
    shoal_env_class good = tally_class();
    CHECK(shoal_env_check(&good, error, sizeof error) == 0);
    CHECK(shoal_env_check(NULL, error, sizeof error) != 0);
    CHECK(shoal_env_check(&good, NULL, 0) == 0);

    shoal_env_class cls = good;
    cls.name = "";
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "name") != NULL);
    cls = good;
    cls.step = NULL;
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "step") != NULL);
    cls = good;
    cls.observation.dtype = (shoal_dtype)0;
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "dtype") != NULL);
    cls = good;
    cls.observation.rank = 9;
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "rank 9") != NULL);
    cls = good;
    cls.observation.shape[0] = -1;
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "negative") != NULL);
    cls = good;
    cls.observation.rank = 3;
    cls.observation.shape[0] = cls.observation.shape[1] = cls.observation.shape[2] = 1 << 20;
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "larger") != NULL);
    cls = good;
    cls.action = (shoal_action_space){.kind = SHOAL_ACTION_DISCRETE, .n = 0};
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "Discrete(0") != NULL);
    cls.action = (shoal_action_space){.kind = SHOAL_ACTION_DISCRETE, .n = 2, .start = INT64_MAX};
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0);
    cls.action = (shoal_action_space){.kind = SHOAL_ACTION_MULTI_DISCRETE, .nvec_count = 2};
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "MultiDiscrete") != NULL);
    static const int64_t nvec[] = {3, 0};
    cls.action = (shoal_action_space){.kind = SHOAL_ACTION_MULTI_DISCRETE, .nvec = nvec, .nvec_count = 2};
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "choice 1") != NULL);
    cls.action = (shoal_action_space){.kind = SHOAL_ACTION_BOX, .box = {.dtype = SHOAL_DTYPE_FLOAT16}};
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "float16") != NULL);
    cls.action = (shoal_action_space){.kind = (shoal_action_kind)0};
    CHECK(shoal_env_check(&cls, error, sizeof error) != 0 && strstr(error, "kind 0") != NULL);
}

/* ---- actions ----------------------------------------------------------------------------------------------------- */

static Shoal__V1__Tensor tensor(int dtype, const int64_t *shape, size_t rank, const void *data, size_t size) {
    Shoal__V1__Tensor t = SHOAL__V1__TENSOR__INIT;
    t.dtype = (Shoal__V1__DType)dtype;
    t.shape = (int64_t *)shape;
    t.n_shape = rank;
    t.data.data = (uint8_t *)data;
    t.data.len = size;
    return t;
}

static void test_discrete_actions(void) {
    shoal_actions actions;
    shoal_action_space space = {.kind = SHOAL_ACTION_DISCRETE, .n = 3, .start = -1};
    CHECK(shoal_actions_init(&actions, &space, 4) == 0);
    CHECK_TEXT(actions.expected, "int64 [4]");
    CHECK_TEXT(actions.space, "Discrete(3, start=-1)");
    shoal_failure failure;
    int64_t out[4];
    const int64_t shape[] = {4}, wrong_shape[] = {4, 1};
    const int64_t good[] = {0, 1, 2, 1}, outside[] = {0, 3, 0, 0}, negative[] = {0, 0, -1, 0};
    Shoal__V1__Tensor t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, shape, 1, good, sizeof good);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) == 0);
    CHECK(out[0] == -1 && out[1] == 0 && out[2] == 1 && out[3] == 0); /* with the space's start */
    t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, shape, 1, outside, sizeof outside);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_TEXT(failure.message,
               "ActionError: action [3] of environment 1 is outside Discrete(3, start=-1) "
               "(indices count from 0 to n - 1)");
    t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, shape, 1, negative, sizeof negative);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_CONTAINS(failure.message, "action [-1] of environment 2");
    t = tensor(SHOAL__V1__DTYPE__DTYPE_INT32, shape, 1, good, 16);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_TEXT(failure.message,
               "ActionError: actions must be int64 [4] for Discrete(3, start=-1), got dtype DTYPE_INT32");
    t = tensor(77, shape, 1, good, sizeof good);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_CONTAINS(failure.message, "got dtype DType 77");
    t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, wrong_shape, 2, good, sizeof good);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_TEXT(failure.message, "ActionError: actions must be int64 [4] for Discrete(3, start=-1), got shape [4, 1]");
    t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, shape, 1, good, sizeof good - 1);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_TEXT(failure.message, "ActionError: actions: tensor of DTYPE_INT64 [4] needs 32 bytes of data, it has 31");
    t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, NULL, 0, NULL, 0);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_CONTAINS(failure.message, "got shape []");
    shoal_actions_free(&actions);
}

static void test_multi_discrete_actions(void) {
    static const int64_t nvec[] = {2, 5};
    shoal_action_space space = {.kind = SHOAL_ACTION_MULTI_DISCRETE, .nvec = nvec, .nvec_count = 2};
    shoal_actions actions;
    CHECK(shoal_actions_init(&actions, &space, 2) == 0);
    CHECK_TEXT(actions.expected, "int64 [2, 2]");
    CHECK_TEXT(actions.space, "MultiDiscrete([2 5])");
    const int64_t shape[] = {2, 2};
    const int64_t good[] = {1, 4, 0, 0}, outside[] = {1, 4, 0, 5};
    int64_t out[4];
    shoal_failure failure;
    Shoal__V1__Tensor t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, shape, 2, good, sizeof good);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) == 0);
    CHECK(memcmp(out, good, sizeof good) == 0);
    t = tensor(SHOAL__V1__DTYPE__DTYPE_INT64, shape, 2, outside, sizeof outside);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_CONTAINS(failure.message, "action [0, 5] of environment 1 is outside MultiDiscrete([2 5])");
    shoal_actions_free(&actions);
}

static void test_box_actions(void) {
    /* float32 [2, 2] within per-element bounds, clipped as gymnasium's ClipAction clips them */
    static const double low[] = {-1.0, 0.0, -0.1, -INFINITY}, high[] = {1.0, 2.0, 0.1, INFINITY};
    shoal_action_space space = {
        .kind = SHOAL_ACTION_BOX,
        .box = {.dtype = SHOAL_DTYPE_FLOAT32, .rank = 2, .shape = {2, 2}, .low_each = low, .high_each = high}};
    shoal_actions actions;
    CHECK(shoal_actions_init(&actions, &space, 2) == 0);
    CHECK_TEXT(actions.expected, "float32 [2, 2, 2]");
    CHECK_TEXT(actions.space, "Box([2, 2], float32)");
    const int64_t shape[] = {2, 2, 2};
    const float in[] = {-5.0f, 3.0f, 0.05f, -1e30f, 0.5f, -0.5f, 0.2f, INFINITY};
    float out[8];
    shoal_failure failure;
    Shoal__V1__Tensor t = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape, 3, in, sizeof in);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) == 0);
    const float expected[] = {-1.0f, 2.0f, 0.05f, -1e30f, 0.5f, 0.0f, 0.1f, INFINITY};
    CHECK(memcmp(out, expected, sizeof out) == 0); /* 0.1 as float32, as gymnasium holds the bound */
    float with_nan[8];
    memcpy(with_nan, in, sizeof in);
    with_nan[6] = NAN;
    t = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape, 3, with_nan, sizeof with_nan);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_TEXT(failure.message, "ActionError: action of environment 1 holds NaN");
    t = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT64, shape, 3, in, sizeof in);
    CHECK(shoal_actions_decode(&actions, &t, out, &failure) != 0);
    CHECK_CONTAINS(failure.message, "must be float32 [2, 2, 2]");
    shoal_actions_free(&actions);

    /* Integer and float64 boxes get the clipped value in their dtype, integers truncated toward zero. */
    shoal_action_space int8_space = {
        .kind = SHOAL_ACTION_BOX,
        .box = {.dtype = SHOAL_DTYPE_INT8, .rank = 1, .shape = {4}, .low = -100, .high = 100}};
    CHECK(shoal_actions_init(&actions, &int8_space, 1) == 0);
    const int64_t shape4[] = {1, 4};
    const float values[] = {-1000.0f, 2.9f, -2.9f, 150.0f};
    int8_t small[4];
    t = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape4, 2, values, sizeof values);
    CHECK(shoal_actions_decode(&actions, &t, small, &failure) == 0);
    CHECK(small[0] == -100 && small[1] == 2 && small[2] == -2 && small[3] == 100);
    shoal_actions_free(&actions);

    shoal_action_space int64_space = {.kind = SHOAL_ACTION_BOX,
                                      .box = {.dtype = SHOAL_DTYPE_INT64, .rank = 1, .shape = {4},
                                              .low = -INFINITY, .high = INFINITY}};
    CHECK(shoal_actions_init(&actions, &int64_space, 1) == 0);
    const float extremes[] = {-INFINITY, INFINITY, 1e30f, -7.5f};
    int64_t wide[4];
    t = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape4, 2, extremes, sizeof extremes);
    CHECK(shoal_actions_decode(&actions, &t, wide, &failure) == 0); /* held within int64, never undefined */
    const int64_t largest = 9223372036854774784LL; /* the largest double below 2^63 */
    CHECK(wide[0] == INT64_MIN && wide[1] == largest && wide[2] == largest && wide[3] == -7);
    shoal_actions_free(&actions);

    shoal_action_space float64_space = {
        .kind = SHOAL_ACTION_BOX, .box = {.dtype = SHOAL_DTYPE_FLOAT64, .rank = 0, .low = -0.1, .high = 0.1}};
    CHECK(shoal_actions_init(&actions, &float64_space, 3) == 0);
    CHECK_TEXT(actions.expected, "float32 [3]");
    const int64_t shape3[] = {3};
    const float scalars[] = {-1.0f, 0.05f, 1.0f};
    double doubles[3];
    t = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape3, 1, scalars, sizeof scalars);
    CHECK(shoal_actions_decode(&actions, &t, doubles, &failure) == 0);
    CHECK(doubles[0] == -0.1 && doubles[1] == (double)0.05f && doubles[2] == 0.1); /* float64 bounds stay exact */
    shoal_actions_free(&actions);
}

/* ---- the session, through encoded requests and replies ---------------------------------------------------------- */

static shoal_session *session_under_test;
static Shoal__V1__EnvReply *last_reply;

/* Sends `request` (packed) from `identity` and returns the reply as a client decodes it (valid until the next call). */
static Shoal__V1__EnvReply *send_bytes(const char *identity, const void *payload, size_t size) {
    const Shoal__V1__EnvReply *reply =
        shoal_session_handle(session_under_test, identity, strlen(identity), payload, size);
    size_t packed_size = shoal__v1__env_reply__get_packed_size(reply);
    uint8_t *packed = malloc(packed_size + 1);
    CHECK(packed != NULL);
    CHECK(shoal__v1__env_reply__pack(reply, packed) == packed_size);
    if (last_reply != NULL) shoal__v1__env_reply__free_unpacked(last_reply, NULL);
    last_reply = shoal__v1__env_reply__unpack(NULL, packed_size, packed);
    free(packed);
    CHECK(last_reply != NULL);
    CHECK(last_reply->protocol_version == 1);
    return last_reply;
}

static uint64_t next_id = 1;

static Shoal__V1__EnvReply *send_request(const char *identity, Shoal__V1__EnvRequest *request) {
    if (request->protocol_version == 0) request->protocol_version = 1;
    request->request_id = next_id++;
    size_t size = shoal__v1__env_request__get_packed_size(request);
    uint8_t *payload = malloc(size + 1);
    CHECK(payload != NULL);
    shoal__v1__env_request__pack(request, payload);
    Shoal__V1__EnvReply *reply = send_bytes(identity, payload, size);
    free(payload);
    CHECK(reply->request_id == request->request_id);
    return reply;
}

static Shoal__V1__EnvReply *send_hello(const char *identity, bool describe_only) {
    Shoal__V1__EnvHello hello = SHOAL__V1__ENV_HELLO__INIT;
    hello.client = (char *)identity;
    hello.describe_only = describe_only;
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_HELLO;
    request.hello = &hello;
    return send_request(identity, &request);
}

static Shoal__V1__EnvReply *send_reset(const char *identity, const uint64_t *seeds, size_t count) {
    Shoal__V1__EnvReset reset = SHOAL__V1__ENV_RESET__INIT;
    reset.seeds = (uint64_t *)seeds;
    reset.n_seeds = count;
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_RESET;
    request.reset = &reset;
    return send_request(identity, &request);
}

/* A step with float32 [M, 2] actions: every environment gets (a0, a1). */
static Shoal__V1__EnvReply *send_step(const char *identity, uint32_t m, float a0, float a1) {
    float values[64];
    CHECK(2 * m <= 64);
    for (uint32_t i = 0; i < m; i++) {
        values[2 * i] = a0;
        values[2 * i + 1] = a1;
    }
    const int64_t shape[] = {m, 2};
    Shoal__V1__Tensor actions = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape, 2, values, sizeof(float) * 2 * m);
    Shoal__V1__EnvStep step = SHOAL__V1__ENV_STEP__INIT;
    step.actions = &actions;
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_STEP;
    request.step = &step;
    return send_request(identity, &request);
}

static const char *error_of(const Shoal__V1__EnvReply *reply) {
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_ERROR);
    return reply->error->message;
}

/* Observation row `row` of an int16 [K, 3] tensor. */
static void row_of(const Shoal__V1__Tensor *t, size_t row, int16_t out[3]) {
    CHECK(t->dtype == SHOAL__V1__DTYPE__DTYPE_INT16 && t->n_shape == 2 && t->shape[1] == 3);
    CHECK((size_t)t->shape[0] > row && t->data.len == (size_t)t->shape[0] * 6);
    memcpy(out, t->data.data + row * 6, 6);
}

static void test_session(void) {
    enum { M = 4 };
    tally_world world = {.fail_create_at = -1};
    shoal_env_class cls = tally_class();
    shoal_logger logger = {.name = "test", .silent = true};
    shoal_host host;
    shoal_spec spec;
    shoal_session session;
    char error[SHOAL_TEXT_SIZE];
    CHECK(shoal_host_init(&host, &cls, &world, M, NULL, 1, error, sizeof error) == 0);
    CHECK(world.created == M);
    CHECK(shoal_spec_init(&spec, &cls, M) == 0);
    CHECK(shoal_session_init(&session, &host, &spec, &logger) == 0);
    session_under_test = &session;

    /* Broken requests get an EnvError naming what is wrong, and change nothing. */
    Shoal__V1__EnvReply *reply = send_bytes("a", "\xff\xff\xff", 3);
    CHECK(reply->request_id == 0);
    CHECK_TEXT(error_of(reply), "ProtocolError: undecodable EnvRequest of 3 bytes");
    Shoal__V1__EnvRequest request = SHOAL__V1__ENV_REQUEST__INIT;
    request.protocol_version = 2;
    CHECK_TEXT(error_of(send_request("a", &request)),
               "ProtocolError: protocol version 2 is not spoken here (this server speaks 1)");
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    CHECK_TEXT(error_of(send_request("a", &request)),
               "ProtocolError: EnvRequest without a body (hello, reset or step)");
    CHECK_TEXT(error_of(send_reset("a", NULL, 0)),
               "ProtocolError: reset from a client without a session: send a hello first");

    /* A describe-only hello gets the spec and no session. */
    reply = send_hello("a", true);
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    const Shoal__V1__EnvSpec *got = reply->spec;
    CHECK_TEXT(got->env_name, "Tally-v0");
    CHECK(got->num_envs == M && got->max_episode_steps == 4);
    CHECK(got->observation->dtype == SHOAL__V1__DTYPE__DTYPE_INT16 && got->observation->n_shape == 1 &&
          got->observation->shape[0] == 3);
    CHECK(got->observation_space->kind_case == SHOAL__V1__SPACE__KIND_BOX);
    CHECK(got->observation_space->box->n_low == 1 && got->observation_space->box->low[0] == -32768);
    const Shoal__V1__BoxSpace *box = got->action_space->box;
    CHECK(got->action_space->kind_case == SHOAL__V1__SPACE__KIND_BOX && box->dtype == SHOAL__V1__DTYPE__DTYPE_FLOAT32);
    CHECK(box->n_shape == 1 && box->shape[0] == 2);
    CHECK(box->n_low == 2 && box->low[0] == -1.0 && box->low[1] == -2.0 && box->n_high == 1 && box->high[0] == 1.0);
    CHECK_CONTAINS(got->server, "shoal-env C library");
    CHECK(strstr(error_of(send_reset("a", NULL, 0)), "without a session") != NULL);

    /* A hello opens the session; a step needs a reset first, and a reset M seeds or none. */
    CHECK(send_hello("a", false)->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    CHECK_TEXT(error_of(send_step("a", M, 0, 0)),
               "RequestError: the environments need a reset before a step (after a hello or a failed request)");
    const uint64_t seeds[M] = {10, 11, 12, 13};
    CHECK_TEXT(error_of(send_reset("a", seeds, 3)),
               "RequestError: a reset needs 4 seeds, one per environment, or none; got 3");
    reply = send_reset("a", seeds, M);
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS);
    int16_t row[3];
    for (int i = 0; i < M; i++) {
        row_of(reply->observations->observations, (size_t)i, row);
        CHECK(row[0] == 0 && row[1] == 10 + i && row[2] == i);
    }
    reply = send_reset("a", NULL, 0); /* seeds the server draws, in [0, 2^63) */
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS);
    reply = send_reset("a", seeds, M);

    /* Actions of the wrong shape or dtype are refused before anything is stepped. */
    CHECK_CONTAINS(error_of(send_step("a", M - 1, 0, 0)),
                   "actions must be float32 [4, 2] for Box([2], float32), got shape [3, 2]");
    Shoal__V1__EnvStep empty_step = SHOAL__V1__ENV_STEP__INIT;
    request = (Shoal__V1__EnvRequest)SHOAL__V1__ENV_REQUEST__INIT;
    request.body_case = SHOAL__V1__ENV_REQUEST__BODY_STEP;
    request.step = &empty_step;
    CHECK_TEXT(error_of(send_request("a", &request)), "ActionError: a step without actions (expected float32 [4, 2])");

    /* Steps: clipped actions, same-step autoreset, the time limit, episode returns and lengths. */
    int lengths[M] = {0};
    for (int t = 1; t <= 6; t++) {
        reply = send_step("a", M, 3.0f, -0.25f); /* 3.0 is clipped to 1.0 */
        CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_TRANSITIONS);
        const Shoal__V1__EnvTransitions *step = reply->transitions;
        CHECK(step->n_rewards == M && step->n_terminated == M && step->n_truncated == M);
        size_t k = 0;
        for (int i = 0; i < M; i++) {
            lengths[i]++;
            CHECK(step->rewards[i] == i + 0.5);
            bool terminates = lengths[i] >= i + 2, truncates = lengths[i] >= 4;
            CHECK(step->terminated[i] == terminates && step->truncated[i] == truncates);
            row_of(step->observations, (size_t)i, row);
            if (!terminates && !truncates) {
                CHECK(row[0] == lengths[i] && row[1] == 100 && row[2] == -25);
                continue;
            }
            CHECK(k < step->n_ended && step->ended[k] == (uint32_t)i);
            CHECK(row[0] == 0 && row[1] == -1 && row[2] == i); /* the next episode's first, from an autoreset */
            int16_t final[3];
            row_of(step->final_observations, k, final);
            CHECK(final[0] == lengths[i] && final[1] == 100 && final[2] == -25);
            CHECK(step->episodes[k]->length == lengths[i]);
            CHECK(step->episodes[k]->episode_return == lengths[i] * (i + 0.5));
            lengths[i] = 0;
            k++;
        }
        CHECK(step->n_ended == k && step->n_episodes == k && step->final_observations->shape[0] == (int64_t)k);
    }
    CHECK(world.autoresets == 7); /* env 0 three times, env 1 twice, env 2 once, env 3 once */
    CHECK(host.steps == 6 * M);

    /* A failing callback: an EnvError with its message cleaned; the environments need a reset. */
    const char *message = error_of(send_step("a", M, 0.5f, 0));
    CHECK_TEXT(message, "EnvironmentError: step of environment 0: bad ? action (the environments need a reset)");
    CHECK_CONTAINS(last_reply->error->details, "step callback of environment 0 returned -3");
    CHECK_CONTAINS(error_of(send_step("a", M, 0, 0)), "need a reset before a step");
    const uint64_t bad_seeds[M] = {1, 2, 666, 4};
    CHECK_TEXT(error_of(send_reset("a", bad_seeds, M)),
               "EnvironmentError: reset of environment 2: seed 666 refused (the environments need a reset)");
    CHECK_CONTAINS(error_of(send_step("a", M, 0, 0)), "need a reset before a step");
    CHECK(send_reset("a", seeds, M)->body_case == SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS);
    CHECK(send_step("a", M, 0, 0)->body_case == SHOAL__V1__ENV_REPLY__BODY_TRANSITIONS);

    /* Another client's hello takes the server over; the first client's requests are refused. */
    CHECK(send_hello("b", false)->body_case == SHOAL__V1__ENV_REPLY__BODY_SPEC);
    CHECK_TEXT(error_of(send_step("a", M, 0, 0)), "ProtocolError: step from a client without a session: send a hello "
                                                   "first (another client's hello took the server over)");
    CHECK_CONTAINS(error_of(send_step("b", M, 0, 0)), "need a reset before a step");
    CHECK(send_reset("b", seeds, M)->body_case == SHOAL__V1__ENV_REPLY__BODY_OBSERVATIONS);
    reply = send_step("b", M, 0, 0);
    CHECK(reply->body_case == SHOAL__V1__ENV_REPLY__BODY_TRANSITIONS);
    row_of(reply->transitions->observations, 3, row);
    CHECK(row[0] == 1); /* a fresh episode after the takeover's reset */

    /* Garbage and mangled requests never crash the session or leak (run under valgrind and ASan). */
    uint64_t random = 42;
    uint8_t valid[256];
    size_t valid_size;
    {
        float values[2 * M] = {0};
        const int64_t shape[] = {M, 2};
        Shoal__V1__Tensor actions = tensor(SHOAL__V1__DTYPE__DTYPE_FLOAT32, shape, 2, values, sizeof values);
        Shoal__V1__EnvStep step = SHOAL__V1__ENV_STEP__INIT;
        step.actions = &actions;
        Shoal__V1__EnvRequest valid_request = SHOAL__V1__ENV_REQUEST__INIT;
        valid_request.protocol_version = 1;
        valid_request.request_id = 99;
        valid_request.body_case = SHOAL__V1__ENV_REQUEST__BODY_STEP;
        valid_request.step = &step;
        valid_size = shoal__v1__env_request__pack(&valid_request, valid);
    }
    uint64_t errors_before = session.errors;
    for (int round = 0; round < 20000; round++) {
        uint8_t bytes[256];
        size_t size;
        if (round % 2 == 0) {
            size = shoal_splitmix64(&random) % 64;
            for (size_t i = 0; i < size; i++) bytes[i] = (uint8_t)shoal_splitmix64(&random);
        } else {
            memcpy(bytes, valid, valid_size);
            size = valid_size;
            int flips = 1 + (int)(shoal_splitmix64(&random) % 4);
            for (int f = 0; f < flips; f++) {
                bytes[shoal_splitmix64(&random) % size] ^= (uint8_t)(1u << (shoal_splitmix64(&random) % 8));
            }
            if (shoal_splitmix64(&random) % 4 == 0) size = shoal_splitmix64(&random) % size;
        }
        send_bytes(round % 3 == 0 ? "a" : "b", bytes, size);
    }
    CHECK(session.errors > errors_before);
    CHECK(session.requests > 20000);

    shoal__v1__env_reply__free_unpacked(last_reply, NULL);
    last_reply = NULL;
    shoal_session_free(&session);
    shoal_spec_free(&spec);
    shoal_host_free(&host);
    CHECK(world.destroyed == M);
}

static void test_host_create_failure(void) {
    tally_world world = {.fail_create_at = 2};
    shoal_env_class cls = tally_class();
    shoal_host host;
    char error[SHOAL_TEXT_SIZE];
    CHECK(shoal_host_init(&host, &cls, &world, 4, "{}", 1, error, sizeof error) != 0);
    CHECK_TEXT(error, "cannot create environment 2 of Tally-v0: no room");
    CHECK(world.created == 2 && world.destroyed == 2); /* the ones made are destroyed */
    CHECK(shoal_host_init(&host, &cls, &world, 0, "{}", 1, error, sizeof error) != 0);
}

static void test_describe(void) {
    shoal_env_class cls = tally_class();
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    CHECK(out != NULL);
    CHECK(shoal_env_describe(&cls, out) == 0);
    fclose(out);
    CHECK_CONTAINS(text, "{\n  \"env_name\": \"Tally-v0\",\n  \"observation_space\": {\n    \"box\": {\n"
                         "      \"dtype\": \"int16\",\n      \"shape\": [\n        3\n      ],\n"
                         "      \"low\": [\n        -32768.0\n      ],");
    CHECK_CONTAINS(text, "\"action_space\": {\n    \"box\": {\n      \"dtype\": \"float32\",");
    CHECK_CONTAINS(text, "\"low\": [\n        -1.0,\n        -2.0\n      ],\n      \"high\": [\n        1.0\n      ]");
    CHECK_CONTAINS(text, "\"max_episode_steps\": 4,");
    free(text);
    cls.name = NULL;
    out = open_memstream(&text, &size);
    CHECK(shoal_env_describe(&cls, out) != 0);
    fclose(out);
    free(text);
}

static void test_supervisor(void) {
    shoal_logger logger = {.name = "test", .silent = true};
    unsetenv("SHOAL_SUPERVISOR_PID");
    CHECK(shoal_die_with_supervisor(&logger) == 0);
    char pid[32];
    snprintf(pid, sizeof pid, "%ld", (long)getppid());
    setenv("SHOAL_SUPERVISOR_PID", pid, 1);
    CHECK(shoal_die_with_supervisor(&logger) == 0);
    snprintf(pid, sizeof pid, "%ld", (long)getppid() + 1);
    setenv("SHOAL_SUPERVISOR_PID", pid, 1);
    CHECK(shoal_die_with_supervisor(&logger) != 0);
    setenv("SHOAL_SUPERVISOR_PID", "not a pid", 1);
    CHECK(shoal_die_with_supervisor(&logger) == 0);
    unsetenv("SHOAL_SUPERVISOR_PID");
}

static void test_serve_refuses_bad_options(void) {
    shoal_env_class cls = tally_class();
    shoal_env_options options;
    shoal_env_options_init(&options);
    options.quiet = true;
    CHECK(options.num_envs == 16 && options.heartbeat_seconds == 1.0);
    /* The refusals are logged to stderr: keep them out of the test's output. */
    fflush(stderr);
    int saved = dup(2);
    FILE *null = fopen("/dev/null", "w");
    CHECK(saved >= 0 && null != NULL);
    dup2(fileno(null), 2);
    CHECK(shoal_env_serve(&cls, NULL, &options) == 2); /* no endpoint */
    options.endpoint = "ipc:///nonexistent-directory/x.sock";
    options.num_envs = 0;
    CHECK(shoal_env_serve(&cls, NULL, &options) == 2);
    options.num_envs = 1;
    cls.reset = NULL;
    CHECK(shoal_env_serve(&cls, NULL, &options) == 2);
    cls = tally_class();
    tally_world world = {.fail_create_at = -1};
    int status = shoal_env_serve(&cls, &world, &options); /* cannot bind */
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(null);
    CHECK(status == 1);
    CHECK(world.created == 1 && world.destroyed == 1);
}

int main(void) {
    test_dtypes();
    test_format_double();
    test_clean_line();
    test_json();
    test_env_check();
    test_discrete_actions();
    test_multi_discrete_actions();
    test_box_actions();
    test_session();
    test_host_create_failure();
    test_describe();
    test_supervisor();
    test_serve_refuses_bad_options();
    printf("test_unit: all passed\n");
    return 0;
}
