"""konfig validate side by side with check-jsonschema on many Helm-values-like files.

Generates ``--files`` YAML files of about 200 lines each (a realistic values.yaml: image,
service, ingress with hosts, resources, probes, env, a list of config entries) and a JSON
Schema for them in the style of a chart's ``values.schema.json`` (types, enums, ranges,
``additionalProperties: false``, ``format: hostname``); about 1 file in 8 is made invalid in one
of several ways. Then, in the same run, alternating, ``--repeat`` times each:

- ``konfig validate FILES... --schema values.schema.json --json`` (one process);
- ``check-jsonschema --schemafile values.schema.json FILES... -o json`` (one process).

Both are timed as a user runs them (a child process each, start-up included); the median wall
time is reported, with the ratio. The verdicts are compared file by file (a file is invalid
when the tool reports an error for it) and the script fails if they differ.

The files are written with ``yaml.safe_dump``, which quotes every string that YAML 1.1 would
read as another type: check-jsonschema reads YAML 1.2 (ruamel.yaml), konfig reads YAML 1.1 as
Helm does, and on such files the two agree (on ``enabled: no`` they would not, by design).

    python benchmarks/konfig_vs_check_jsonschema.py                 # 1,000 files, 3 runs
    python benchmarks/konfig_vs_check_jsonschema.py --files 200 --repeat 5 --keep /tmp/vals
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["replicaCount", "image", "service"],
    "$defs": {
        "resources": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "cpu": {"type": "string", "pattern": "^[0-9]+m?$"},
                "memory": {"type": "string", "pattern": "^[0-9]+(Mi|Gi)$"},
            },
        },
        "probe": {
            "type": "object",
            "properties": {
                "path": {"type": "string"},
                "port": {"type": "integer", "minimum": 1, "maximum": 65535},
                "initialDelaySeconds": {"type": "integer", "minimum": 0},
                "periodSeconds": {"type": "integer", "minimum": 1},
            },
            "required": ["path", "port"],
        },
    },
    "properties": {
        "replicaCount": {"type": "integer", "minimum": 0},
        "nameOverride": {"type": "string"},
        "image": {
            "type": "object",
            "additionalProperties": False,
            "required": ["repository", "tag"],
            "properties": {
                "repository": {"type": "string", "minLength": 1},
                "tag": {"type": "string"},
                "pullPolicy": {"enum": ["Always", "IfNotPresent", "Never"]},
            },
        },
        "service": {
            "type": "object",
            "required": ["type", "port"],
            "properties": {
                "type": {"enum": ["ClusterIP", "NodePort", "LoadBalancer"]},
                "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            },
        },
        "ingress": {
            "type": "object",
            "properties": {
                "enabled": {"type": "boolean"},
                "className": {"type": "string"},
                "hosts": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["host"],
                        "properties": {
                            "host": {"type": "string", "format": "hostname"},
                            "paths": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "path": {"type": "string", "pattern": "^/"},
                                        "pathType": {"enum": ["Prefix", "Exact"]},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "resources": {
            "type": "object",
            "properties": {
                "limits": {"$ref": "#/$defs/resources"},
                "requests": {"$ref": "#/$defs/resources"},
            },
        },
        "livenessProbe": {"$ref": "#/$defs/probe"},
        "readinessProbe": {"$ref": "#/$defs/probe"},
        "podAnnotations": {"type": "object", "additionalProperties": {"type": "string"}},
        "env": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "value": {"type": "string"}},
            },
        },
        "config": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "value"],
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z][a-z0-9_.]*$"},
                    "value": {"type": ["string", "integer", "boolean"]},
                    "secret": {"type": "boolean"},
                },
            },
        },
    },
}


def _values(rng: random.Random, index: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "replicaCount": rng.randint(1, 5),
        "nameOverride": f"app-{index}",
        "image": {
            "repository": f"registry.example.com/team/app{index % 17}",
            "tag": f"1.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
            "pullPolicy": rng.choice(["Always", "IfNotPresent"]),
        },
        "service": {"type": rng.choice(["ClusterIP", "NodePort"]), "port": 8080},
        "ingress": {
            "enabled": True,
            "className": "nginx",
            "hosts": [
                {
                    "host": f"app{index}-{h}.example.com",
                    "paths": [
                        {"path": "/", "pathType": "Prefix"},
                        {"path": "/api", "pathType": "Exact"},
                    ],
                }
                for h in range(3)
            ],
        },
        "resources": {
            "limits": {"cpu": "500m", "memory": "512Mi"},
            "requests": {"cpu": "100m", "memory": "128Mi"},
        },
        "livenessProbe": {"path": "/healthz", "port": 8080, "initialDelaySeconds": 10},
        "readinessProbe": {"path": "/ready", "port": 8080, "periodSeconds": 5},
        "podAnnotations": {f"example.com/note{i}": f"value {i}" for i in range(5)},
        "env": [{"name": f"VAR_{i}", "value": f"v{i}"} for i in range(12)],
        "config": [
            {"key": f"app.setting_{i}", "value": rng.choice([f"s{i}", i, True]), "secret": False}
            for i in range(40)
        ],
    }
    return values


BREAKAGES = (
    ("replicaCount as a string", lambda v: v.update(replicaCount=str(v["replicaCount"]))),
    ("unknown key", lambda v: v["image"].update(tagg="latest")),
    ("bad enum", lambda v: v["service"].update(type="Ingress")),
    ("port out of range", lambda v: v["service"].update(port=70000)),
    ("missing required", lambda v: v["image"].pop("tag")),
    ("bad pattern", lambda v: v["config"][3].update(key="Bad Key")),
    ("bad hostname", lambda v: v["ingress"]["hosts"][1].update(host="-bad_host-.example.com")),
)


def generate(directory: Path, count: int, seed: int) -> tuple[Path, list[Path], dict[str, bool]]:
    """Write the schema and ``count`` files; return them with each file's intended verdict."""
    rng = random.Random(seed)
    schema = directory / "values.schema.json"
    schema.write_text(json.dumps(SCHEMA, indent=2), encoding="utf-8")
    files, intended = [], {}
    for index in range(count):
        values = _values(rng, index)
        broken = rng.random() < 1 / 8
        if broken:
            rng.choice(BREAKAGES)[1](values)
        path = directory / f"values-{index:04d}.yaml"
        path.write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
        files.append(path)
        intended[str(path)] = not broken
    return schema, files, intended


