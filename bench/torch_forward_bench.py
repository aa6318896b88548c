"""PyTorch reference benchmark for the three Causeway demo CNNs (CPU).

  /usr/bin/python3 bench/torch_forward_bench.py [--threads 2] [--repeats 3] [--models lenet5,vgg_bn,resnet]

For each model (weights read back from resources/models/<model>/ TF.js export): batch 64 over the
500 images of resources/data/cifar10-test-sample.bin repeated to 1,024 images, after a warm-up;
images/s of (a) plain forward (eval, no_grad) and (b) forward + phi: the per-channel Frobenius norm
(torch.linalg.vector_norm over H,W, keeping only [N,C]) of every node layer, via forward hooks.
Prints one JSON line per model; the median of --repeats timed passes is reported, and the peak
resident memory of this process so far (run one model per process to get each model's own peak).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "scripts", "train"))
import architectures as A  # noqa: E402
import cifar10_data as D  # noqa: E402
import export_tfjs as E  # noqa: E402

BATCH = 64
IMAGES = 1024


def timed_pass(model, batches):
    t = time.perf_counter()
    with torch.no_grad():
        for b in batches:
            model(b)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--models", default=",".join(A.MODELS))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    x, _ = D.read_exact(E.SAMPLE_BIN)
    x = np.concatenate([x] * (-(-IMAGES // len(x))))[:IMAGES]
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).float().div(255.0).contiguous()
    batches = [xt[i:i + BATCH] for i in range(0, IMAGES, BATCH)]
    for name in args.models.split(","):
        model = E.load_torch_from_tfjs(name)
        timed_pass(model, batches[:4])  # warm-up
        fwd = [IMAGES / timed_pass(model, batches) for _ in range(args.repeats)]

        phis = []

        def hook(mod, inp, out):
            phis.append(torch.linalg.vector_norm(out, dim=(2, 3)))  # [N, C]

        hooks = [m.register_forward_hook(hook) for m in model.node_modules().values()]
        timed_pass(model, batches[:4])
        phi = []
        for _ in range(args.repeats):
            phis.clear()
            phi.append(IMAGES / timed_pass(model, batches))
        n_nodes = len(model.node_modules())
        assert len(phis) == n_nodes * len(batches)
        for h in hooks:
            h.remove()
        print(json.dumps({"model": name, "forwardImagesPerSec": round(statistics.median(fwd), 1),
                          "forwardPhiImagesPerSec": round(statistics.median(phi), 1),
                          "threads": args.threads, "torch": torch.__version__,
                          "batch": BATCH, "images": IMAGES, "nodeLayers": n_nodes,
                          "peakRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}), flush=True)


if __name__ == "__main__":
    main()
