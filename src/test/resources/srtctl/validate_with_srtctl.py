"""Loads sweepd's srt-slurm job files with srtctl's own code; one JSON line per job directory on stdout.

Usage: python validate_with_srtctl.py JOB_DIR...   (each holding recipe.yaml and srtslurm.yaml)

For each directory: srtslurm.yaml through ClusterConfig's schema (strictly: srtctl's own loader only warns and
drops a bad file), the recipe through srtctl.core.config.load_config with SRTSLURM_CONFIG pointing at it (alias
resolution, SrtConfig schema and its __post_init__ checks), validate_topology on the resources block, and the
benchmark runner's validate_config. Reports the errors and what srtctl made of the resources and aliases.
"""
import json
import logging
import os
import sys
from pathlib import Path

import yaml

logging.disable(logging.CRITICAL)

from srtctl.benchmarks import get_runner  # noqa: E402
from srtctl.core.config import load_config  # noqa: E402
from srtctl.core.schema import ClusterConfig  # noqa: E402
from srtctl.core.validation import validate_topology  # noqa: E402


def check(job_dir: Path) -> dict:
    errors = []
    out = {"dir": str(job_dir), "errors": errors}
    cluster_path = job_dir / "srtslurm.yaml"
    try:
        ClusterConfig.Schema().load(yaml.safe_load(cluster_path.read_text()))
    except Exception as e:  # noqa: BLE001
        errors.append(f"srtslurm.yaml: {e}")
    os.environ["SRTSLURM_CONFIG"] = str(cluster_path)
    raw = yaml.safe_load((job_dir / "recipe.yaml").read_text())
    for issue in validate_topology(raw.get("resources")):
        errors.append(f"topology: {issue.message}")
    try:
        config = load_config(job_dir / "recipe.yaml")
    except Exception as e:  # noqa: BLE001
        errors.append(f"load_config: {e}")
        return out
    errors.extend(f"benchmark: {e}" for e in get_runner(config.benchmark.type).validate_config(config))
    r = config.resources
    out.update(
        total_nodes=r.total_nodes,
        prefill_gpus=r.prefill_gpus,
        decode_gpus=r.decode_gpus,
        agg_gpus=r.num_agg * r.gpus_per_agg,
        model_path=config.model.path,
        container=config.model.container,
        concurrencies=config.benchmark.get_concurrency_list(),
    )
    return out


for arg in sys.argv[1:]:
    print(json.dumps(check(Path(arg))), flush=True)
