/* Spaces: checking a class, the EnvSpec it is served as, and the decoding of the wire's actions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

#include "internal.h"

size_t shoal_dtype_size(shoal_dtype dtype) {
    switch (dtype) {
    case SHOAL_DTYPE_UINT8:
    case SHOAL_DTYPE_BOOL:
    case SHOAL_DTYPE_INT8: return 1;
    case SHOAL_DTYPE_INT16:
    case SHOAL_DTYPE_FLOAT16: return 2;
    case SHOAL_DTYPE_FLOAT32:
    case SHOAL_DTYPE_INT32: return 4;
    case SHOAL_DTYPE_FLOAT64:
    case SHOAL_DTYPE_INT64: return 8;
    }
    return 0;
}

const char *shoal_dtype_name(shoal_dtype dtype) {
    switch (dtype) {
    case SHOAL_DTYPE_FLOAT32: return "float32";
    case SHOAL_DTYPE_FLOAT64: return "float64";
    case SHOAL_DTYPE_INT32: return "int32";
    case SHOAL_DTYPE_INT64: return "int64";
    case SHOAL_DTYPE_UINT8: return "uint8";
    case SHOAL_DTYPE_BOOL: return "bool";
    case SHOAL_DTYPE_INT8: return "int8";
    case SHOAL_DTYPE_INT16: return "int16";
    case SHOAL_DTYPE_FLOAT16: return "float16";
    }
    return "unknown";
}

const char *shoal_wire_dtype_name(int dtype, char *buffer, size_t size) {
    const ProtobufCEnumValue *value = protobuf_c_enum_descriptor_get_value(&shoal__v1__dtype__descriptor, dtype);
    if (value != NULL) return value->name;
    shoal_format(buffer, size, "DType %d", dtype);
    return buffer;
}

/* "[16, 4]" */
static void format_shape(char *out, size_t size, const int64_t *shape, size_t rank) {
    size_t used = shoal_format(out, size, "[");
    for (size_t i = 0; i < rank; i++) {
        used += shoal_format(out + used, size - used, "%s%lld", i == 0 ? "" : ", ", (long long)shape[i]);
    }
    shoal_format(out + used, size - used, "]");
}

int shoal_box_count(const shoal_box *box, const char *what, size_t *count, char *error, size_t error_size) {
    size_t element = shoal_dtype_size(box->dtype);
    if (element == 0) {
        shoal_format(error, error_size, "%s has dtype %d, which is not a shoal_dtype", what, (int)box->dtype);
        return -1;
    }
    if (box->rank > SHOAL_ENV_MAX_RANK) {
        shoal_format(error, error_size, "%s has rank %u, the limit is %d", what, box->rank, SHOAL_ENV_MAX_RANK);
        return -1;
    }
    size_t product = 1;
    for (uint32_t i = 0; i < box->rank; i++) {
        int64_t extent = box->shape[i];
        if (extent < 0) {
            shoal_format(error, error_size, "%s has the negative extent %lld", what, (long long)extent);
            return -1;
        }
        if (extent > 0 && product > SHOAL_MAX_ROW_BYTES / element / (uint64_t)extent) {
            shoal_format(error, error_size, "%s is larger than %zu bytes", what, SHOAL_MAX_ROW_BYTES);
            return -1;
        }
        product *= (size_t)extent;
    }
    *count = product;
    return 0;
}

double shoal_box_bound(const shoal_box *box, bool high, size_t element) {
    const double *each = high ? box->high_each : box->low_each;
    double bound = each != NULL ? each[element] : (high ? box->high : box->low);
    return box->dtype == SHOAL_DTYPE_FLOAT32 ? (double)(float)bound : bound;
}

static bool box_action_dtype(shoal_dtype dtype) {
    switch (dtype) {
    case SHOAL_DTYPE_FLOAT32:
    case SHOAL_DTYPE_FLOAT64:
    case SHOAL_DTYPE_INT8:
    case SHOAL_DTYPE_INT16:
    case SHOAL_DTYPE_INT32:
    case SHOAL_DTYPE_INT64:
    case SHOAL_DTYPE_UINT8: return true;
    default: return false;
    }
}

