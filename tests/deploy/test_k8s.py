"""deploy/k8s/*.yaml, checked offline: every reference resolves, probes and scaling are set."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
SETTING_NAMES = {name.upper() for name in Settings.model_fields}
EXTRA_ENV = {"POD_NAME", "XDG_CACHE_HOME"}


def load() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                docs.append(doc | {"_file": path.name})
    return docs


DOCS = load()


def one(kind: str, name: str | None = None) -> dict[str, Any]:
    found = [
        d for d in DOCS if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)
    ]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def names(kind: str) -> set[str]:
    return {d["metadata"]["name"] for d in DOCS if d["kind"] == kind}


DEPLOYMENT = one("Deployment")
JOB = one("Job")
WORKLOADS = [DEPLOYMENT["spec"]["template"]["spec"], JOB["spec"]["template"]["spec"]]


def test_every_document_is_well_formed() -> None:
    for doc in DOCS:
        assert doc.get("apiVersion") and doc.get("kind") and doc["metadata"].get("name"), doc[
            "_file"
        ]


def test_the_expected_objects() -> None:
    kinds = {d["kind"] for d in DOCS}
    assert {
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "Job",
        "ConfigMap",
        "Secret",
        "PersistentVolumeClaim",
        "PodDisruptionBudget",
    } <= kinds


def test_the_bot_runs_at_least_two_replicas_with_probes() -> None:
    spec = DEPLOYMENT["spec"]
    assert spec["replicas"] >= 2
    [container] = spec["template"]["spec"]["containers"]
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] in port_names
    assert port_names["http"] == int(configmap()["PORT"])
    assert container["command"] == ["python", "-m", "bot", "serve"]


def test_selectors_match_the_pod_labels() -> None:
    labels = DEPLOYMENT["spec"]["template"]["metadata"]["labels"]
    assert DEPLOYMENT["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert one("Service")["spec"]["selector"].items() <= labels.items()
    assert one("PodDisruptionBudget")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    [container] = DEPLOYMENT["spec"]["template"]["spec"]["containers"]
    assert one("Service")["spec"]["ports"][0]["targetPort"] in {
        p["name"] for p in container["ports"]
    }


def test_the_autoscaler_targets_the_deployment() -> None:
    hpa = one("HorizontalPodAutoscaler")
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == (
        "Deployment",
        DEPLOYMENT["metadata"]["name"],
    )
    assert hpa["spec"]["minReplicas"] >= 2
    assert hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]


def test_the_ingest_job_loads_the_bundled_corpus() -> None:
    [container] = JOB["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["python", "-m", "ingestion", "data/corpus"]
    assert JOB["spec"]["template"]["spec"]["restartPolicy"] in ("OnFailure", "Never")


def configmap() -> dict[str, str]:
    return one("ConfigMap")["data"]


def secret_keys() -> set[str]:
    secret = one("Secret")
    listed = set(secret.get("stringData") or {}) | set(secret.get("data") or {})
    text = (K8S / secret["_file"]).read_text(encoding="utf-8")
    commented = set(re.findall(r"^\s*#\s*([A-Z][A-Z0-9_]+):", text, flags=re.MULTILINE))
    return listed | commented


def test_config_and_secret_keys_are_real_settings() -> None:
    assert set(configmap()) <= SETTING_NAMES, set(configmap()) - SETTING_NAMES
    assert secret_keys() <= SETTING_NAMES, secret_keys() - SETTING_NAMES
    assert "WEB_API_TOKEN" in secret_keys()
    assert all(isinstance(v, str) for v in configmap().values())


def test_the_configmap_passes_the_settings_validation() -> None:
    values = {k.lower(): v for k, v in configmap().items()}
    Settings(_env_file=None, web_api_token="x" * 32, **values)  # type: ignore[arg-type]


def test_secrets_stay_out_of_the_configmap() -> None:
    secret_fields = {
        name.upper()
        for name, field in Settings.model_fields.items()
        if "SecretStr" in str(field.annotation)
    }
    assert not secret_fields & set(configmap())


@pytest.mark.parametrize("pod", WORKLOADS, ids=["bot", "ingest"])
def test_pods_reference_only_defined_objects(pod: dict[str, Any]) -> None:
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for container in pod["containers"]:
        for source in container.get("envFrom", []):
            if "configMapRef" in source:
                assert source["configMapRef"]["name"] in names("ConfigMap")
            if "secretRef" in source:
                assert source["secretRef"]["name"] in names("Secret")
        defined: set[str] = set(configmap()) | secret_keys()
        for env in container.get("env", []):
            assert env["name"] in SETTING_NAMES | EXTRA_ENV, env["name"]
            for ref in re.findall(r"\$\(([A-Z0-9_]+)\)", env.get("value", "")):
                assert ref in defined, f"{env['name']} uses $({ref}) before it is defined"
            defined.add(env["name"])
        for mount in container.get("volumeMounts", []):
            assert mount["name"] in volumes, mount["name"]
        assert (
            container["image"] == DEPLOYMENT["spec"]["template"]["spec"]["containers"][0]["image"]
        )
    for volume in volumes.values():
        if "persistentVolumeClaim" in volume:
            assert volume["persistentVolumeClaim"]["claimName"] in names("PersistentVolumeClaim")


@pytest.mark.parametrize("pod", WORKLOADS, ids=["bot", "ingest"])
def test_pods_run_as_the_images_non_root_user(pod: dict[str, Any]) -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    [uid] = re.findall(r"^USER (\d+)", dockerfile, flags=re.MULTILINE)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert str(pod["securityContext"]["runAsUser"]) == uid
    for container in pod["containers"]:
        assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_each_replica_writes_its_own_audit_file_on_the_shared_volume() -> None:
    [container] = DEPLOYMENT["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert env["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    path = env["AUDIT_LOG_PATH"]["value"]
    assert "$(POD_NAME)" in path
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert str(Path(path).parent) in mounts
    assert "ReadWriteMany" in one("PersistentVolumeClaim")["spec"]["accessModes"]


def test_same_image_as_compose() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert (
        compose["services"]["bot"]["image"]
        == DEPLOYMENT["spec"]["template"]["spec"]["containers"][0]["image"]
    )
