export * from './joints.ts';