int shoal_env_check(const shoal_env_class *cls, char *error, size_t error_size) {
    char ignored[1];
    if (error == NULL) {
        error = ignored;
        error_size = sizeof ignored;
    }
    if (cls == NULL) {
        shoal_format(error, error_size, "no environment class");
        return -1;
    }
    if (cls->name == NULL || cls->name[0] == '\0' || !shoal_printable_utf8(cls->name)) {
        shoal_format(error, error_size, "the environment class needs a name of printable UTF-8");
        return -1;
    }
    if (cls->create == NULL || cls->reset == NULL || cls->step == NULL) {
        shoal_format(error, error_size, "%s lacks a callback: create, reset and step are required", cls->name);
        return -1;
    }
    char what[160];
    size_t count;
    shoal_format(what, sizeof what, "%s's observation space", cls->name);
    if (shoal_box_count(&cls->observation, what, &count, error, error_size) != 0) return -1;

    const shoal_action_space *action = &cls->action;
    shoal_format(what, sizeof what, "%s's action space", cls->name);
    switch (action->kind) {
    case SHOAL_ACTION_DISCRETE:
        if (action->n < 1 || action->start > INT64_MAX - (action->n - 1)) {
            shoal_format(error, error_size, "%s is Discrete(%lld, start=%lld): n must be at least 1 and the choices "
                         "within int64", what, (long long)action->n, (long long)action->start);
            return -1;
        }
        return 0;
    case SHOAL_ACTION_MULTI_DISCRETE:
        if (action->nvec == NULL || action->nvec_count == 0 || action->nvec_count > SHOAL_MAX_ROW_BYTES / 8) {
            shoal_format(error, error_size, "%s is a MultiDiscrete with %u choices: it needs nvec and nvec_count "
                         "of at least 1", what, action->nvec_count);
            return -1;
        }
        for (uint32_t i = 0; i < action->nvec_count; i++) {
            if (action->nvec[i] < 1) {
                shoal_format(error, error_size, "%s is a MultiDiscrete whose choice %u has %lld values (at least 1)",
                             what, i, (long long)action->nvec[i]);
                return -1;
            }
        }
        return 0;
    case SHOAL_ACTION_BOX:
        if (shoal_box_count(&action->box, what, &count, error, error_size) != 0) return -1;
        if (!box_action_dtype(action->box.dtype)) {
            shoal_format(error, error_size, "%s is a Box of %s; a Box action is float32, float64, int8, int16, int32, "
                         "int64 or uint8", what, shoal_dtype_name(action->box.dtype));
            return -1;
        }
        return 0;
    }
    shoal_format(error, error_size, "%s is of kind %d, not a shoal_action_kind", what, (int)action->kind);
    return -1;
}

/* ---- the spec ---------------------------------------------------------------------------------------------------- */

/* One bound for every element when they share it, else one per element (as the Python server sends them). */
static size_t write_bounds(const shoal_box *box, bool high, size_t count, double *out) {
    bool shared = count > 0;
    for (size_t i = 1; i < count && shared; i++) {
        shared = shoal_box_bound(box, high, i) == shoal_box_bound(box, high, 0);
    }
    size_t written = shared ? 1 : count;
    for (size_t i = 0; i < written; i++) out[i] = shoal_box_bound(box, high, i);
    return written;
}

/* A box space pointing into `shape` and `bounds`; returns the number of bounds used. */
static size_t box_space(Shoal__V1__BoxSpace *space, const shoal_box *box, size_t count, int64_t *shape,
                        double *bounds) {
    shoal__v1__box_space__init(space);
    space->dtype = (Shoal__V1__DType)box->dtype;
    memcpy(shape, box->shape, sizeof(int64_t) * box->rank);
    space->n_shape = box->rank;
    space->shape = shape;
    space->low = bounds;
    space->n_low = write_bounds(box, false, count, space->low);
    space->high = bounds + space->n_low;
    space->n_high = write_bounds(box, true, count, space->high);
    return space->n_low + space->n_high;
}

