/** The API contract shared by main, preload and renderer. */
export * from './contract.js';
export * from './dto.js';
export * from './envelope.js';
export * from './errors.js';
export * from './channels.js';
export * from './choices.js';
export * from './analysis.js';
export * from './report.js';
export * from './properties.js';
