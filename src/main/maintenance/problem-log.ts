import { MAX_LISTED_PATHS, MAX_LISTED_PROBLEMS, type FileProblem } from '../../shared/contract';

/** Files an operation could not handle: all counted, the first few listed. */
export class ProblemLog {
  readonly list: FileProblem[] = [];
  count = 0;

  add(path: string, error: unknown): void {
    this.count++;
    if (this.list.length < MAX_LISTED_PROBLEMS)
      this.list.push({ path, error: describeError(error) });
  }
}

/** Paths reported by an operation: all counted, the first `limit` listed. */
export class PathSample {
  readonly list: string[] = [];
  count = 0;

  constructor(private readonly limit = MAX_LISTED_PATHS) {}

  add(path: string): void {
    this.count++;
    if (this.list.length < this.limit) this.list.push(path);
  }

  get truncated(): boolean {
    return this.count > this.list.length;
  }
}

export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
