/**
 * The one API contract, by concern: the shared vocabulary, argument schemas,
 * result shapes, the operation table, the envelope, HTTP request planning,
 * images (URLs, fallback, caching), events and settings. Import it from here.
 */
export * from './vocabulary';
export * from './schemas';
export * from './dto';
export * from './operations';
export * from './envelope';
export * from './http';
export * from './images';
export * from './capture';
export type * from './maintenance';
export { NO_REGENERATION, MAX_LISTED_PATHS, MAX_LISTED_PROBLEMS } from './maintenance';
export type * from './queue';
export type * from './events';
export type * from './storage';
export * from './settings';
export * from './videos';
