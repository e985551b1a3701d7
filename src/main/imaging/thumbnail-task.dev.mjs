// The pool worker when running from source (vitest, tsx). Node 20 ignores
// `--import tsx` in a worker's execArgv, so the worker registers tsx itself
// before loading the TypeScript task. Built code uses thumbnail-task.js.
import { register } from 'tsx/esm/api';

register();
const task = await import('./thumbnail-task.ts');
export default task.default;
