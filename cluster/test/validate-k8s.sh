#!/usr/bin/env bash
# Validates cluster/k8s against the Kubernetes API schemas, offline: renders the kustomization (kubectl kustomize,
# else the kustomize binary) and runs kubernetes-validate (PyPI; ships the schemas) in strict mode on every object,
# pinned to one Kubernetes version. Without kubectl or kustomize it validates each manifest file listed in the
# kustomization directly and says so (the generated ConfigMaps are then not checked). Exit 0 when all are valid.
set -euo pipefail

KUBERNETES_VERSION=${KUBERNETES_VERSION:-1.32.0}
root=$(cd "$(dirname "$0")/../.." && pwd)
base="$root/cluster/k8s"
# Run as a module: pip --user puts the kubernetes-validate script in ~/.local/bin, often not on PATH.
python3 -m kubernetes_validate --version > /dev/null 2>&1 \
    || { echo "validate-k8s: python3 with kubernetes-validate not found (scripts/setup.sh installs it)" >&2; exit 3; }
work=$(mktemp -d "${TMPDIR:-/tmp}/shoal-validate-k8s.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Render a copy, with stand-in key files: the real keys (cluster/k8s/keys/, made by shoal keygen) are not in git,
# and their content does not matter to the schemas. The copy keeps configs/ beside it, where the base looks for its
# config (hence the load restrictor, see cluster/k8s/kustomization.yaml).
mkdir -p "$work/cluster" "$work/configs"
cp -r "$base" "$work/cluster/k8s"
cp "$root"/configs/*.yaml "$work/configs/"
for key in learner.key learner.pub actor.key actor.pub; do echo "stand-in $key" > "$work/cluster/k8s/keys/$key"; done
copy="$work/cluster/k8s"
renderer=()
if command -v kubectl > /dev/null && kubectl kustomize --load-restrictor LoadRestrictionsNone "$copy" \
        > "$work/rendered.yaml"; then
    renderer=(kubectl kustomize)
elif command -v kustomize > /dev/null && kustomize build --load-restrictor LoadRestrictionsNone "$copy" \
        > "$work/rendered.yaml"; then
    renderer=(kustomize build)
fi
if [ ${#renderer[@]} -gt 0 ]; then
    echo "validate-k8s: rendered with ${renderer[*]}"
    files=("$work/rendered.yaml")
else
    echo "validate-k8s: no kubectl or kustomize: validating the base's manifest files one by one," \
        "not the rendered kustomization (generated ConfigMaps and Secrets unchecked)"
    files=()
    while read -r file; do files+=("$base/$file"); done \
        < <(sed -n '/^resources:/,/^[a-zA-Z]/s/^  - \(.*\.yaml\)$/\1/p' "$base/kustomization.yaml")
    [ ${#files[@]} -gt 0 ] || { echo "validate-k8s: no resources found in kustomization.yaml" >&2; exit 1; }
fi

python3 -m kubernetes_validate --strict --kubernetes-version "$KUBERNETES_VERSION" "${files[@]}"

# What the schemas cannot say: the objects Shoal needs are there and agree with each other. (PyYAML comes with
# kubernetes-validate.)
python3 - "$base/kustomization.yaml" "${files[@]}" <<'CHECK'
import sys, yaml
kustomization = yaml.safe_load(open(sys.argv[1]))
objects = {(o["kind"], o["metadata"]["name"]): o
           for path in sys.argv[2:] for o in yaml.safe_load_all(open(path)) if o}
def need(condition, message):
    if not condition:
        sys.exit(f"validate-k8s: {message}")
for kind, name in [("Deployment", "shoal-learner"), ("StatefulSet", "shoal-actor"), ("Service", "shoal-learner")]:
    need((kind, name) in objects, f"no {kind} named {name}")
learner, actors = objects["Deployment", "shoal-learner"], objects["StatefulSet", "shoal-actor"]
service = objects["Service", "shoal-learner"]
need(learner["spec"]["replicas"] == 1 and learner["spec"]["strategy"]["type"] == "Recreate",
     "the learner must be one replica with the Recreate strategy")
need(sorted(p["port"] for p in service["spec"]["ports"]) == [5555, 5556], "the learner Service needs ports 5555, 5556")
need(all(service["spec"]["selector"].get(k) == v for k, v in learner["spec"]["template"]["metadata"]["labels"].items()
         if k in service["spec"]["selector"]), "the learner Service does not select the learner's pods")
actor_command = " ".join(actors["spec"]["template"]["spec"]["containers"][0]["args"])
for port in (5555, 5556):
    need(f"tcp://shoal-learner:{port}" in actor_command, f"actors do not dial the learner's Service on {port}")
# CURVE: each role's flags name files of its own Secret, and that Secret holds exactly those files.
generated = {g["name"]: sorted(f.split("/")[-1] for f in g["files"]) for g in kustomization.get("secretGenerator", [])}
roles = [(learner, "shoal-learner-keys", ["--curve-secret-key /keys/learner.key", "--curve-allow /keys/actor.pub"]),
         (actors, "shoal-actor-keys", ["--curve-secret-key /keys/actor.key", "--curve-server-key /keys/learner.pub"])]
for workload, secret, flags in roles:
    pod = workload["spec"]["template"]["spec"]
    command = " ".join(pod["containers"][0]["args"])
    for flag in flags:
        need(flag in command, f"{workload['metadata']['name']} does not pass {flag}")
    files = sorted(flag.split("/keys/")[1] for flag in flags)
    need(generated.get(secret) == files, f"the kustomization should generate Secret {secret} from keys/{files}")
    volumes = [v for v in pod["volumes"] if "secret" in v]
    # Rendered, kustomize appends the content hash to the generated Secret's name.
    need(len(volumes) == 1 and volumes[0]["secret"]["secretName"].startswith(secret),
         f"{workload['metadata']['name']} should mount only Secret {secret}")
    for container in pod["containers"]:
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        need(env.get("OPENBLAS_NUM_THREADS") == "1", f"{container['name']}: OPENBLAS_NUM_THREADS is not 1")
        limits = container["resources"]["limits"]
        need(str(limits["cpu"]) == "1", f"{container['name']}: CPU limit is not 1")
        keys = [m for m in container["volumeMounts"] if m["mountPath"] == "/keys"]
        need(keys and keys[0].get("readOnly"), f"{container['name']}: CURVE keys not mounted read-only at /keys")
CHECK

# The served-env component, applied to the actors' StatefulSet (by an overlay rendered with kustomize, else as its
# strategic merge would: containers and env entries merged by name), must still be valid, and the actor must step
# exactly the servers its pod runs.
if [ ${#renderer[@]} -gt 0 ]; then
    mkdir "$work/overlay"
    printf 'resources: [../cluster/k8s]\ncomponents: [../cluster/k8s/served-env]\n' > "$work/overlay/kustomization.yaml"
    "${renderer[@]}" --load-restrictor LoadRestrictionsNone "$work/overlay" > "$work/overlay.yaml"
    python3 - "$work/overlay.yaml" > "$work/served-env.yaml" <<'PICK'
import sys, yaml
yaml.safe_dump(next(o for o in yaml.safe_load_all(open(sys.argv[1])) if o and o["kind"] == "StatefulSet"), sys.stdout)
PICK
else
    python3 - "$base/served-env/actors-env-servers.yaml" "${files[@]}" > "$work/served-env.yaml" <<'MERGE'
import sys, yaml
patch = yaml.safe_load(open(sys.argv[1]))
actors = next(o for path in sys.argv[2:] for o in yaml.safe_load_all(open(path))
              if o and o["kind"] == "StatefulSet" and o["metadata"]["name"] == "shoal-actor")
def merge(base, change):
    if isinstance(base, dict) and isinstance(change, dict):
        return {**base, **{k: merge(base[k], v) if k in base else v for k, v in change.items()}}
    if isinstance(base, list) and isinstance(change, list) and all("name" in x for x in base + change):
        named = {x["name"]: x for x in base}
        merged = [merge(x, next((c for c in change if c["name"] == x["name"]), {})) for x in base]
        return merged + [c for c in change if c["name"] not in named]
    return change
yaml.safe_dump(merge(actors, patch), sys.stdout)
MERGE
fi
python3 -m kubernetes_validate --strict --kubernetes-version "$KUBERNETES_VERSION" "$work/served-env.yaml"
python3 - "$work/served-env.yaml" <<'CHECK'
import sys, yaml
pod = yaml.safe_load(open(sys.argv[1]))["spec"]["template"]["spec"]
containers = {c["name"]: c for c in pod["containers"]}
def need(condition, message):
    if not condition:
        sys.exit(f"validate-k8s: served-env: {message}")
actor = containers["actor"]
need("--env-servers" in " ".join(actor["args"]), "the actor's command does not pass SHOAL_ENV_SERVERS on")
stepped = next(e["value"] for e in actor["env"] if e["name"] == "SHOAL_ENV_SERVERS").split(",")
servers = [c for name, c in containers.items() if name.startswith("env-server-")]
need(sorted(stepped) == sorted(c["command"][2] for c in servers),
     f"the actor steps {stepped}, the pod's servers listen at {[c['command'][2] for c in servers]}")
for server in servers:
    need(server["command"][:2] == ["shoal", "env-server"] and "/etc/shoal/config.yaml" in server["command"],
         f"{server['name']} does not run shoal env-server on the run's config")
    need(all(e.startswith("tcp://127.0.0.1:") for e in [server["command"][2]]), f"{server['name']} not on loopback")
    need({"name": "OPENBLAS_NUM_THREADS", "value": "1"} in server["env"], f"{server['name']}: OPENBLAS_NUM_THREADS")
    need(str(server["resources"]["limits"]["cpu"]) == "1", f"{server['name']}: CPU limit is not 1")
    need(all(m.get("readOnly") for m in server["volumeMounts"]), f"{server['name']}: mounts must be read-only")
CHECK
echo "validate-k8s: all manifests valid for Kubernetes $KUBERNETES_VERSION (and with the served-env component)"
