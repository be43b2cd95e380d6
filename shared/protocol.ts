/**
 * The wire protocol spoken at /ws/<docName>: exactly y-websocket's framing
 * (one protocol message per WebSocket frame), plus the close codes the relay
 * uses. 4400–4499: do not reconnect. 4500–4599: try again later.
 */

/** Top-level message types of y-websocket (first varUint of every frame). */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Sub-types of a sync message (y-protocols/sync). */
export const SyncMessageType = {
  step1: 0,
  step2: 1,
  update: 2,
} as const;
export type SyncMessageType = (typeof SyncMessageType)[keyof typeof SyncMessageType];

/** Sub-type of an auth message (y-protocols/auth). */
export const AuthMessageType = { permissionDenied: 0 } as const;

export const CloseCode = {
  /** Graceful shutdown; the client reconnects. */
  restart: 1012,
  /** A text frame or an unknown message type. */
  unsupportedData: 1003,
  /** A frame or update that does not decode. */
  invalidPayload: 1007,
  /** A frame over the size limit. */
  messageTooBig: 1009,
  badDocName: 4400,
  unauthenticated: 4401,
  forbidden: 4403,
  /** Rate limit or flood (awareness, messages): retry later. */
  rateLimited: 4529,
  /** The store refused a write; nothing was applied, retry later. */
  storeFailed: 4503,
  /** The connection's send buffer stayed above the bound; reconnect and resync. */
  slowConsumer: 4508,
  /** The server is overloaded or the document is unavailable. */
  overloaded: 4502,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Does the stock client's reconnect loop need to stop for this code? */
export const isPermanentClose = (code: number): boolean => code >= 4400 && code < 4500;

export const CloseReason: Record<CloseCode, string> = {
  [CloseCode.restart]: 'server restarting',
  [CloseCode.unsupportedData]: 'unsupported data',
  [CloseCode.invalidPayload]: 'invalid payload',
  [CloseCode.messageTooBig]: 'message too big',
  [CloseCode.badDocName]: 'bad document name',
  [CloseCode.unauthenticated]: 'unauthenticated',
  [CloseCode.forbidden]: 'forbidden',
  [CloseCode.rateLimited]: 'rate limited',
  [CloseCode.storeFailed]: 'store write failed',
  [CloseCode.slowConsumer]: 'slow consumer',
  [CloseCode.overloaded]: 'overloaded',
};
