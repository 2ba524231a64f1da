export * from './joints.ts';
export * from './model.ts';
export * from './assessment-types.ts';
export * from './settings.ts';
export * from './scales.ts';
export * from './rules.ts';
export * from './assess.ts';
