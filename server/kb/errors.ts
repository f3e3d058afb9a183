/** Errors the KB API throws; the HTTP layer maps them to 400 / 404 / 409 with their message. */

export class ValidationError extends Error {
  /** `where`: how a person finds the problem (“第 31 行”), when the field name would mean nothing to them. */
  constructor(public readonly field: string, message: string, where: string = field) {
    super(`${where}：${message}`);
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
