/** Results, numbers and dates in words: the one wording the UI, the menu and the CLI share. */
export * from './cameras';
export * from './format';
export * from './maintenance';
export * from './frames';
export * from './videos';
export * from './queue';
export * from './sources';
export * from './storage';
