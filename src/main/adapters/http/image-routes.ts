import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IMAGE_URL_TEMPLATES, parseImageUrl, type ImageRequest } from '../../../shared/contract';
import type { Api } from '../../api';
import { ValidationError } from '../../errors';

/**
 * The spec's image serving routes, at the contract's HTTP templates, over the
 * shared image handler. A request is read back through the contract's parser,
 * so routes and URL builders cannot disagree.
 */
export function registerImageRoutes(app: FastifyInstance, api: Api): void {
  const { image, serve, camera } = IMAGE_URL_TEMPLATES.http;
  const paths = new Set(
    [...Object.values(image), serve, camera].map((template) => template.split('?')[0]!),
  );
  const send = async (request: FastifyRequest, reply: FastifyReply) => {
    const wanted: ImageRequest | null = parseImageUrl('http', request.url);
    // The route matched, so the id or the variant is what is wrong.
    if (!wanted)
      throw new ValidationError(
        'Invalid image URL: expected a positive integer id and a variant (thumbnail, small, full)',
        { url: request.url },
      );
    const result = await api.images.serve(
      wanted.target,
      wanted.variant,
      request.headers['if-none-match'],
    );
    reply.code(result.status).headers(result.headers);
    return reply.send(result.body);
  };
  for (const path of paths) app.get(path, send);
}
