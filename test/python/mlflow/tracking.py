from mlflow import MlflowClient  # noqa: F401
