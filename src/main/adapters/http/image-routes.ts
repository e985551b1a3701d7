import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idSchema, imageVariantSchema, type ImageVariant } from '../../../shared/contract';
import type { Api } from '../../api';
import { zodToValidationError } from '../../api/errors';
import type { ImageTarget } from '../../serving/image-service';

const cameraParams = z.object({ camera_id: idSchema, variant: imageVariantSchema });
const imageParams = z.object({ image_id: idSchema });
const serveQuery = z.object({ size: imageVariantSchema.default('thumbnail') });

/** The spec's image serving routes, over the shared image handler. */
export function registerImageRoutes(app: FastifyInstance, api: Api): void {
  const send = async (
    request: FastifyRequest,
    reply: FastifyReply,
    target: ImageTarget,
    size: ImageVariant,
  ) => {
    const result = await api.images.serve(target, size, request.headers['if-none-match']);
    reply.code(result.status).headers(result.headers);
    return reply.send(result.body);
  };

  app.get('/api/cameras/:camera_id/latest-image/:variant', (request, reply) => {
    const { camera_id, variant } = parse(cameraParams, request.params);
    return send(request, reply, { kind: 'camera-latest', cameraId: camera_id }, variant);
  });
  for (const variant of ['thumbnail', 'small'] as const) {
    app.get(`/api/images/:image_id/${variant}`, (request, reply) => {
      const { image_id } = parse(imageParams, request.params);
      return send(request, reply, { kind: 'image', imageId: image_id }, variant);
    });
  }
  app.get('/api/images/:image_id/serve', (request, reply) => {
    const { image_id } = parse(imageParams, request.params);
    const { size } = parse(serveQuery, request.query);
    return send(request, reply, { kind: 'image', imageId: image_id }, size);
  });
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodToValidationError(result.error);
  return result.data;
}