int shoal_spec_init(shoal_spec *spec, const shoal_env_class *cls, uint32_t num_envs) {
    memset(spec, 0, sizeof *spec);
    size_t observation_count = 0, action_count = 0;
    char error[SHOAL_TEXT_SIZE];
    if (shoal_env_check(cls, error, sizeof error) != 0) return -1;
    shoal_box_count(&cls->observation, "", &observation_count, error, sizeof error);
    if (cls->action.kind == SHOAL_ACTION_BOX) shoal_box_count(&cls->action.box, "", &action_count, error, sizeof error);
    spec->bounds = malloc(sizeof(double) * (2 * observation_count + 2 * action_count + 1));
    if (spec->bounds == NULL) return -1;

    shoal__v1__env_spec__init(&spec->spec);
    spec->spec.env_name = (char *)cls->name;
    spec->spec.num_envs = num_envs;
    spec->spec.max_episode_steps = cls->max_episode_steps;
    int major, minor, patch;
    zmq_version(&major, &minor, &patch);
    shoal_format(spec->server, sizeof spec->server, "shoal-env C library %s, libzmq %d.%d.%d, protobuf-c %s",
                 SHOAL_ENV_VERSION, major, minor, patch, protobuf_c_version());
    spec->spec.server = spec->server;

    shoal__v1__space__init(&spec->observation_space);
    spec->observation_space.kind_case = SHOAL__V1__SPACE__KIND_BOX;
    spec->observation_space.box = &spec->observation_box;
    size_t used = box_space(&spec->observation_box, &cls->observation, observation_count, spec->observation_shape,
                            spec->bounds);
    spec->spec.observation_space = &spec->observation_space;

    shoal__v1__tensor_spec__init(&spec->observation);
    spec->observation.dtype = (Shoal__V1__DType)cls->observation.dtype;
    spec->observation.n_shape = cls->observation.rank;
    spec->observation.shape = spec->observation_shape;
    spec->spec.observation = &spec->observation;

    shoal__v1__space__init(&spec->action_space);
    const shoal_action_space *action = &cls->action;
    switch (action->kind) {
    case SHOAL_ACTION_DISCRETE:
        shoal__v1__discrete_space__init(&spec->discrete);
        spec->discrete.n = action->n;
        spec->discrete.start = action->start;
        spec->action_space.kind_case = SHOAL__V1__SPACE__KIND_DISCRETE;
        spec->action_space.discrete = &spec->discrete;
        break;
    case SHOAL_ACTION_MULTI_DISCRETE:
        shoal__v1__multi_discrete_space__init(&spec->multi_discrete);
        spec->multi_discrete.n_nvec = action->nvec_count;
        spec->multi_discrete.nvec = (int64_t *)action->nvec; /* only read while packing */
        spec->action_space.kind_case = SHOAL__V1__SPACE__KIND_MULTI_DISCRETE;
        spec->action_space.multi_discrete = &spec->multi_discrete;
        break;
    case SHOAL_ACTION_BOX:
        box_space(&spec->action_box, &action->box, action_count, spec->action_shape, spec->bounds + used);
        spec->action_space.kind_case = SHOAL__V1__SPACE__KIND_BOX;
        spec->action_space.box = &spec->action_box;
        break;
    }
    spec->spec.action_space = &spec->action_space;
    return 0;
}

void shoal_spec_free(shoal_spec *spec) {
    free(spec->bounds);
    spec->bounds = NULL;
}

/* ---- actions ----------------------------------------------------------------------------------------------------- */

