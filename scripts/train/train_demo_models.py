"""Train one Causeway demo CNN on CIFAR-10 (JPEG train split) and export it to TF.js.

  /usr/bin/python3 scripts/train/train_demo_models.py --model vgg_bn --epochs 20 --threads 1

SGD (momentum 0.9, nesterov), weight decay 5e-4, batch 128, OneCycle LR, fixed seeds.
Augmentation: random crop (pad 4) + horizontal flip (vgg_bn, resnet); flip only (lenet5).
Evaluates on the 1,017 exact CIFAR-10 test records, saves .cache/models/<model>.pt and
.cache/models/<model>.train.json, then exports resources/models/<model>/ (export_tfjs.py).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import architectures as A  # noqa: E402
import cifar10_data as D  # noqa: E402

DEFAULT_LR = {"lenet5": 0.05, "vgg_bn": 0.1, "resnet": 0.1}


def to_tensor(x_uint8_nhwc):
    return torch.from_numpy(x_uint8_nhwc).permute(0, 3, 1, 2).float().div_(255.0).contiguous()


@torch.no_grad()
def evaluate(model, x, y, bs=256):
    model.eval()
    correct = 0
    for i in range(0, len(x), bs):
        correct += (model(to_tensor(x[i:i + bs])).argmax(1).numpy() == y[i:i + bs]).sum()
    return float(correct) / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, choices=list(A.MODELS))
    ap.add_argument("--epochs", type=int, required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--lr", type=float, default=None, help="OneCycle max LR")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-export", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    max_lr = args.lr or DEFAULT_LR[args.model]
    crop = args.model != "lenet5"

    x, y = D.load_train()
    xt, yt = D.read_exact()
    n = len(x)
    xpad = np.pad(x, ((0, 0), (4, 4), (4, 4), (0, 0))) if crop else None

    model = A.build(args.model)
    opt = torch.optim.SGD(model.parameters(), lr=max_lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps = (n + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, epochs=args.epochs, steps_per_epoch=steps)
    print(f"{args.model}: {A.param_count(model)} params, {args.epochs} epochs, max_lr {max_lr}, "
          f"threads {args.threads}, torch {torch.__version__}", flush=True)

    t0 = time.time()
    history = []
    for ep in range(1, args.epochs + 1):
        model.train()
        te = time.time()
        perm = rng.permutation(n)
        tot_loss, tot_ok, seen = 0.0, 0, 0
        for s in range(steps):
            idx = perm[s * args.batch:(s + 1) * args.batch]
            if crop:
                ox = rng.integers(0, 9, len(idx))
                oy = rng.integers(0, 9, len(idx))
                xb = np.stack([xpad[j, a:a + 32, b:b + 32] for j, a, b in zip(idx, oy, ox)])
            else:
                xb = x[idx]
            flip = rng.random(len(idx)) < 0.5
            xb[flip] = xb[flip, :, ::-1]
            xb = to_tensor(xb)
            yb = torch.from_numpy(y[idx])
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            tot_loss += loss.item() * len(idx)
            tot_ok += (out.argmax(1) == yb).sum().item()
            seen += len(idx)
        acc = evaluate(model, xt, yt)
        rec = {"epoch": ep, "seconds": round(time.time() - te, 1), "loss": round(tot_loss / seen, 4),
               "trainAcc": round(tot_ok / seen, 4), "exactTestAcc": round(acc, 4)}
        history.append(rec)
        print(json.dumps(rec), flush=True)
    train_seconds = time.time() - t0
    acc = evaluate(model, xt, yt)
    print(f"{args.model}: exact test accuracy {acc:.4f} after {train_seconds:.0f}s", flush=True)

    out_dir = os.path.join(D.REPO, ".cache", "models")
    os.makedirs(out_dir, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(out_dir, args.model + ".pt"))
    meta = {"model": args.model, "params": A.param_count(model), "epochs": args.epochs,
            "trainSeconds": round(train_seconds), "threads": args.threads, "batch": args.batch,
            "maxLr": max_lr, "seed": args.seed, "accuracy1017": acc, "torch": torch.__version__,
            "augmentation": "random crop (pad 4) + horizontal flip" if crop else "horizontal flip",
            "optimizer": "SGD momentum 0.9 nesterov, weight decay 5e-4, OneCycle LR (max %g)" % max_lr,
            "command": f"/usr/bin/python3 scripts/train/train_demo_models.py --model {args.model} "
                       f"--epochs {args.epochs} --threads {args.threads}",
            "history": history}
    with open(os.path.join(out_dir, args.model + ".train.json"), "w") as f:
        json.dump(meta, f, indent=1)
    if not args.no_export:
        import export_tfjs
        export_tfjs.export_model(args.model)


if __name__ == "__main__":
    main()
