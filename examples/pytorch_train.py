"""A PyTorch training script with the logging habits that flood a tracking server."""
import argparse
import os

import mlflow
import torch
from torch import nn
from torch.utils.data import DataLoader


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=64)
    return p.parse_args()


def log_scalar(name, value, step):
    mlflow.log_metric(name, value, step=step)


def train(model, train_loader, optimizer, epoch, args):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()
        step = epoch * len(train_loader) + batch_idx
        # One request per batch, for every batch of every epoch.
        mlflow.log_metric("train_loss", loss.item(), step=step)
        log_scalar("lr", optimizer.param_groups[0]["lr"], step)


def main():
    args = parse_args()
    model = nn.Linear(28 * 28, 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    train_loader = DataLoader(load_dataset(), batch_size=args.batch_size)
    with mlflow.start_run():
        for key, value in vars(args).items():
            mlflow.log_param(key, value)
        for epoch in range(args.epochs):
            mlflow.set_tag("framework", "pytorch")
            train(model, train_loader, optimizer, epoch, args)
            torch.save(model.state_dict(), f"checkpoints/epoch_{epoch}.pt")
        for fname in os.listdir("checkpoints"):
            mlflow.log_artifact(os.path.join("checkpoints", fname), "checkpoints")


if __name__ == "__main__":
    main()
