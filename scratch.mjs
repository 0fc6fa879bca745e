import Parser from 'tree-sitter';
import Python from 'tree-sitter-python';
const p = new Parser(); p.setLanguage(Python);
const src = `
@dec(x)
def f(a, b: int, c=1, *args, d: "MlflowClient" = None, **kw) -> X:
    """doc"""
    for i, (x, y) in enumerate(loader):
        if not i % 10: continue
        mlflow.log_metric("a", x, step=i)
    ys = [mlflow.log_param(k, v) for k, v in d.items() if k]
    with mlflow.start_run() as r, open(x):
        pass
    try:
        a += 1
    except E as e:
        pass
    finally:
        pass
    while x < 3:
        x = 1 if a else 2
    from mlflow import log_metric as lm, MlflowClient
    import mlflow.tracking as t, os
    f(x for x in y)
    x: MlflowClient = MlflowClient()
    if a:
        pass
    elif b:
        pass
    else:
        pass
    print(f"a{b}")
    self.x.y = 3
`;
const t = p.parse(src);
console.log(t.rootNode.toString());
