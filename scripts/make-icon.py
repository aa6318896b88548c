"""Draws build/icon.png (1024x1024), the app icon electron-builder turns into .icns/.ico/Linux icons:
a causal graph over three layers of filters, one filter intervened on (do(x=0), hollow) with its
downstream paths highlighted. Run: /usr/bin/python3 scripts/make-icon.py (Debian python3-pil)"""
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 1024
SCALE = 4  # drawn at 4x, then downsampled for smooth edges
S = SIZE * SCALE
BG = (16, 17, 19, 255)
EDGE = (92, 99, 112, 255)
NODE = (122, 162, 247, 255)
HOT = (242, 142, 43, 255)

img = Image.new('RGBA', (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle([S * 0.06, S * 0.06, S * 0.94, S * 0.94], radius=S * 0.2, fill=BG)

layers = [[0.3, 0.5, 0.7], [0.24, 0.41, 0.59, 0.76], [0.38, 0.62]]
xs = [0.24, 0.5, 0.76]
pos = [[(xs[i] * S, y * S) for y in ys] for i, ys in enumerate(layers)]
hot = (0, 1)  # the intervened filter
hot_children = {(1, 1), (1, 2)}
for i in range(len(pos) - 1):
    for a, p in enumerate(pos[i]):
        for b, q in enumerate(pos[i + 1]):
            lit = ((i, a) == hot and (i + 1, b) in hot_children) or ((i, a) in hot_children and i + 1 == 2)
            d.line([p, q], fill=HOT if lit else EDGE, width=int(S * (0.016 if lit else 0.009)))
r = S * 0.052
for i, col in enumerate(pos):
    for j, (x, y) in enumerate(col):
        if (i, j) == hot:
            d.ellipse([x - r, y - r, x + r, y + r], fill=BG, outline=HOT, width=int(S * 0.018))
        else:
            d.ellipse([x - r, y - r, x + r, y + r], fill=HOT if (i, j) in hot_children else NODE)

out = Path(__file__).resolve().parent.parent / 'build' / 'icon.png'
img.resize((SIZE, SIZE), Image.LANCZOS).save(out)
print(out)
