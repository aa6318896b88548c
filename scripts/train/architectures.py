"""The three Causeway demo CNNs (PyTorch) with their Keras/TF.js layer descriptions.

Input: x/255 in [0,1]; PyTorch NCHW, TF.js NHWC. No mean/std normalisation.

Every model provides
  keras_layers() -> list of dicts {class_name, name, config, inbound: [names], weights: [(wname, ndarray)]}
                    in topological order (Keras layout for weights, float32);
  node_modules() -> {keras layer name: torch module whose forward output equals that Keras layer's output}
                    for the "node layers" (each conv's post-BN/ReLU output, each residual Add+ReLU).
"""
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-5
BN_MOMENTUM_KERAS = 0.9  # PyTorch momentum 0.1 == Keras momentum 0.9 (only matters for training)


def _np(t):
    return t.detach().cpu().numpy().astype(np.float32)


def _conv_kernel(conv):  # [out,in,kh,kw] -> [kh,kw,in,out]
    return np.ascontiguousarray(_np(conv.weight).transpose(2, 3, 1, 0))


def k_input():
    return dict(class_name="InputLayer", name="input",
                config={"batch_input_shape": [None, 32, 32, 3], "dtype": "float32",
                        "sparse": False, "name": "input"},
                inbound=[], weights=[])


def k_conv(name, conv, inbound, activation="linear", padding="same"):
    kh, kw = conv.kernel_size
    cfg = {"name": name, "trainable": True, "filters": conv.out_channels, "kernel_size": [kh, kw],
           "strides": list(conv.stride), "padding": padding, "data_format": "channels_last",
           "dilation_rate": [1, 1], "activation": activation, "use_bias": conv.bias is not None}
    w = [(name + "/kernel", _conv_kernel(conv))]
    if conv.bias is not None:
        w.append((name + "/bias", _np(conv.bias)))
    return dict(class_name="Conv2D", name=name, config=cfg, inbound=[inbound], weights=w, module=conv)


def k_bn(name, bn, inbound):
    assert bn.eps == BN_EPS
    cfg = {"name": name, "trainable": True, "axis": -1, "momentum": BN_MOMENTUM_KERAS,
           "epsilon": bn.eps, "center": True, "scale": True}
    w = [(name + "/gamma", _np(bn.weight)), (name + "/beta", _np(bn.bias)),
         (name + "/moving_mean", _np(bn.running_mean)),
         (name + "/moving_variance", _np(bn.running_var))]
    return dict(class_name="BatchNormalization", name=name, config=cfg, inbound=[inbound], weights=w, module=bn)


def k_act(name, inbound, activation="relu"):
    return dict(class_name="Activation", name=name,
                config={"name": name, "trainable": True, "activation": activation},
                inbound=[inbound], weights=[])


def k_maxpool(name, inbound, size=2):
    return dict(class_name="MaxPooling2D", name=name,
                config={"name": name, "trainable": True, "pool_size": [size, size],
                        "strides": [size, size], "padding": "valid", "data_format": "channels_last"},
                inbound=[inbound], weights=[])


def k_gap(name, inbound):
    return dict(class_name="GlobalAveragePooling2D", name=name,
                config={"name": name, "trainable": True, "data_format": "channels_last"},
                inbound=[inbound], weights=[])


def k_flatten(name, inbound):
    return dict(class_name="Flatten", name=name,
                config={"name": name, "trainable": True, "data_format": "channels_last"},
                inbound=[inbound], weights=[])


def k_dense(name, lin, inbound, activation="linear", flatten_chw=None):
    """flatten_chw=(C,H,W): the Dense follows a Flatten of a CxHxW map; Keras flattens H,W,C
    while PyTorch flattens C,H,W, so the kernel rows are permuted accordingly."""
    cfg = {"name": name, "trainable": True, "units": lin.out_features, "activation": activation,
           "use_bias": lin.bias is not None}
    wt = _np(lin.weight)  # [out, in]
    if flatten_chw is not None:
        c, h, ww = flatten_chw
        wt = wt.reshape(-1, c, h, ww).transpose(0, 2, 3, 1).reshape(wt.shape[0], -1)
    k = np.ascontiguousarray(wt.T)
    w = [(name + "/kernel", k)]
    if lin.bias is not None:
        w.append((name + "/bias", _np(lin.bias)))
    return dict(class_name="Dense", name=name, config=cfg, inbound=[inbound], weights=w,
                module=lin, flatten_chw=flatten_chw)


