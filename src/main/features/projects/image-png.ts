/** One dataset image (uint8 HWC, gray or RGB) as a PNG data URL, for previews in the renderer. */
import { PNG } from 'pngjs';

export function imageDataUrl(pixels: Uint8Array, height: number, width: number, channels: number): string {
  const png = new PNG({ width, height });
  for (let i = 0; i < height * width; i++) {
    const src = i * channels;
    const dst = i * 4;
    png.data[dst] = pixels[src];
    png.data[dst + 1] = pixels[channels === 3 ? src + 1 : src];
    png.data[dst + 2] = pixels[channels === 3 ? src + 2 : src];
    png.data[dst + 3] = 255;
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}
