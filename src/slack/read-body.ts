import type { IncomingMessage } from "node:http";

/** A body over the route's cap: answer 413 and read no more of it. */
export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`body too large (over ${limit} bytes)`);
  }
}

/** True when the request announces a Content-Length over `limit`: refused before a byte is read. */
export function announcesTooMuch(req: IncomingMessage, limit: number): boolean {
  const length = Number(req.headers["content-length"] ?? 0);
  return Number.isFinite(length) && length > limit;
}

/**
 * Reads at most `limit` bytes of a request body; rejects with BodyTooLargeError as soon as it is over (a
 * chunked body without a Content-Length included), stopping the stream so nothing more is buffered.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (announcesTooMuch(req, limit)) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.pause();
      reject(new BodyTooLargeError(limit));
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
