export * from './joints.ts';
export * from './model.ts';
export * from './assessment-types.ts';
