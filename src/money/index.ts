export * from './currency.ts';
export * from './money.ts';
export * from './rate.ts';
export * from './format.ts';
