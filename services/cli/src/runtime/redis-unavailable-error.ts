/** No Redis answered and none could be started; main.ts prints its message alone. Its own file so main.ts need not load ioredis. */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}
