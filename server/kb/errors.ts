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

/** The caller's role may not do this (403). */
export class ForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** A write to an entry that did not say which version it was based on (428). */
export class VersionRequiredError extends Error {
  constructor(id: number) {
    super(`修改条目 ${id} 需要说明基于哪个版本：请求体中给出 version，或用 If-Match 请求头（先读取条目以取得当前版本）`);
    this.name = 'VersionRequiredError';
  }
}

/** Someone else changed the entry since the caller read it (409, with what it is now so the caller can merge). */
export class VersionConflictError extends ConflictError {
  constructor(
    readonly id: number,
    readonly expected: number,
    readonly current: unknown,
    readonly currentVersion: number,
    by: string,
  ) {
    super(`条目 ${id} 已被${by}修改（您编辑的是第 ${expected} 版，当前是第 ${currentVersion} 版）：请对照当前内容合并后再保存`);
    this.name = 'VersionConflictError';
  }
}
