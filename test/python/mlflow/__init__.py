"""A recording stand-in for the mlflow module, for the fix semantics tests.

It records every metric, param, tag and artifact it receives and how many requests it took,
and writes them as JSON to $MLFLINT_RECORD when the process exits. Like MLflow, it raises when
a param is logged again with a different value.
"""
import atexit
import json
import os

_record = {"requests": 0, "metrics": [], "params": {}, "tags": {}, "artifacts": []}


class MlflowException(Exception):
    pass


def _request():
    _record["requests"] += 1


def _metric(key, value, step):
    _record["metrics"].append([key, float(value), int(step or 0)])


def _param(key, value):
    value = str(value)
    if key in _record["params"] and _record["params"][key] != value:
        raise MlflowException("INVALID_PARAMETER_VALUE: Changing param values is not allowed")
    _record["params"][key] = value


def _artifact(path, artifact_path):
    _record["artifacts"].append([artifact_path or "", os.path.basename(path)])


def log_metric(key, value, step=None, synchronous=None, timestamp=None, run_id=None):
    _request()
    _metric(key, value, step)


def log_metrics(metrics, step=None, synchronous=None, run_id=None, timestamp=None):
    _request()
    for k, v in metrics.items():
        _metric(k, v, step)


def log_param(key, value, synchronous=None):
    _request()
    _param(key, value)


def log_params(params, synchronous=None, run_id=None):
    _request()
    for k, v in params.items():
        _param(k, v)


def set_tag(key, value, synchronous=None):
    _request()
    _record["tags"][key] = str(value)


def set_tags(tags, synchronous=None):
    _request()
    for k, v in tags.items():
        _record["tags"][k] = str(v)


def log_artifact(local_path, artifact_path=None, run_id=None):
    _request()
    with open(local_path, "rb"):
        pass
    _artifact(local_path, artifact_path)


def log_artifacts(local_dir, artifact_path=None, run_id=None):
    _request()
    for name in sorted(os.listdir(local_dir)):
        _artifact(os.path.join(local_dir, name), artifact_path)


class _Run:
    def __init__(self):
        self.info = type("Info", (), {"run_id": "run-1"})()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def start_run(*args, **kwargs):
    return _Run()


def end_run(*args, **kwargs):
    pass


class MlflowClient:
    def __init__(self, *args, **kwargs):
        pass

    def log_metric(self, run_id, key, value, timestamp=None, step=None, synchronous=None):
        _request()
        _metric(key, value, step)

    def log_param(self, run_id, key, value, synchronous=None):
        _request()
        _param(key, value)

    def set_tag(self, run_id, key, value, synchronous=None):
        _request()
        _record["tags"][key] = str(value)

    def log_batch(self, run_id, metrics=(), params=(), tags=(), synchronous=None):
        _request()
        for m in metrics:
            _metric(m.key, m.value, m.step)
        for p in params:
            _param(p.key, p.value)
        for t in tags:
            _record["tags"][t.key] = str(t.value)

    def log_artifact(self, run_id, local_path, artifact_path=None):
        log_artifact(local_path, artifact_path)

    def log_artifacts(self, run_id, local_dir, artifact_path=None):
        log_artifacts(local_dir, artifact_path)


@atexit.register
def _dump():
    path = os.environ.get("MLFLINT_RECORD")
    if path:
        with open(path, "w") as f:
            json.dump(_record, f)

from . import entities, tracking  # noqa: E402,F401
