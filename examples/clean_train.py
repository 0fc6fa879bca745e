"""The same training loop, logging the way a shared tracking server likes it."""
import mlflow

LOG_EVERY = 100


def train(model, train_loader, optimizer, args):
    mlflow.log_params(vars(args))
    mlflow.set_tags({"framework": "pytorch", "dataset": "mnist"})
    global_step = 0
    for epoch in range(args.epochs):
        for data, target in train_loader:
            loss = model.training_step(data, target)
            optimizer.step()
            if global_step % LOG_EVERY == 0:
                mlflow.log_metrics({"train_loss": loss, "lr": optimizer.lr}, step=global_step)
            global_step += 1
        mlflow.log_metrics(model.evaluate(), step=epoch)
    model.save("checkpoints")
    mlflow.log_artifacts("checkpoints", artifact_path="checkpoints")
