import { ServiceUnavailableError } from '../../api/errors';
import type { CliContext } from '../context';

/** `import <folder> --camera NAME [--timelapse NAME]`: the capture service's folder import. */
export async function runImport(_ctx: CliContext): Promise<void> {
  throw new ServiceUnavailableError('Folder import (the capture service)');
}