int shoal_actions_init(shoal_actions *actions, const shoal_action_space *space, uint32_t num_envs) {
    memset(actions, 0, sizeof *actions);
    actions->kind = space->kind;
    actions->num_envs = num_envs;
    actions->wire_shape[0] = num_envs;
    actions->wire_rank = 1;
    char shape[64];
    if (space->kind == SHOAL_ACTION_BOX) {
        const shoal_box *box = &space->box;
        char ignored[8];
        if (shoal_box_count(box, "", &actions->per_env, ignored, sizeof ignored) != 0) return -1;
        actions->wire_dtype = SHOAL__V1__DTYPE__DTYPE_FLOAT32;
        actions->box_dtype = box->dtype;
        actions->bytes_per_env = actions->per_env * shoal_dtype_size(box->dtype);
        for (uint32_t i = 0; i < box->rank; i++) actions->wire_shape[1 + i] = box->shape[i];
        actions->wire_rank = 1 + box->rank;
        actions->low = malloc(sizeof(double) * (actions->per_env + 1));
        actions->high = malloc(sizeof(double) * (actions->per_env + 1));
        if (actions->low == NULL || actions->high == NULL) {
            shoal_actions_free(actions);
            return -1;
        }
        for (size_t i = 0; i < actions->per_env; i++) {
            actions->low[i] = shoal_box_bound(box, false, i);
            actions->high[i] = shoal_box_bound(box, true, i);
        }
        format_shape(shape, sizeof shape, box->shape, box->rank);
        shoal_format(actions->space, sizeof actions->space, "Box(%s, %s)", shape, shoal_dtype_name(box->dtype));
    } else {
        bool discrete = space->kind == SHOAL_ACTION_DISCRETE;
        actions->wire_dtype = SHOAL__V1__DTYPE__DTYPE_INT64;
        actions->per_env = discrete ? 1 : space->nvec_count;
        actions->bytes_per_env = actions->per_env * sizeof(int64_t);
        if (!discrete) {
            actions->wire_shape[1] = space->nvec_count;
            actions->wire_rank = 2;
        }
        actions->nvec = malloc(sizeof(int64_t) * actions->per_env);
        if (actions->nvec == NULL) return -1;
        if (discrete) {
            actions->nvec[0] = space->n;
            actions->start = space->start;
            if (space->start == 0) {
                shoal_format(actions->space, sizeof actions->space, "Discrete(%lld)", (long long)space->n);
            } else {
                shoal_format(actions->space, sizeof actions->space, "Discrete(%lld, start=%lld)",
                             (long long)space->n, (long long)space->start);
            }
        } else {
            memcpy(actions->nvec, space->nvec, sizeof(int64_t) * actions->per_env);
            size_t used = shoal_format(actions->space, sizeof actions->space, "MultiDiscrete([");
            for (size_t i = 0; i < actions->per_env; i++) {
                used += shoal_format(actions->space + used, sizeof actions->space - used, "%s%lld", i ? " " : "",
                                     (long long)space->nvec[i]);
            }
            shoal_format(actions->space + used, sizeof actions->space - used, "])");
        }
    }
    format_shape(shape, sizeof shape, actions->wire_shape, actions->wire_rank);
    shoal_format(actions->expected, sizeof actions->expected, "%s %s",
                 actions->wire_dtype == SHOAL__V1__DTYPE__DTYPE_INT64 ? "int64" : "float32", shape);
    return 0;
}

void shoal_actions_free(shoal_actions *actions) {
    free(actions->low);
    free(actions->high);
    free(actions->nvec);
    actions->low = actions->high = NULL;
    actions->nvec = NULL;
}

/* Stores a clipped, NaN-free value in `dtype` (integers truncated toward zero and held within their range). */
static void store(shoal_dtype dtype, unsigned char *out, double value) {
    switch (dtype) {
    case SHOAL_DTYPE_FLOAT32: {
        float v = (float)value;
        memcpy(out, &v, sizeof v);
        return;
    }
    case SHOAL_DTYPE_FLOAT64: memcpy(out, &value, sizeof value); return;
    case SHOAL_DTYPE_INT8: {
        int8_t v = (int8_t)fmin(fmax(value, INT8_MIN), INT8_MAX);
        memcpy(out, &v, sizeof v);
        return;
    }
    case SHOAL_DTYPE_INT16: {
        int16_t v = (int16_t)fmin(fmax(value, INT16_MIN), INT16_MAX);
        memcpy(out, &v, sizeof v);
        return;
    }
    case SHOAL_DTYPE_INT32: {
        int32_t v = (int32_t)fmin(fmax(value, INT32_MIN), INT32_MAX);
        memcpy(out, &v, sizeof v);
        return;
    }
    case SHOAL_DTYPE_INT64: {
        /* 2^63 is not an int64; the largest double below it is. */
        int64_t v = (int64_t)fmin(fmax(value, -9223372036854775808.0), 9223372036854774784.0);
        memcpy(out, &v, sizeof v);
        return;
    }
    case SHOAL_DTYPE_UINT8: {
        uint8_t v = (uint8_t)fmin(fmax(value, 0), UINT8_MAX);
        memcpy(out, &v, sizeof v);
        return;
    }
    default: return; /* shoal_env_check admits no other Box action dtype */
    }
}

