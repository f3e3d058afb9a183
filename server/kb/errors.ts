/** Errors the KB API throws; the HTTP layer maps them to 400 / 404 / 409 with their message. */

export class ValidationError extends Error {
  constructor(public readonly field: string, message: string) {
    super(`${field}：${message}`);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  constructor(what: string, id: number | string) {
    super(`${what} ${id} 不存在`);
    this.name = 'NotFoundError';
  }
}

/** The request is well-formed but conflicts with the current state (e.g. publishing an archived entry). */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}
