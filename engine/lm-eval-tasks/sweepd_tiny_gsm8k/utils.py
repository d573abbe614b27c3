"""Dataset loader for sweepd's shipped lm-eval tasks: local JSON lines files named relative to this folder."""
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_local_json(data_files=None, **_ignored):
    """datasets.load_dataset("json", ...) with each data file resolved against this task's folder.

    lm-eval passes the task's dataset_kwargs (and metadata) as keyword arguments; only data_files is used.
    """
    import datasets

    if not data_files:
        raise ValueError("sweepd lm-eval task: dataset_kwargs.data_files is required")
    resolved = {split: str((HERE / name).resolve()) for split, name in data_files.items()}
    for path in resolved.values():
        if not Path(path).is_file():
            raise FileNotFoundError(path)
    return datasets.load_dataset("json", data_files=resolved)
