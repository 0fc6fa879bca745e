"""A scikit-learn script that logs params, tags and metrics one request at a time."""
import mlflow
from mlflow.tracking import MlflowClient
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score


def main(X_train, X_test, y_train, y_test, max_depth=6, n_estimators=100):
    client = MlflowClient()
    with mlflow.start_run() as run:
        mlflow.set_tag("mlflow_version", mlflow.__version__)
        mlflow.set_tag("estimator", "RandomForestRegressor")
        mlflow.set_tag("dataset", "wine-quality")

        mlflow.log_param("max_depth", max_depth)
        mlflow.log_param("n_estimators", n_estimators)

        model = RandomForestRegressor(max_depth=max_depth, n_estimators=n_estimators)
        model.fit(X_train, y_train)
        pred = model.predict(X_test)

        mlflow.log_metric("rmse", mean_squared_error(y_test, pred) ** 0.5)
        mlflow.log_metric("mae", mean_absolute_error(y_test, pred))
        mlflow.log_metric("r2", r2_score(y_test, pred))

        # Re-logging a param with another value raises MlflowException at run time.
        tuned_depth = max(model.estimators_[0].get_depth(), 1)
        mlflow.log_param("max_depth", tuned_depth)

    client.set_tag(run.info.run_id, "reviewed", "false")
    client.set_tag(run.info.run_id, "stage", "candidate")
