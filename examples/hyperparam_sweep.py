"""A sweep where every trial is its own nested run: logging per iteration is per run here."""
import mlflow


def objective(params, train_fn):
    with mlflow.start_run(nested=True):
        mlflow.log_params(params)
        score = train_fn(**params)
        mlflow.log_metric("score", score)
        return score


def sweep(grid, train_fn):
    with mlflow.start_run(run_name="sweep"):
        best = None
        for params in grid:
            score = objective(params, train_fn)
            best = score if best is None or score > best else best
        mlflow.log_metric("best_score", best)
