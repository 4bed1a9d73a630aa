"""The rendered overlays against what the deployment promises (`make k8s-check`; run by scripts/k8s-check.sh with
the rendered YAML of each overlay as arguments: `check.py dev.yaml prod.yaml`).

Every Deployment: native gRPC readiness and liveness probes naming a service, on its container port; requests and
limits; non-root, read-only root filesystem, no privilege escalation, every capability dropped; a writable data
directory mounted; a termination grace longer than the drain plus the grace for calls in flight; a
PodDisruptionBudget and a HorizontalPodAutoscaler of its own; no Secret with values in the repository's output
except the dev overlay's database URLs (which name no password). The NetworkPolicies allow exactly the feed graph
of ARCHITECTURE.md — read from shared/runtime/src/auth/graph.rs, the same list the services enforce on tokens —
plus client ingress, PostgreSQL, the collector and DNS. In prod: several replicas, escalation at least two (and its
autoscaler never below), the system clock.
"""

import base64
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SERVICES = ["reception", "workshop", "parts", "escalation", "supplier"]


def graph():
    """(follower → producers) from the FOLLOWS constant of graph.rs."""
    source = (ROOT / "shared/runtime/src/auth/graph.rs").read_text()
    body = source[source.index("pub const FOLLOWS"):]
    body = body[: body.index("];")]
    follows = {}
    for follower, producers in re.findall(r'\("(\w+)",\s*&\[([^\]]*)\]\)', body):
        follows[follower] = sorted(re.findall(r'"(\w+)"', producers))
    assert sorted(follows) == sorted(SERVICES), f"graph.rs names {sorted(follows)}"
    return follows


def by_kind(objects, kind):
    return {o["metadata"]["name"]: o for o in objects if o and o.get("kind") == kind}


def env_of(objects, deployment):
    """The environment a Deployment's container gets from its ConfigMaps."""
    config_maps = by_kind(objects, "ConfigMap")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    values = {}
    for source in container.get("envFrom", []):
        values.update(config_maps[source["configMapRef"]["name"]]["data"])
    return values


def selected(peer):
    """The service a NetworkPolicy peer selects by name, if it does."""
    labels = peer.get("podSelector", {}).get("matchLabels", {})
    return labels.get("app.kubernetes.io/name")


