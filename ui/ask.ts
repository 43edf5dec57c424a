// The one way a view talks to the background (extension/src/background.ts):
// a request goes in, that request type's reply comes out
// (extension/src/messages.ts Replies), or the background's refusal is thrown.
import { ext } from '../extension/src/api';
import type { Replies, Reply, Request } from '../extension/src/messages';

export async function ask<R extends Request>(request: R): Promise<Replies[R['type']]> {
  const reply = (await ext.runtime.sendMessage(request)) as Reply<R['type']> | undefined;
  if (!reply) throw new Error(`the background did not answer ${request.type}`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}
