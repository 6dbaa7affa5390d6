"""The Kubernetes manifests (deploy/kubernetes/), checked offline: each overlay
rendered as kustomize would for the features it uses, every object valid
against the Kubernetes schemas (kubernetes-validate ships them), and the rules
the platform relies on (probes, limits, one beat, migrations as a Job, a
worker per queue, no secret in the repository)."""

import copy
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
VERSIONS = ["1.30.0", "1.37.0"]  # the oldest supported and the newest release
# What the renderer below understands; anything else must be added to it.
KNOWN = {"apiVersion", "kind", "resources", "images", "replicas", "patches", "namespace", "labels"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "ClusterIssuer"}


def _documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def _merge(base, patch):
    """A strategic merge for what the overlays patch: maps merged key by key,
    lists replaced whole (the Ingress' rules and tls)."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(patch)


def _containers(doc):
    spec = doc.get("spec", {})
    template = spec.get("template") or spec.get("jobTemplate", {}).get("spec", {}).get("template")
    return (template or {}).get("spec", {}).get("containers", [])


def render(directory: Path) -> list[dict]:
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    assert set(kustomization) <= KNOWN, set(kustomization) - KNOWN
    docs = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        docs += render(path) if path.is_dir() else _documents(path)
    for patch in kustomization.get("patches", []):
        for change in _documents(directory / patch["path"]):
            [index] = [
                i
                for i, doc in enumerate(docs)
                if (doc["kind"], doc["metadata"]["name"])
                == (change["kind"], change["metadata"]["name"])
            ]
            docs[index] = _merge(docs[index], change)
    for image in kustomization.get("images", []):
        for doc in docs:
            for container in _containers(doc):
                if container["image"].split(":")[0] == image["name"]:
                    container["image"] = f"{image['newName']}:{image['newTag']}"
    for replicas in kustomization.get("replicas", []):
        [doc] = [
            d
            for d in docs
            if d["metadata"]["name"] == replicas["name"]
            and d["kind"] in ("Deployment", "StatefulSet", "ReplicaSet")
        ]
        doc["spec"]["replicas"] = replicas["count"]
    for label in kustomization.get("labels", []):
        for doc in docs:
            doc["metadata"].setdefault("labels", {}).update(label["pairs"])
    if "namespace" in kustomization:
        for doc in docs:
            if doc["kind"] not in CLUSTER_SCOPED:
                doc["metadata"]["namespace"] = kustomization["namespace"]
    return docs


OVERLAYS = sorted(p for p in (ROOT / "overlays").iterdir() if p.is_dir())


@pytest.fixture(params=[ROOT / "base", *OVERLAYS], ids=lambda p: p.name)
def rendered(request):
    return render(request.param)


def by_kind(docs, kind):
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_object_is_valid_against_the_schemas(rendered, version):
    for doc in rendered:
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_validator_sees_a_broken_object():
    web = by_kind(render(ROOT / "base"), "Deployment")["ruche-web"]
    web["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, VERSIONS[-1], strict=True)


def test_every_container_has_requests_limits_and_runs_unprivileged(rendered):
    for doc in rendered:
        for container in _containers(doc):
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), doc["metadata"]["name"]
            assert {"cpu", "memory"} <= set(resources["limits"]), doc["metadata"]["name"]
            assert container["securityContext"]["allowPrivilegeEscalation"] is False
            pod = doc["spec"]["template"]["spec"]
            assert pod["securityContext"]["runAsNonRoot"] is True


def test_web_is_probed_scaled_and_kept_through_disruptions(rendered):
    web = by_kind(rendered, "Deployment")["ruche-web"]
    [container] = _containers(web)
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert "migrate" not in " ".join(container["command"])  # the Job migrates
    hpa = by_kind(rendered, "HorizontalPodAutoscaler")["ruche-web"]
    assert hpa["spec"]["scaleTargetRef"]["name"] == "ruche-web"
    pdb = by_kind(rendered, "PodDisruptionBudget")["ruche-web"]
    assert pdb["spec"]["selector"] == web["spec"]["selector"]


def test_migrations_run_once_as_a_job(rendered):
    job = by_kind(rendered, "Job")["ruche-migrate"]
    assert _containers(job)[0]["command"][-2:] == ["migrate", "--noinput"]


def test_one_worker_per_queue_and_exactly_one_beat(rendered):
    deployments = by_kind(rendered, "Deployment")
    for queue in settings.CELERY_TASK_QUEUES:
        worker = deployments[f"ruche-worker-{queue.name}"]
        assert f"--queues={queue.name}" in _containers(worker)[0]["command"]
        assert f"ruche-worker-{queue.name}" in by_kind(rendered, "HorizontalPodAutoscaler")
    beat = deployments["ruche-beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"
    assert "ruche-beat" not in by_kind(rendered, "HorizontalPodAutoscaler")


def test_secrets_come_from_a_secret_never_from_the_repository(rendered):
    assert not by_kind(rendered, "Secret")
    config = by_kind(rendered, "ConfigMap")["ruche-config"]["data"]
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "EMAIL_URL", "METRICS_TOKEN"):
        assert name not in config
    for doc in rendered:
        for container in _containers(doc):
            sources = container["envFrom"]
            assert {"secretRef": {"name": "ruche-secrets"}} in sources
            assert "env" not in container


def test_the_overlay_changes_what_it_says():
    [production] = [p for p in OVERLAYS if p.name == "production"]
    docs = render(production)
    assert {doc["metadata"]["namespace"] for doc in docs} == {"ruche"}
    web = by_kind(docs, "Deployment")["ruche-web"]
    assert web["spec"]["replicas"] == 3
    assert _containers(web)[0]["image"] == "ghcr.io/example/ruche:2026.12.1"
    config = by_kind(docs, "ConfigMap")["ruche-config"]["data"]
    assert config["PLATFORM_DOMAIN"] == "ideas.example.com"
    assert config["LOG_FORMAT"] == "json"  # kept from the base
    hosts = [rule["host"] for rule in by_kind(docs, "Ingress")["ruche"]["spec"]["rules"]]
    assert hosts == ["ideas.example.com", "*.ideas.example.com"]