int shoal_actions_decode(const shoal_actions *actions, const Shoal__V1__Tensor *tensor, void *out,
                         shoal_failure *failure) {
    char name[32], shape[160];
    if ((int)tensor->dtype != actions->wire_dtype) {
        return shoal_fail(failure, SHOAL_ACTION_ERROR, "actions must be %s for %s, got dtype %s", actions->expected,
                          actions->space, shoal_wire_dtype_name(tensor->dtype, name, sizeof name));
    }
    bool fits = tensor->n_shape == actions->wire_rank;
    for (size_t i = 0; fits && i < actions->wire_rank; i++) fits = tensor->shape[i] == actions->wire_shape[i];
    if (!fits) {
        format_shape(shape, sizeof shape, tensor->shape, tensor->n_shape < 16 ? tensor->n_shape : 16);
        return shoal_fail(failure, SHOAL_ACTION_ERROR, "actions must be %s for %s, got shape %s", actions->expected,
                          actions->space, shape);
    }
    size_t element = actions->wire_dtype == SHOAL__V1__DTYPE__DTYPE_INT64 ? sizeof(int64_t) : sizeof(float);
    size_t count = (size_t)actions->num_envs * actions->per_env;
    if (tensor->data.len != count * element) {
        format_shape(shape, sizeof shape, actions->wire_shape, actions->wire_rank);
        return shoal_fail(failure, SHOAL_ACTION_ERROR, "actions: tensor of %s %s needs %zu bytes of data, it has %zu",
                          shoal_wire_dtype_name(tensor->dtype, name, sizeof name), shape, count * element,
                          tensor->data.len);
    }
    const unsigned char *data = tensor->data.data;
    unsigned char *target = out;
    if (actions->kind != SHOAL_ACTION_BOX) {
        for (size_t env = 0; env < actions->num_envs; env++) {
            for (size_t j = 0; j < actions->per_env; j++) {
                int64_t index;
                memcpy(&index, data + (env * actions->per_env + j) * element, sizeof index);
                if (index < 0 || index >= actions->nvec[j]) {
                    char values[96];
                    size_t used = shoal_format(values, sizeof values, "[");
                    for (size_t k = 0; k < actions->per_env && k < 8; k++) {
                        int64_t value;
                        memcpy(&value, data + (env * actions->per_env + k) * element, sizeof value);
                        used += shoal_format(values + used, sizeof values - used, "%s%lld", k ? ", " : "",
                                             (long long)value);
                    }
                    shoal_format(values + used, sizeof values - used, actions->per_env > 8 ? ", ...]" : "]");
                    return shoal_fail(failure, SHOAL_ACTION_ERROR, "action %s of environment %zu is outside %s "
                                      "(indices count from 0 to n - 1)", values, env, actions->space);
                }
                int64_t chosen = index + actions->start;
                memcpy(target + (env * actions->per_env + j) * sizeof chosen, &chosen, sizeof chosen);
            }
        }
        return 0;
    }
    size_t size = shoal_dtype_size(actions->box_dtype);
    for (size_t env = 0; env < actions->num_envs; env++) {
        for (size_t j = 0; j < actions->per_env; j++) {
            float wire;
            memcpy(&wire, data + (env * actions->per_env + j) * element, sizeof wire);
            if (isnan(wire)) return shoal_fail(failure, SHOAL_ACTION_ERROR, "action of environment %zu holds NaN", env);
            double value = wire;
            if (value < actions->low[j]) value = actions->low[j];
            if (value > actions->high[j]) value = actions->high[j];
            store(actions->box_dtype, target + (env * actions->per_env + j) * size, value);
        }
    }
    return 0;
}
