export * from './define';
export * from './errors';
export * from './contract';
export * from './client';
export * from './app';