def k_zeropad(name, inbound, p=1):
    return dict(class_name="ZeroPadding2D", name=name,
                config={"name": name, "trainable": True, "padding": [[p, p], [p, p]],
                        "data_format": "channels_last"},
                inbound=[inbound], weights=[])


def k_add(name, inbounds):
    return dict(class_name="Add", name=name, config={"name": name, "trainable": True},
                inbound=list(inbounds), weights=[])


class LeNet5(nn.Module):
    """LeNet-5 as trained on CIFAR-10 in Narendra et al. 2018 (Keras)."""
    name = "lenet5"

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.relu2 = nn.ReLU()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.logits = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(self.relu1(self.conv1(x)), 2)
        x = F.max_pool2d(self.relu2(self.conv2(x)), 2)
        x = torch.flatten(x, 1)  # C,H,W order
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.logits(x)

    def node_modules(self):
        # relu is fused into the Keras Conv2D, so the Conv2D layer's output is the node
        return OrderedDict([("conv1", self.relu1), ("conv2", self.relu2)])

    def keras_layers(self):
        return [
            k_input(),
            k_conv("conv1", self.conv1, "input", activation="relu", padding="valid"),
            k_maxpool("pool1", "conv1"),
            k_conv("conv2", self.conv2, "pool1", activation="relu", padding="valid"),
            k_maxpool("pool2", "conv2"),
            k_flatten("flatten", "pool2"),
            k_dense("fc1", self.fc1, "flatten", activation="relu", flatten_chw=(16, 5, 5)),
            k_dense("fc2", self.fc2, "fc1", activation="relu"),
            k_dense("logits", self.logits, "fc2"),
        ]


