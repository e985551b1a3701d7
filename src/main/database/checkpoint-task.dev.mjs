// The checkpoint thread when running from source (vitest, tsx): registers tsx,
// then loads the TypeScript module. Built code uses checkpoint-task.js.
import { register } from 'tsx/esm/api';

register();
await import('./checkpoint-task.ts');