def _konfig(schema: Path, files: list[Path]) -> tuple[float, dict[str, bool]]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    cmd = [sys.executable, "-m", "konfig", "validate", *map(str, files), "--schema", str(schema)]
    start = time.perf_counter()
    done = subprocess.run([*cmd, "--json"], capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"konfig failed ({done.returncode}): {done.stderr[:2000]}")
    bad = {p["file"] for p in json.loads(done.stdout) if p["severity"] == "error"}
    return elapsed, {str(f): str(f) not in bad for f in files}


def _check_jsonschema(schema: Path, files: list[Path]) -> tuple[float, dict[str, bool]]:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    cmd = [exe, "--schemafile", str(schema), *map(str, files), "-o", "json"]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"check-jsonschema failed ({done.returncode}): {done.stderr[:2000]}")
    report = json.loads(done.stdout)
    bad = {e["filename"] for e in report["errors"]} | {
        e["filename"] for e in report.get("parse_errors", [])
    }
    return elapsed, {str(f): str(f) not in bad for f in files}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args(argv)
    directory = args.keep or Path(tempfile.mkdtemp(prefix="konfig-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        schema, files, intended = generate(directory, args.files, args.seed)
        lines = sum(f.read_text(encoding="utf-8").count("\n") for f in files)
        konfig_times, peer_times = [], []
        for _ in range(args.repeat):
            t, konfig_verdicts = _konfig(schema, files)
            konfig_times.append(t)
            t, peer_verdicts = _check_jsonschema(schema, files)
            peer_times.append(t)
        differ = [f for f in konfig_verdicts if konfig_verdicts[f] != peer_verdicts[f]]
        missed = [f for f in intended if intended[f] != konfig_verdicts[f]]
        k, c = statistics.median(konfig_times), statistics.median(peer_times)
        print(
            f"{len(files)} files, {lines / len(files):.0f} lines each on average, "
            f"{sum(not v for v in intended.values())} made invalid"
        )
        print(f"konfig validate        median {k:7.2f} s  ({len(files) / k:7.0f} files/s)")
        print(f"check-jsonschema       median {c:7.2f} s  ({len(files) / c:7.0f} files/s)")
        print(f"ratio                  konfig is {c / k:.2f}x faster")
        print(
            f"verdicts               {len(files) - len(differ)}/{len(files)} equal; "
            f"{len(intended) - len(missed)}/{len(files)} as intended"
        )
        if differ or missed:
            print("DIFFERENT:", *differ[:10], *missed[:10], file=sys.stderr)
            return 1
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