class VGGBN(nn.Module):
    """VGG-style: [conv3x3 BN ReLU]x2 + MaxPool per stage (32/64/128), GAP, Dense 10."""
    name = "vgg_bn"
    widths = (32, 32, 64, 64, 128, 128)

    def __init__(self):
        super().__init__()
        cin = 3
        for i, c in enumerate(self.widths, 1):
            setattr(self, f"conv{i}", nn.Conv2d(cin, c, 3, padding=1, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm2d(c, eps=BN_EPS))
            setattr(self, f"relu{i}", nn.ReLU())
            cin = c
        self.logits = nn.Linear(cin, 10)

    def forward(self, x):
        for i in range(1, len(self.widths) + 1):
            x = getattr(self, f"relu{i}")(getattr(self, f"bn{i}")(getattr(self, f"conv{i}")(x)))
            if i % 2 == 0:
                x = F.max_pool2d(x, 2)
        x = x.mean(dim=(2, 3))
        return self.logits(x)

    def node_modules(self):
        return OrderedDict((f"relu{i}", getattr(self, f"relu{i}")) for i in range(1, len(self.widths) + 1))

    def keras_layers(self):
        L = [k_input()]
        prev = "input"
        for i in range(1, len(self.widths) + 1):
            L.append(k_conv(f"conv{i}", getattr(self, f"conv{i}"), prev))
            L.append(k_bn(f"bn{i}", getattr(self, f"bn{i}"), f"conv{i}"))
            L.append(k_act(f"relu{i}", f"bn{i}"))
            prev = f"relu{i}"
            if i % 2 == 0:
                L.append(k_maxpool(f"pool{i // 2}", prev))
                prev = f"pool{i // 2}"
        L.append(k_gap("gap", prev))
        L.append(k_dense("logits", self.logits, "gap"))
        return L


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout, eps=BN_EPS)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout, eps=BN_EPS)
        self.relu = nn.ReLU()
        if stride != 1 or cin != cout:
            self.sc_conv = nn.Conv2d(cin, cout, 1, stride=stride, bias=False)
            self.sc_bn = nn.BatchNorm2d(cout, eps=BN_EPS)
        else:
            self.sc_conv = None

    def forward(self, x):
        out = self.relu1(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        sc = x if self.sc_conv is None else self.sc_bn(self.sc_conv(x))
        return self.relu(out + sc)

    def keras_layers(self, p, inbound):
        L = []
        if self.stride == 2:
            L.append(k_zeropad(p + "_pad", inbound))
            L.append(k_conv(p + "_conv1", self.conv1, p + "_pad", padding="valid"))
        else:
            L.append(k_conv(p + "_conv1", self.conv1, inbound, padding="same"))
        L.append(k_bn(p + "_bn1", self.bn1, p + "_conv1"))
        L.append(k_act(p + "_relu1", p + "_bn1"))
        L.append(k_conv(p + "_conv2", self.conv2, p + "_relu1"))
        L.append(k_bn(p + "_bn2", self.bn2, p + "_conv2"))
        if self.sc_conv is None:
            sc = inbound
        else:
            L.append(k_conv(p + "_sc_conv", self.sc_conv, inbound, padding="valid"))
            L.append(k_bn(p + "_sc_bn", self.sc_bn, p + "_sc_conv"))
            sc = p + "_sc_bn"
        L.append(k_add(p + "_add", [p + "_bn2", sc]))
        L.append(k_act(p + "_relu", p + "_add"))
        return L, p + "_relu"


class ResNet14(nn.Module):
    """ResNet v1 (CIFAR style, He et al. 2016), 3 stages x 2 basic blocks, 16/32/64 channels."""
    name = "resnet"
    widths = (16, 32, 64)
    blocks_per_stage = 2

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16, eps=BN_EPS)
        self.relu1 = nn.ReLU()
        blocks = OrderedDict()
        cin = 16
        for s, c in enumerate(self.widths, 1):
            for b in range(1, self.blocks_per_stage + 1):
                stride = 2 if (s > 1 and b == 1) else 1
                blocks[f"block{s}_{b}"] = BasicBlock(cin, c, stride)
                cin = c
        self.blocks = nn.ModuleDict(blocks)
        self.logits = nn.Linear(cin, 10)

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        for blk in self.blocks.values():
            x = blk(x)
        return self.logits(x.mean(dim=(2, 3)))

    def node_modules(self):
        d = OrderedDict([("relu1", self.relu1)])
        for p, blk in self.blocks.items():
            d[p + "_relu1"] = blk.relu1
            d[p + "_relu"] = blk.relu
        return d

    def keras_layers(self):
        L = [k_input(), k_conv("conv1", self.conv1, "input"), k_bn("bn1", self.bn1, "conv1"),
             k_act("relu1", "bn1")]
        prev = "relu1"
        for p, blk in self.blocks.items():
            bl, prev = blk.keras_layers(p, prev)
            L.extend(bl)
        L.append(k_gap("gap", prev))
        L.append(k_dense("logits", self.logits, "gap"))
        return L


MODELS = {"lenet5": LeNet5, "vgg_bn": VGGBN, "resnet": ResNet14}


def build(name):
    return MODELS[name]()


def load_keras_weights(model, weights):
    """Inverse of keras_layers(): sets the PyTorch parameters/buffers of `model` from a dict
    {keras weight name: ndarray in Keras layout} (e.g. read back from an exported weights.bin)."""
    def put(t, a):
        a = np.array(a, dtype=np.float32)  # copy: frombuffer arrays are read-only
        assert tuple(t.shape) == a.shape, (tuple(t.shape), a.shape)
        with torch.no_grad():
            t.copy_(torch.from_numpy(np.ascontiguousarray(a)))
    for L in model.keras_layers():
        n, m = L["name"], L.get("module")
        if L["class_name"] == "Conv2D":
            put(m.weight, weights[n + "/kernel"].transpose(3, 2, 0, 1))
            if m.bias is not None:
                put(m.bias, weights[n + "/bias"])
        elif L["class_name"] == "BatchNormalization":
            put(m.weight, weights[n + "/gamma"])
            put(m.bias, weights[n + "/beta"])
            put(m.running_mean, weights[n + "/moving_mean"])
            put(m.running_var, weights[n + "/moving_variance"])
        elif L["class_name"] == "Dense":
            wt = weights[n + "/kernel"].T  # [out, in]
            if L.get("flatten_chw") is not None:
                c, h, ww = L["flatten_chw"]
                wt = wt.reshape(-1, h, ww, c).transpose(0, 3, 1, 2).reshape(wt.shape[0], -1)
            put(m.weight, wt)
            if m.bias is not None:
                put(m.bias, weights[n + "/bias"])
    return model


def param_count(model):
    return sum(p.numel() for p in model.parameters())
