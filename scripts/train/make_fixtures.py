"""Fixtures for the JavaScript tests.

  /usr/bin/python3 scripts/train/make_fixtures.py

1. resources/data/cifar10-test-sample.bin: the first 500 records of the exact CIFAR-10 test batch
   (byte-exact copy, official binary format) + resources/data/README.md (attribution).
2. test/fixtures/demo-models/<model>.json for lenet5, vgg_bn, resnet: PyTorch (eval mode, weights
   read back from the exported resources/models/<model>/ files) on the first 16 sample records
   (input x/255): logits, labels, and per node layer (Keras layer name) the per-channel statistics
   over HxW of each image: fro (Frobenius norm), mean, max, std (population); plus the accuracy
   on the 500 sample records and on all 1,017 exact records.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import architectures as A  # noqa: E402
import cifar10_data as D  # noqa: E402
import export_tfjs as E  # noqa: E402

SAMPLE_RECORDS = 500
FIXTURE_IMAGES = 16
FIXTURES_DIR = os.path.join(D.REPO, "test", "fixtures", "demo-models")

DATA_README = f"""# resources/data

`cifar10-test-sample.bin`: the first {SAMPLE_RECORDS} images of the official CIFAR-10 **test** batch in the
official CIFAR-10 binary format, copied byte-exact: {SAMPLE_RECORDS} records of 3,073 bytes, each
`<1 byte label><1024 bytes R><1024 bytes G><1024 bytes B>` (32x32, row-major planes). Labels index the
classes airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck.
Made by `scripts/train/make_fixtures.py` from `shared/data/cifar10/exact/test_batch.bin`.

## Attribution

{E.ATTRIBUTION}
"""


def g(v):
    return float(f"{float(v):.7g}")


def write_sample():
    raw = open(D.EXACT_TEST, "rb").read()
    data = raw[:SAMPLE_RECORDS * D.RECORD]
    assert len(data) == SAMPLE_RECORDS * D.RECORD
    out = E.SAMPLE_BIN
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(data)
    readme = os.path.join(os.path.dirname(out), "README.md")
    if not os.path.exists(readme):  # make_demo_data.py writes the full README (both files)
        with open(readme, "w") as f:
            f.write(DATA_README)
    return out


@torch.no_grad()
def fixture(name, x16, y16, acc500, acc1017):
    model = E.load_torch_from_tfjs(name)
    captured = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, k=k: captured.__setitem__(k, out.detach().clone()))
             for k, m in model.node_modules().items()]
    logits = model(torch.from_numpy(x16).permute(0, 3, 1, 2).float().div(255.0).contiguous())
    for h in hooks:
        h.remove()
    nodes = {}
    for k in model.node_modules():
        a = captured[k].double().flatten(2)  # [N, C, H*W]
        nodes[k] = {
            "shape": list(captured[k].shape[1:]),  # C, H, W (PyTorch); Keras output is [H, W, C]
            "fro": [[g(v) for v in row] for row in torch.linalg.vector_norm(a, dim=2).tolist()],
            "mean": [[g(v) for v in row] for row in a.mean(2).tolist()],
            "max": [[g(v) for v in row] for row in a.amax(2).tolist()],
            "std": [[g(v) for v in row] for row in a.std(2, unbiased=False).tolist()],
        }
    for v in nodes.values():
        c, h, w = v.pop("shape")
        v["outputShape"] = [h, w, c]
    return {"model": name, "images": int(len(x16)), "input": "x/255, NHWC [N,32,32,3]",
            "source": "PyTorch %s eval mode, resources/models/%s, first %d records of resources/data/cifar10-test-sample.bin"
                      % (torch.__version__, name, len(x16)),
            "classes": D.CLASSES,
            "accuracy500": acc500, "accuracy1017": acc1017,
            "labels": [int(v) for v in y16],
            "logits": [[g(v) for v in row] for row in logits.tolist()],
            "nodeLayerNames": list(nodes),
            "nodeLayers": nodes}


def main():
    torch.set_num_threads(2)
    sample = write_sample()
    xs, ys = D.read_exact(sample)
    xt, yt = D.read_exact()
    assert np.array_equal(xs, xt[:SAMPLE_RECORDS])
    os.makedirs(FIXTURES_DIR, exist_ok=True)
    from train_demo_models import evaluate
    for name in A.MODELS:
        model = E.load_torch_from_tfjs(name)
        acc500, acc1017 = evaluate(model, xs, ys), evaluate(model, xt, yt)
        fx = fixture(name, xs[:FIXTURE_IMAGES], ys[:FIXTURE_IMAGES], acc500, acc1017)
        path = os.path.join(FIXTURES_DIR, name + ".json")
        with open(path, "w") as f:
            json.dump(fx, f, separators=(",", ":"))
        print(json.dumps({"model": name, "accuracy500": acc500, "accuracy1017": acc1017,
                          "nodeLayers": fx["nodeLayerNames"], "bytes": os.path.getsize(path)}))


if __name__ == "__main__":
    main()
