#!/usr/bin/env bash
# `make k8s-check`: renders the dev and prod overlays with `kubectl kustomize`, validates every object strictly
# against the Kubernetes schemas offline (kubernetes-validate, from PyPI), then holds them to what the deployment
# promises (k8s/check.py: probes, limits, security, PDB, HPA, replicas and the NetworkPolicy graph against
# shared/runtime/src/auth/graph.rs). No cluster is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v kubectl >/dev/null; then
  # Debian's package on this machine kind; `kubectl kustomize` needs no cluster.
  apt-get install -y -q kubectl >/dev/null 2>&1 || apt-get install -y -q kubernetes-client >/dev/null
fi
venv="${XDG_CACHE_HOME:-$HOME/.cache}/aftersales-k8s"
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==1.37.*" pyyaml
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for overlay in dev prod; do
  kubectl kustomize "k8s/overlays/$overlay" > "$out/$overlay.yaml"
  "$venv/bin/kubernetes-validate" --strict --quiet "$out/$overlay.yaml"
done
"$venv/bin/python" k8s/check.py "$out/dev.yaml" "$out/prod.yaml"
