/**
 * Packaging for the desktop app (electron-builder): Linux AppImage and deb, macOS dmg, Windows NSIS.
 * `npm run dist` builds with electron-vite first, then packages for the machine it runs on
 * (scripts/dist.ts); test/desktop/packaging.test.ts checks this configuration and the layout it gives.
 *
 * What goes where in the package:
 * - app.asar: the electron-vite bundle (out/), package.json and the production dependencies
 *   (electron-builder adds `dependencies`, never devDependencies).
 * - app.asar.unpacked: native code, which the OS loader must find as real files: better-sqlite3's
 *   prebuilt addons, onnxruntime-node's binding with libonnxruntime beside it (the binding finds the
 *   library through its rpath, i.e. in its own folder), tfjs-node's binding and libtensorflow where
 *   the optional package is installed, and tfjs's WebAssembly binaries (worker threads read them).
 * - resources/resources (beside app.asar, `extraResources`): the demo models and the CIFAR-10
 *   sample, as plain files (src/main/electron/app-paths.ts looks for them there when packaged).
 *
 * No native rebuild for Electron (`npmRebuild: false`): every native dependency is a Node-API
 * addon (better-sqlite3 13, onnxruntime-node, tfjs-node), whose ABI is the same in Node and in
 * Electron, and better-sqlite3 and onnxruntime-node ship prebuilt binaries per platform. Rebuilding
 * would only compile better-sqlite3 from source against downloaded Electron headers, for nothing.
 * `npm run desktop:setup` checks that each one loads in the installed Electron.
 */
import type { Configuration } from 'electron-builder';

/** Native code that must be real files next to app.asar, not inside it (globs in the app folder). */
export const nativeUnpack = [
  'node_modules/better-sqlite3/**/*.node',
  'node_modules/onnxruntime-node/bin/**',
  'node_modules/@tensorflow/tfjs-node/**',
  'node_modules/@tensorflow/tfjs-node-gpu/**',
  'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
];

/** onnxruntime-node and better-sqlite3 ship every platform's binaries (290 MB): keep the target's. */
const ortBin = 'node_modules/onnxruntime-node/bin/napi-v6';
const sqlitePrebuilds = 'node_modules/better-sqlite3/prebuilds';
const onlyPlatform = (ortOthers: string, sqliteOthers: string) => [`!${ortBin}/{${ortOthers}}/**`, `!${sqlitePrebuilds}/{${sqliteOthers}}-*.node`];

const config: Configuration = {
  appId: 'org.causeway.desktop',
  productName: 'Causeway',
  executableName: 'causeway',
  copyright: 'Copyright © 2026 the Causeway authors',
  directories: { output: 'dist', buildResources: 'build' },
  // better-sqlite3's SQLite sources (10 MB) are for building from source only.
  files: ['out/**/*', 'package.json', '!**/*.map', '!node_modules/better-sqlite3/{deps,src}/**'],
  extraResources: [{ from: 'resources', to: 'resources', filter: ['**/*', '!**/README.md'] }],
  asar: true,
  asarUnpack: nativeUnpack,
  npmRebuild: false,
  // A production dependency missing from the collected node_modules fails the build, not the app.
  allowMissingDependencies: false,
  // The ELECTRON_RUN_AS_NODE / NODE_OPTIONS / --inspect doors closed, cookies encrypted, only the
  // signed app.asar loads and its integrity is checked (macOS, Windows). file:// keeps its extra
  // privileges: the renderer is loaded from file:// (ES module scripts need them).
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  linux: {
    target: ['AppImage', 'deb'],
    files: onlyPlatform('darwin,win32', 'darwin,win32'),
    icon: 'build/icon.png',
    category: 'Science',
    synopsis: 'Explain convolutional neural networks with causal inference',
    maintainer: 'Causeway authors <causeway@users.noreply.github.com>',
  },
  deb: { packageCategory: 'science' },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  mac: { target: ['dmg'], files: onlyPlatform('linux,win32', 'linux,linuxmusl,win32'), icon: 'build/icon.png', category: 'public.app-category.developer-tools' },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  win: { target: ['nsis'], files: onlyPlatform('darwin,linux', 'darwin,linux,linuxmusl'), icon: 'build/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true, artifactName: '${productName}-Setup-${version}.${ext}' },
};

export default config;