def check(overlay, objects, follows, failures):
    def fail(what):
        failures.append(f"{overlay}: {what}")

    deployments = by_kind(objects, "Deployment")
    pdbs = by_kind(objects, "PodDisruptionBudget")
    hpas = by_kind(objects, "HorizontalPodAutoscaler")
    policies = by_kind(objects, "NetworkPolicy")
    ports = {}
    for name in SERVICES:
        deployment = deployments.get(name)
        if deployment is None:
            fail(f"no Deployment {name}")
            continue
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        port = container["ports"][0]["containerPort"]
        ports[name] = port
        for probe in ("readinessProbe", "livenessProbe"):
            grpc = container.get(probe, {}).get("grpc")
            if not grpc or grpc.get("port") != port or not grpc.get("service", "").startswith(f"aftersales.{name}."):
                fail(f"{name}: {probe} is not a native gRPC probe naming one of its services on port {port}")
        resources = container.get("resources", {})
        for side in ("requests", "limits"):
            if not {"cpu", "memory"} <= set(resources.get(side, {})):
                fail(f"{name}: {side} must set cpu and memory")
        security = container.get("securityContext", {})
        if not (pod.get("securityContext", {}).get("runAsNonRoot") and security.get("runAsNonRoot")):
            fail(f"{name}: must run as non-root")
        if not security.get("readOnlyRootFilesystem") or security.get("allowPrivilegeEscalation") is not False:
            fail(f"{name}: read-only root filesystem without privilege escalation")
        if security.get("capabilities", {}).get("drop") != ["ALL"]:
            fail(f"{name}: all capabilities dropped")
        data_dir = env_of(objects, deployment).get("AFTERSALES__DATA_DIR", "/var/lib/aftersales")
        if not any(m["mountPath"] == data_dir and not m.get("readOnly") for m in container.get("volumeMounts", [])):
            fail(f"{name}: the data directory {data_dir} is not mounted writable")
        env = env_of(objects, deployment)
        drain_s = (int(env.get("AFTERSALES__SERVER__DRAIN_MS", 0)) + int(env.get("AFTERSALES__SERVER__SHUTDOWN_GRACE_MS", 10000))) / 1000
        if pod.get("terminationGracePeriodSeconds", 30) <= drain_s:
            fail(f"{name}: termination grace {pod.get('terminationGracePeriodSeconds')} s is not longer than drain + grace {drain_s} s")
        if env.get("AFTERSALES__SERVICE__NAME") != name or int(env.get("AFTERSALES__SERVER__PORT", 0)) != port:
            fail(f"{name}: its ConfigMap names another service or port")
        if name not in pdbs or name not in hpas:
            fail(f"{name}: no PodDisruptionBudget or HorizontalPodAutoscaler")
        elif hpas[name]["spec"]["scaleTargetRef"]["name"] != name:
            fail(f"{name}: its autoscaler scales something else")
        if overlay == "prod":
            replicas = deployment["spec"].get("replicas", 1)
            minimum = hpas.get(name, {}).get("spec", {}).get("minReplicas", 1)
            if replicas < 2 or minimum < 2:
                fail(f"{name}: prod runs at least two replicas (has {replicas}, autoscaler minimum {minimum})")
            if env.get("AFTERSALES__CLOCK__MODE") != "system" or env.get("AFTERSALES_ENV") != "prod":
                fail(f"{name}: prod runs the system clock with AFTERSALES_ENV=prod")
            if env.get("AFTERSALES__AUTH__DEV_KEYS") != "false":
                fail(f"{name}: prod never generates dev keys")

    # The NetworkPolicies: exactly the feed graph between the services.
    allowed = set()
    for follower, producers in follows.items():
        for producer in producers:
            allowed.add((follower, producer))
    found = set()
    for name in SERVICES:
        policy = policies.get(name)
        if policy is None:
            fail(f"no NetworkPolicy {name}")
            continue
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                source = selected(peer)
                if source in SERVICES:
                    found.add((source, name))
                    if [p.get("port") for p in rule.get("ports", [])] != [ports[name]]:
                        fail(f"{name}: ingress from {source} on another port than {ports[name]}")
        for rule in policy["spec"].get("egress", []):
            for peer in rule.get("to", []):
                target = selected(peer)
                if target in SERVICES:
                    if (name, target) not in allowed:
                        fail(f"{name}: egress to {target}, which it does not follow")
                    if [p.get("port") for p in rule.get("ports", [])] != [ports[target]]:
                        fail(f"{name}: egress to {target} on another port")
    if found != allowed:
        fail(f"ingress between services {sorted(found - allowed)} beyond the graph, {sorted(allowed - found)} missing")
    deny = policies.get("aftersales-default-deny", {}).get("spec", {})
    if sorted(deny.get("policyTypes", [])) != ["Egress", "Ingress"] or deny.get("ingress") or deny.get("egress"):
        fail("no default-deny policy for ingress and egress")
    if "aftersales-dns" not in policies:
        fail("no DNS egress policy")

    for secret in by_kind(objects, "Secret").values():
        decoded = {k: base64.b64decode(v).decode() for k, v in secret.get("data", {}).items()}
        values = {**decoded, **secret.get("stringData", {})}
        if overlay != "dev" or secret["metadata"]["name"].split("-")[:2] != ["aftersales", "database"]:
            fail(f"secret {secret['metadata']['name']} carries values in the repository")
        elif any("@" in str(v) and ":" in str(v).split("@")[0].split("//")[-1] for v in values.values()):
            fail("a dev database URL carries a password")


def main():
    follows = graph()
    failures = []
    counts = {}
    for path in sys.argv[1:]:
        overlay = pathlib.Path(path).stem
        objects = [o for o in yaml.safe_load_all(pathlib.Path(path).read_text()) if o]
        counts[overlay] = {}
        for o in objects:
            counts[overlay][o["kind"]] = counts[overlay].get(o["kind"], 0) + 1
        check(overlay, objects, follows, failures)
    for overlay, kinds in counts.items():
        print(f"{overlay}: {sum(kinds.values())} objects — " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    if failures:
        print("\n".join(failures), file=sys.stderr)
        sys.exit(1)
    print("k8s: probes, limits, security, data directory, grace, PDB, HPA, replicas and the feed graph hold")


if __name__ == "__main__":
    main()
