// A module resolution hook (registered by record-loads.mjs): logs where every
// ES import went, including imports that fail to resolve.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const record = (entry) =>
    appendFileSync(
      process.env.LOAD_LOG,
      JSON.stringify({ specifier, parent: context.parentURL, ...entry }) + '\n',
    );
  try {
    const result = await nextResolve(specifier, context);
    record({ url: result.url });
    return result;
  } catch (error) {
    record({ error: error.message });
    throw error;
  }
}
