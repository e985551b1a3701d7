import type { FastifyInstance } from 'fastify';
import { parseVideoUrl, videoUrlTemplate } from '../../../shared/contract';
import type { Api } from '../../api';
import { ValidationError } from '../../errors';

/** A rendered video's MP4 at the contract's URL, with byte ranges for <video> seeking and resumed downloads. */
export function registerVideoRoutes(app: FastifyInstance, api: Api): void {
  app.get(videoUrlTemplate('http'), async (request, reply) => {
    const wanted = parseVideoUrl('http', request.url);
    if (!wanted)
      throw new ValidationError('Invalid video URL: expected a positive integer id', {
        url: request.url,
      });
    const result = await api.videoFiles.serve(wanted.videoId, {
      range: request.headers.range,
      ifNoneMatch: request.headers['if-none-match'],
      download: wanted.download,
    });
    reply.code(result.status).headers(result.headers);
    return reply.send(result.body);
  });
}
